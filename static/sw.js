// Practice League service worker, served at /sw.js with VERSION, PRECACHE, ICON and BADGE
// prepended by the server (league/pwa/routes.py).
//
// Pages: network first, the offline page when the network fails. Signed-in pages are
// never cached, so nothing private outlives sign-out. Versioned static files
// (/static/...?v=hash): cache first, kept until their hash changes. Anything that is
// not a GET (forms, take uploads from the upload queue) is left to the network untouched.
/* global VERSION, PRECACHE, ICON, BADGE, UPLOAD_QUEUE */
"use strict";

// The page's upload queue (IndexedDB), shared so the worker can send takes by itself.
importScripts(UPLOAD_QUEUE);

const STATIC_CACHE = "league-static-" + VERSION;
const OFFLINE_CACHE = "league-offline-" + VERSION;
const OFFLINE_URL = "/offline";
const UPLOAD_SYNC_TAG = "league-upload-queue";

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const offline = await caches.open(OFFLINE_CACHE);
      // Fetched without cookies: the fallback page must not carry anyone's name.
      await offline.add(new Request(OFFLINE_URL, { cache: "reload", credentials: "omit" }));
      const statics = await caches.open(STATIC_CACHE);
      await statics.addAll(PRECACHE);
      await self.skipWaiting();
    })()
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const keep = new Set([STATIC_CACHE, OFFLINE_CACHE]);
      for (const name of await caches.keys()) {
        if (!keep.has(name)) await caches.delete(name);
      }
      await self.clients.claim();
    })()
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(networkFirstPage(request));
  } else if (url.pathname.startsWith("/static/") && url.searchParams.has("v")) {
    event.respondWith(cacheFirst(request));
  }
});

async function networkFirstPage(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const fallback = await caches.match(OFFLINE_URL, { cacheName: OFFLINE_CACHE });
    return fallback || Response.error();
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(STATIC_CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

// --- Push --------------------------------------------------------------------------

function samePageUrl(raw) {
  // Only ever open pages of this site, whatever a payload says.
  try {
    const url = new URL(raw || "/", self.location.origin);
    return url.origin === self.location.origin ? url.href : self.location.origin + "/";
  } catch (error) {
    return self.location.origin + "/";
  }
}

function readPayload(data) {
  if (!data) return {};
  try {
    return data.json();
  } catch (error) {
    return { body: data.text() };
  }
}

self.addEventListener("push", (event) => {
  const payload = readPayload(event.data);
  const options = {
    body: payload.body || "",
    icon: ICON,
    badge: BADGE,
    data: { url: samePageUrl(payload.url) },
  };
  if (payload.tag) {
    options.tag = payload.tag;
    options.renotify = true;
  }
  event.waitUntil(self.registration.showNotification(payload.title || "Practice League", options));
});

async function openOrFocus(target) {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const exact = windows.find((client) => client.url === target);
  if (exact) return exact.focus();
  const ours = windows.find((client) => new URL(client.url).origin === self.location.origin);
  if (ours) {
    const moved = (await ours.navigate(target)) || ours;
    return moved.focus();
  }
  return self.clients.openWindow(target);
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = samePageUrl(event.notification.data && event.notification.data.url);
  event.waitUntil(openOrFocus(target));
});

// --- Sign-out and the upload queue -------------------------------------------------

async function forgetSignedInState() {
  const keep = new Set([STATIC_CACHE, OFFLINE_CACHE]);
  for (const name of await caches.keys()) {
    if (!keep.has(name)) await caches.delete(name);
  }
  // The server already deleted this device's subscription with the session; dropping the
  // browser's side too means the next person on this phone starts from "off".
  const subscription = await self.registration.pushManager.getSubscription();
  if (subscription) await subscription.unsubscribe();
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "signed-out") event.waitUntil(forgetSignedInState());
});

// Background Sync: the browser wakes the worker once the phone is back online, even with
// no page open, and the worker sends the waiting takes itself. The server knows each take
// by its upload key, so a page sending the same take at the same time stores it once.
async function sendWaitingTakes() {
  const summary = await self.LeagueUploadQueue.flush();
  const windows = await self.clients.matchAll({ type: "window" });
  for (const client of windows) client.postMessage({ type: "uploads-flushed", summary: summary });
  // Rejecting asks the browser to fire the sync again later.
  if (summary.failed) throw new Error(summary.failed + " takes still waiting");
}

self.addEventListener("sync", (event) => {
  if (event.tag === UPLOAD_SYNC_TAG) event.waitUntil(sendWaitingTakes());
});
