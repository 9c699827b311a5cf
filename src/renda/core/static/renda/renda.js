// Small progressive enhancements; every page works without this file.
document.addEventListener("click", function (e) {
  var t = e.target.closest("[data-toggle-nav]");
  if (t) { document.querySelector(".sidenav").classList.toggle("open"); }
  var c = e.target.closest("[data-confirm]");
  if (c && !window.confirm(c.getAttribute("data-confirm"))) { e.preventDefault(); }
});

// A workflow diagram wider than its box (a phone) opens on its middle, where the process starts.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".diagram-box").forEach((box) => {
    box.scrollLeft = (box.scrollWidth - box.clientWidth) / 2;
  });
});
