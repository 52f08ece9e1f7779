// Service worker of the scanner: the page and its files load without a network.
// Served from /registrasi-ulang/sw.js (scope: the scanner pages); the server fills in ASSETS and
// VERSION. API calls are never cached: the page keeps the roster and the queue in IndexedDB.
const ASSETS = /*ASSETS*/ [];
const VERSION = /*VERSION*/ "dev";
const STATIC_CACHE = `checkin-static-${VERSION}`;
// ASSETS carry their version (?v=); a page kept offline from an older release names older
// versions of the same files, so they are matched by path and served from this release's cache.
const ASSET_PATHS = new Set(ASSETS.map((a) => new URL(a, self.location.origin).pathname));
const PAGE_CACHE = "checkin-pages-v1";
// Only scanner pages (<scope><event id>) are kept for offline use, not history or forms.
const SCANNER_PAGE = new RegExp(`^${new URL(self.registration.scope).pathname}\\d+/?$`);

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(STATIC_CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys
        .filter((k) => k.startsWith("checkin-static-") && k !== STATIC_CACHE)
        .map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

async function pageFirstFromNetwork(request) {
  const cache = await caches.open(PAGE_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected && response.type === "basic") {
      cache.put(new URL(request.url).pathname, response.clone());
    }
    return response;
  } catch (err) {
    const cached = await cache.match(new URL(request.url).pathname);
    if (cached) return cached;
    return new Response(
      "<!doctype html><meta charset=utf-8><title>Tidak tersambung</title><p>Tidak ada jaringan dan halaman ini belum tersimpan di perangkat.</p>",
      { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } },
    );
  }
}

async function assetFromCache(request) {
  const cache = await caches.open(STATIC_CACHE);
  const cached = await cache.match(request, { ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.includes("/api/")) return;
  if (request.mode === "navigate" && SCANNER_PAGE.test(url.pathname)) {
    event.respondWith(pageFirstFromNetwork(request));
  } else if (ASSET_PATHS.has(url.pathname)) {
    event.respondWith(assetFromCache(request));
  }
});
