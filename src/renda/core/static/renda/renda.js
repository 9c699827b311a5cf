// Small progressive enhancements; every page works without this file.
document.addEventListener("click", function (e) {
  var t = e.target.closest("[data-toggle-nav]");
  if (t) { document.querySelector(".sidenav").classList.toggle("open"); }
  var c = e.target.closest("[data-confirm]");
  if (c && !window.confirm(c.getAttribute("data-confirm"))) { e.preventDefault(); }
});

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
