// The deputy's pages offline (deputies/views_offline.py): register the worker, and keep the
// activity entries made without network in IndexedDB until they can be sent.
//
// - <meta name="renda-offline" data-sw data-scope data-token data-user> (deputies/_offline_head.html)
//   says where the worker and the token endpoint are and who is signed in.
// - form[data-offline-form]: the activity form. Offline (or when the POST fails for network
//   reasons) the entry — without its files — is stored with the form's idempotency key, and
//   the form is emptied with a fresh key for the next entry.
// - [data-offline-queue]: the visible queue ("待发送 N 条" and the entries).
// - Entries are sent when `online` fires, on every page load and with the queue's button: a
//   fresh CSRF token first (the page may come from the cache), then each entry to the form's
//   URL with X-Renda-Queue: 1 (answered in JSON). The server stores an entry once per
//   (deputy, key), so an entry sent again after a lost answer is not stored twice.
(function () {
  var meta = document.querySelector("meta[name=renda-offline]");
  if (!meta) { return; }
  var cfg = meta.dataset;

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(cfg.sw, { scope: cfg.scope }).catch(function () {});
  }
  // another account on this browser: its cached pages are not this one's to see
  try {
    var last = window.localStorage.getItem("renda-offline-user");
    if (last && last !== cfg.user && window.caches) {
      caches.keys().then(function (names) {
        names.forEach(function (n) { if (n.indexOf("renda-deputy-") === 0) { caches.delete(n); } });
      });
    }
    window.localStorage.setItem("renda-offline-user", cfg.user);
  } catch (err) { /* storage disabled: nothing to compare */ }

  if (!window.indexedDB) { return; }

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // IndexedDB: one store of entries, keyed by the idempotency key
  function db() {
    return new Promise(function (resolve, reject) {
      var open = indexedDB.open("renda-deputy", 1);
      open.onupgradeneeded = function () { open.result.createObjectStore("entries", { keyPath: "key" }); };
      open.onsuccess = function () { resolve(open.result); };
      open.onerror = function () { reject(open.error); };
    });
  }
  function store(mode, work) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var tx = d.transaction("entries", mode), result;
        var req = work(tx.objectStore("entries"));
        if (req) { req.onsuccess = function () { result = req.result; }; }
        tx.oncomplete = function () { d.close(); resolve(result); };
        tx.onerror = function () { d.close(); reject(tx.error); };
      });
    });
  }
  function entries() {
    return store("readonly", function (s) { return s.getAll(); }).then(function (all) {
      return (all || []).filter(function (e) { return e.user === cfg.user; })
        .sort(function (a, b) { return a.created - b.created; });
    });
  }
  function put(entry) { return store("readwrite", function (s) { return s.put(entry); }); }
  function remove(key) { return store("readwrite", function (s) { return s.delete(key); }); }

  // the visible queue
  var box = document.querySelector("[data-offline-queue]");
  function status(text) {
    var el = box && box.querySelector("[data-queue-status]");
    if (el) { el.textContent = text; }
  }
  function render() {
    if (!box) { return Promise.resolve(); }
    return entries().then(function (list) {
      box.hidden = list.length === 0 && !box.querySelector("[data-queue-status]").textContent;
      box.querySelector("[data-queue-count]").textContent = String(list.length);
      var ul = box.querySelector("[data-queue-list]");
      ul.textContent = "";
      list.forEach(function (e) {
        var li = document.createElement("li");
        li.setAttribute("data-testid", "queued-entry");
        li.textContent = e.summary + (e.error ? "（未能保存：" + e.error + "）" : "");
        if (e.error) {
          var drop = document.createElement("button");
          drop.type = "button"; drop.className = "link"; drop.textContent = "删除";
          drop.addEventListener("click", function () { remove(e.key).then(render); });
          li.appendChild(document.createTextNode(" "));
          li.appendChild(drop);
        }
        ul.appendChild(li);
      });
    });
  }

  // sending, one run at a time in this page (another tab may send too: the key dedupes)
  var sending = false;
  function send() {
    if (sending || !navigator.onLine) { return Promise.resolve(); }
    sending = true;
    var sent = 0;
    return entries().then(function (list) {
      list = list.filter(function (e) { return !e.error; });
      if (!list.length) { return; }
      status("正在发送……");
      return fetch(cfg.token, { credentials: "same-origin", cache: "no-store", headers: { "Accept": "application/json" } })
        .then(function (r) {
          if (!r.ok || r.redirected) { throw new Error("session"); }
          return r.json();
        })
        .then(function (data) {
          // a page from the cache may be another account's: its entries wait for that account
          if (String(data.user) !== String(cfg.user)) { throw new Error("account"); }
          return list.reduce(function (chain, e) {
            return chain.then(function () {
              var body = new FormData();
              e.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
              body.append("csrfmiddlewaretoken", data.token);
              return fetch(e.action, {
                method: "POST", body: body, credentials: "same-origin",
                headers: { "X-Renda-Queue": "1", "X-CSRFToken": data.token, "Accept": "application/json" }
              }).then(function (r) {
                if (r.status === 201) { sent += 1; return remove(e.key); }
                if (r.status === 400) {
                  return r.json().then(function (j) {
                    var msgs = [];
                    Object.keys(j.errors || {}).forEach(function (k) {
                      msgs.push((k ? k + "：" : "") + j.errors[k].join(""));
                    });
                    e.error = msgs.join("；") || "内容有误";
                    return put(e);
                  });
                }
                if (r.status === 403) {  // with a fresh token: refused for good (the mandate ended…)
                  e.error = "没有权限保存这条记录";
                  return put(e);
                }
                throw new Error("status " + r.status);
              });
            });
          }, Promise.resolve());
        })
        .then(function () { status(sent ? "已发送 " + sent + " 条，已保存到系统。" : ""); })
        .catch(function (err) {
          status(err.message === "session" ? "登录已过期：请重新登录，登录后自动发送。"
            : err.message === "account" ? "当前登录的不是登记这些条目的账号：请用原账号登录后发送。"
            : (sent ? "已发送 " + sent + " 条；其余的稍后重试。" : "暂时无法发送，稍后自动重试。"));
        });
    }).then(function () { sending = false; return render(); }, function () { sending = false; });
  }

  // the activity form
  var form = document.querySelector("form[data-offline-form]");
  var notice = document.querySelector("[data-offline-notice]");
  function freshKey() {
    var key = form && form.querySelector("[name=idempotency_key]");
    if (key) { key.value = uuid(); }
  }
  function showState() {
    if (notice) { notice.hidden = navigator.onLine; }
    var button = box && box.querySelector("[data-queue-send]");
    if (button) { button.disabled = !navigator.onLine; }
    if (!form) { return; }
    var files = form.querySelector("input[type=file]");
    if (files) { files.disabled = !navigator.onLine; }
  }
  // the entry's line in the queue: the fields named by data-summary (the activity form: the
  // date, the kind and the place), a choice by its label, long text cut
  function summary() {
    var names = (form.dataset.summary || "on kind place").split(/\s+/);
    return names.map(function (name) {
      var el = form.querySelector("[name=" + name + "]");
      if (!el) { return ""; }
      if (el.tagName === "SELECT") { return el.value && el.selectedIndex >= 0 ? el.options[el.selectedIndex].text : ""; }
      if (el.type === "radio") {
        var on = form.querySelector("[name=" + name + "]:checked");
        var label = on && on.labels && on.labels.length ? on.labels[0].textContent.trim() : "";
        return label || (on ? on.value : "");
      }
      var v = (el.value || "").trim();
      return v.length > 30 ? v.slice(0, 30) + "……" : v;
    }).filter(Boolean).join(" ");
  }
  // where the form posts: not `form.action`, which is the buttons when they are named
  // "action" (the suggestion draft's 检查 / 保存草稿 / 提交)
  function target() {
    return new URL(form.getAttribute("action") || "", window.location.href).href;
  }
  function queue() {
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && typeof value === "string") { fields.push([name, value]); }
    });
    var entry = {
      key: form.querySelector("[name=idempotency_key]").value || uuid(),
      user: cfg.user, action: target(),
      fields: fields, summary: summary(), created: Date.now()
    };
    fields.forEach(function (pair) { if (pair[0] === "idempotency_key") { pair[1] = entry.key; } });
    return put(entry).then(function () {
      form.reset();
      freshKey();
      status("已保存在本机，联网后自动发送。");
      return render();
    });
  }
  if (form) {
    freshKey();  // a page from the cache carries the key it was saved with
    form.addEventListener("submit", function (ev) {
      var files = form.querySelector("input[type=file]");
      var hasFiles = files && !files.disabled && files.files && files.files.length > 0;
      if (navigator.onLine && hasFiles) { return; }  // files: the ordinary post, online only
      // a form with several actions (the suggestion draft: 检查, 保存草稿, 提交): the ordinary
      // post while online; offline its entry is queued (the view saves it as a draft)
      if (navigator.onLine && form.hasAttribute("data-offline-native")) { return; }
      ev.preventDefault();
      if (!form.checkValidity()) { form.reportValidity(); return; }
      if (!navigator.onLine) { queue(); return; }
      // online: post as usual; a network failure queues the entry instead of losing it
      fetch(target(), {
        method: "POST", body: new FormData(form), credentials: "same-origin", redirect: "manual"
      }).then(function (r) {
        if (r.type === "opaqueredirect") { window.location.href = form.dataset.done; return; }
        // a page from the cache may carry an old token: queue it, sending fetches a fresh one
        if (r.status === 403) { queue().then(send); return; }
        HTMLFormElement.prototype.submit.call(form);  // its errors, shown by the page (same key: stored once)
      }, function () { queue(); });
    });
  }

  // sign-out on a shared phone: the next person must not find this deputy's kept pages or
  // unsent entries. Warn when entries are unsent, then drop the caches (renda-deputy-*) and
  // this user's entries before the sign-out is posted.
  function forget() {
    var jobs = [];
    if (window.caches) {
      jobs.push(caches.keys().then(function (names) {
        return Promise.all(names.filter(function (n) { return n.indexOf("renda-deputy-") === 0; })
          .map(function (n) { return caches.delete(n); }));
      }));
    }
    jobs.push(entries().then(function (list) {
      return Promise.all(list.map(function (e) { return remove(e.key); }));
    }));
    try { window.localStorage.removeItem("renda-offline-user"); } catch (err) { /* nothing kept */ }
    return Promise.all(jobs);
  }
  var signout = document.querySelector("form[data-signout]");
  if (signout) {
    var leaving = false;
    signout.addEventListener("submit", function (ev) {
      if (leaving) { return; }
      ev.preventDefault();
      entries().then(function (list) {
        if (list.length && !window.confirm("还有 " + list.length + " 条未发送，退出后将删除。确定退出吗？")) { return; }
        var go = function () { leaving = true; HTMLFormElement.prototype.submit.call(signout); };
        forget().then(go, go);
      }, function () { leaving = true; HTMLFormElement.prototype.submit.call(signout); });
    });
  }

  window.addEventListener("online", function () { showState(); send(); });
  window.addEventListener("offline", showState);
  var again = box && box.querySelector("[data-queue-send]");
  if (again) { again.addEventListener("click", function () { send(); }); }
  showState();
  render().then(send);
})();
