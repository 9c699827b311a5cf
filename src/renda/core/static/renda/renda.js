// Small progressive enhancements; every page works without this file.
document.addEventListener("click", function (e) {
  var t = e.target.closest("[data-toggle-nav]");
  if (t) {
    var open = document.querySelector(".sidenav").classList.toggle("open");
    t.setAttribute("aria-expanded", open ? "true" : "false");
    t.textContent = open ? "✕" : "☰";
  }
  var b = e.target.closest("[data-history-back]");
  if (b && window.history.length > 1) { e.preventDefault(); window.history.back(); }
  var c = e.target.closest("[data-confirm]");
  if (c && !window.confirm(c.getAttribute("data-confirm"))) { e.preventDefault(); }
});

// Selects that apply at once (a year filter …); the form's button does the same without script.
document.addEventListener("change", function (e) {
  if (e.target.matches("select[data-autosubmit]")) { e.target.form.submit(); }
});

// A personal value in full (form[data-reveal]): asked for in place, the masked text replaced;
// without this file the form opens a page with the value. Each view is audited server-side.
document.addEventListener("submit", function (e) {
  var form = e.target.closest("form[data-reveal]");
  if (!form || !window.fetch) { return; }
  e.preventDefault();
  fetch(form.action, {
    method: "POST", body: new FormData(form), credentials: "same-origin",
    headers: { "Accept": "application/json" }
  }).then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
    .then(function (data) {
      var shown = form.parentNode.querySelector("[data-personal]");
      if (shown) { shown.textContent = data.value || "—"; }
      form.remove();
    })
    .catch(function () { form.submit(); });
});

// Writing help (form[data-assist]): as the title and content change, after a pause, ask the
// module's endpoint for similar cases and a proposed category; list the cases as links and
// pre-select the category unless the writer chose one. The form's 检查 button does the same
// without script.
(function () {
  var form = document.querySelector("form[data-assist]");
  if (!form || !window.fetch) { return; }
  var title = form.querySelector("[name=title]"), content = form.querySelector("[name=content]");
  var select = form.querySelector("select[name=category]");
  var box = document.querySelector("[data-assist-similar]");
  var timer = null, last = "", chosen = select && select.value !== "";
  if (content && box) { content.closest(".field").after(box); }
  if (select) {
    select.addEventListener("change", function () { chosen = true; });
  }
  function help(text) {
    var field = select.closest(".field"), el = field.querySelector(".help");
    if (!el) { el = document.createElement("div"); el.className = "help"; field.appendChild(el); }
    el.textContent = text;
    el.setAttribute("data-testid", "category-reason");
  }
  function show(data) {
    if (box) {
      var ul = box.querySelector("ul");
      ul.textContent = "";
      (data.similar || []).forEach(function (s) {
        var li = document.createElement("li"), a = document.createElement("a");
        a.href = s.url; a.target = "_blank";
        a.textContent = (s.number ? s.number + " " : "") + s.title;
        li.appendChild(a);
        [" 相似度 " + s.score.toFixed(2), s.state].forEach(function (t) {
          var b = document.createElement("span"); b.className = "badge"; b.textContent = t.trim();
          li.appendChild(document.createTextNode(" ")); li.appendChild(b);
        });
        ul.appendChild(li);
      });
      box.hidden = !(data.similar || []).length;
    }
    if (select && data.category) {
      if (!chosen) { select.value = data.category; }
      help(data.category_reason + (chosen && select.value !== data.category ? "（您已选择" + select.value + "）" : "，可以更改。"));
    }
  }
  function ask() {
    var text = title.value + "\n" + content.value;
    if (text === last || text.trim().length < 10) { return; }
    last = text;
    var body = new FormData();
    body.append("title", title.value); body.append("content", content.value);
    body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    fetch(form.getAttribute("data-assist"), { method: "POST", body: body, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { show(data); } })
      .catch(function () {});
  }
  function later() { clearTimeout(timer); timer = setTimeout(ask, 700); }
  [title, content].forEach(function (el) { if (el) { el.addEventListener("input", later); } });
  if (content && content.value) { later(); }
})();

// The page size of lists follows the screen (core/listing.py, is_narrow): remember
// whether it is below the breakpoint at which list rows become cards (renda.css).
(function () {
  if (!window.matchMedia) { return; }
  var narrow = window.matchMedia("(max-width: 700px)");
  function remember() {
    document.cookie = "renda_narrow=" + (narrow.matches ? "1" : "0") + "; path=/; max-age=31536000; SameSite=Lax";
  }
  remember();
  if (narrow.addEventListener) { narrow.addEventListener("change", remember); }
})();

// A workflow diagram wider than its box (a phone) opens on its middle, where the process starts.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".diagram-box").forEach((box) => {
    box.scrollLeft = (box.scrollWidth - box.clientWidth) / 2;
  });
});
