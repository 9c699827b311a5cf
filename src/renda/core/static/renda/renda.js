// Small progressive enhancements; every page works without this file.
document.addEventListener("click", function (e) {
  var t = e.target.closest("[data-toggle-nav]");
  if (t) {
    var open = document.querySelector(".sidenav").classList.toggle("open");
    t.setAttribute("aria-expanded", open ? "true" : "false");
    t.textContent = open ? "✕" : "☰";
  }
  var c = e.target.closest("[data-confirm]");
  if (c && !window.confirm(c.getAttribute("data-confirm"))) { e.preventDefault(); }
});
