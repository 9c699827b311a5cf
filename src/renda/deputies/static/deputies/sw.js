// The deputy's offline worker. Served at /work/deputies/sw.js by views_offline.service_worker,
// which puts `var CONFIG = {...}` (hashed asset URLs, the pages to keep, a version) before
// this file and allows the scope /work/ (Service-Worker-Allowed).
//
// The deputy's pages (the start page and /work/deputies/…): network first, the copy kept in
// the cache when the network is gone — kept only when the view marked the page as the
// signed-in deputy's own (header CONFIG.keep); any other answer drops the copy of that URL, so
// a keeper's pages (群众留言 with phone numbers, the roster) never stay in the browser. Static files: the cached copy, refreshed in the
// background (stale-while-revalidate). Everything else, and every POST, goes to the network
// untouched: entries made offline are queued by offline.js in the page, not here.
/* global CONFIG */
var CACHE = "renda-deputy-" + CONFIG.version;

function keepable(r) {
  return r.ok && r.type === "basic" && !r.redirected && r.headers.get(CONFIG.keep) === "keep";
}

function keep(cache, url) {
  return fetch(url, { credentials: "same-origin", redirect: "manual" }).then(function (r) {
    if (keepable(r)) { return cache.put(url, r); }
  }).catch(function () {});
}

self.addEventListener("install", function (e) {
  e.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(CONFIG.assets.concat(CONFIG.pages).map(function (u) { return keep(cache, u); }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (e) {
  e.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) {
      return n.indexOf("renda-deputy-") === 0 && n !== CACHE;
    }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

function isPage(path) {
  if (path === CONFIG.start) { return true; }
  if (!CONFIG.prefixes.some(function (p) { return path.indexOf(p) === 0; })) { return false; }
  // not the worker, the manifest, the token or a download
  return CONFIG.skip.indexOf(path) < 0 && !/\.(docx|js|json)$/.test(path);
}

function offlinePage() {
  var html = "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>" +
    "<title>离线</title><p>当前离线，此页面尚未保存在本机。联网后再打开；" +
    "<a href='" + CONFIG.form + "'>登记履职活动</a>可离线使用。</p>";
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

self.addEventListener("fetch", function (e) {
  var req = e.request;
  if (req.method !== "GET") { return; }
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf(CONFIG.static) === 0) {
    // the kept copy at once, refreshed behind it (names without a hash, as in development,
    // are up to date from the next load)
    var fresh = fetch(req).then(function (r) {
      if (r.ok) {
        var copy = r.clone();
        caches.open(CACHE).then(function (c) { c.put(req, copy); });
      }
      return r;
    });
    e.respondWith(caches.match(req).then(function (hit) { return hit || fresh; }));
    e.waitUntil(fresh.catch(function () {}));
    return;
  }
  if (!isPage(url.pathname)) { return; }
  e.respondWith(fetch(req).then(function (r) {
    // a page of the signed-in deputy's own: kept; anything else (another account's page, the
    // login page a lost session redirects to, a refusal): the old copy of this URL goes
    var copy = keepable(r) ? r.clone() : null;
    caches.open(CACHE).then(function (c) {
      return copy ? c.put(req, copy) : c.delete(req, { ignoreVary: true });
    });
    return r;
  }).catch(function () {
    return caches.match(req, { ignoreVary: true }).then(function (hit) {
      return hit || caches.match(req, { ignoreSearch: true, ignoreVary: true });
    }).then(function (hit) { return hit || offlinePage(); });
  }));
});
