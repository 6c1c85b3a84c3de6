// debrief's service worker: the app opens instantly and, without a network,
// still opens the log form (what is typed there is queued by app.js).
"use strict";

const CACHE = "debrief-1";
// The pages of the daily loop, and every asset (the server fills in their names).
const SHELL = ["/", "/log", "/agenda", "/today"].concat(/*ASSETS*/[]);

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (url.pathname.startsWith("/assets/")) {
    // Asset names carry their content's hash: a cached one is always right.
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request).then((response) => keep(request, response))));
  } else if (request.mode === "navigate") {
    // Pages: the network first (the numbers must be fresh), the last copy without one.
    event.respondWith(
      fetch(request)
        .then((response) => keep(request, response))
        .catch(() => caches.match(request).then((hit) => hit || caches.match("/log"))),
    );
  }
});

function keep(request, response) {
  if (response.ok) {
    const copy = response.clone();
    caches.open(CACHE).then((cache) => cache.put(request, copy));
  }
  return response;
}
