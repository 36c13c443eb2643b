// Practice League service worker, served at /sw.js with VERSION, PRECACHE, ICON, BADGE and
// UPLOAD_QUEUE prepended by the server (league/pwa/routes.py).
//
// Pages: network first. Offline, the signed-in member's kept pages answer (Today, the
// record screens of the open round's drills, and an offline page with their tabs), and
// any other page is that offline page. Kept pages live in one cache per member, filled
// when a page of theirs opens online and deleted when they sign out, when nobody is
// signed in, or when someone else signs in: a shared phone shows nobody the last
// member's pages. Versioned static files (/static/...?v=hash): cache first, kept until
// their hash changes. Anything that is not a GET (forms, take uploads) goes to the
// network untouched.
/* global VERSION, PRECACHE, ICON, BADGE, UPLOAD_QUEUE */
"use strict";

// The page's upload queue (IndexedDB), shared so the worker can send takes by itself.
importScripts(UPLOAD_QUEUE);

const STATIC_CACHE = "league-static-" + VERSION;
const OFFLINE_CACHE = "league-offline-" + VERSION; // the offline page of nobody in particular
const PAGES_CACHE_PREFIX = "league-pages-"; // + member id: that member's kept pages
const OFFLINE_URL = "/offline";
const UPLOAD_SYNC_TAG = "league-upload-queue";
const KEEP_PAGES_EVERY_MS = 60 * 1000; // refetch kept pages at most this often per member

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
        if (!keep.has(name) && !name.startsWith(PAGES_CACHE_PREFIX)) await caches.delete(name);
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
    event.respondWith(networkFirstPage(event));
  } else if (url.pathname.startsWith("/static/") && url.searchParams.has("v")) {
    event.respondWith(cacheFirst(request));
  }
});

async function networkFirstPage(event) {
  try {
    const response = await fetch(event.request);
    event.waitUntil(oneAtATime(() => refreshKeptPage(response.clone())));
    return response;
  } catch (error) {
    return (await keptPage(event.request.url)) || (await offlinePage());
  }
}

async function offlinePage() {
  const mine = await keptPage(OFFLINE_URL);
  const anyones = await caches.match(OFFLINE_URL, { cacheName: OFFLINE_CACHE });
  return mine || anyones || Response.error();
}

async function cacheFirst(request) {
  const cache = await caches.open(STATIC_CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    // Offline, a page kept before the app updated names the old version of a file.
    const older = await cache.match(request, { ignoreSearch: true });
    if (older) return older;
    throw error;
  }
}

// --- The member's kept pages --------------------------------------------------------

// Cache changes run one after another, so a sign-out never races a refill that would
// bring the member's pages back.
let lastCacheTask = Promise.resolve();
function oneAtATime(task) {
  const run = lastCacheTask.then(task);
  lastCacheTask = run.catch((error) => console.warn("Offline pages not updated:", error));
  return run;
}

function pageKey(raw) {
  const url = new URL(raw, self.location.origin);
  return url.origin + url.pathname;
}

async function keptPagesCacheName() {
  return (await caches.keys()).find((name) => name.startsWith(PAGES_CACHE_PREFIX)) || null;
}

async function keptPage(url) {
  const name = await keptPagesCacheName();
  if (!name) return undefined;
  return (await caches.open(name)).match(pageKey(url));
}

// A kept page the member just opened online: keep this fresher copy.
async function refreshKeptPage(response) {
  const name = await keptPagesCacheName();
  if (!name || !response.ok || response.redirected || response.type !== "basic") return;
  const cache = await caches.open(name);
  const key = pageKey(response.url);
  if (await cache.match(key)) await cache.put(key, response);
}

async function forgetKeptPages(exceptName) {
  for (const name of await caches.keys()) {
    if (name.startsWith(PAGES_CACHE_PREFIX) && name !== exceptName) await caches.delete(name);
  }
}

// session: the answer of /offline/pages, {member, csrf_token, pages}.
async function keepPages(session) {
  const name = PAGES_CACHE_PREFIX + session.member;
  await forgetKeptPages(name);
  const cache = await caches.open(name);
  const wanted = new Set(session.pages.map(pageKey));
  for (const request of await cache.keys()) {
    if (!wanted.has(request.url)) await cache.delete(request);
  }
  const pages = await Promise.all(Array.from(wanted, async (url) => {
    return { url: url, response: await fetch(url, { credentials: "same-origin" }) };
  }));
  // A redirect (to sign in) means the session ended meanwhile: keep nothing at all.
  if (pages.some((page) => page.response.redirected)) {
    await caches.delete(name);
    return;
  }
  for (const page of pages) {
    if (page.response.ok) await cache.put(page.url, page.response);
  }
}

let keptFor = { member: null, at: 0 };

function keptPagesAreFresh(member) {
  return keptFor.member === member && Date.now() - keptFor.at < KEEP_PAGES_EVERY_MS;
}

// A page the server rendered opened (or came back online). message: {member, sendsOwnUploads}.
async function pageOpened(message) {
  if (!message.member) {
    keptFor = { member: null, at: 0 };
    return oneAtATime(() => forgetKeptPages(null));
  }
  if (!message.sendsOwnUploads) await sendWaitingTakes();
  if (keptPagesAreFresh(message.member)) return undefined;
  const session = await self.LeagueUploadQueue.fetchSession();
  if (!session) return undefined; // no answer: keep what is kept
  if (!session.member) return oneAtATime(() => forgetKeptPages(null));
  await oneAtATime(() => keepPages(session));
  keptFor = { member: String(session.member), at: Date.now() };
  return undefined;
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

// Only a real sign-out comes here, never the offline page.
async function forgetSignedInState() {
  keptFor = { member: null, at: 0 };
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
  if (data.type === "signed-out") event.waitUntil(oneAtATime(forgetSignedInState));
  if (data.type === "page-opened") event.waitUntil(pageOpened(data));
});

// The worker sends waiting takes by itself: on Background Sync (the browser wakes it once
// the phone is back online, even with no page open) and whenever a page of the app opens.
// The server knows each take by its upload key, so a page sending the same take at the
// same time stores it once.
async function sendWaitingTakes() {
  const summary = await self.LeagueUploadQueue.flush();
  const windows = await self.clients.matchAll({ type: "window" });
  for (const client of windows) client.postMessage({ type: "uploads-flushed", summary: summary });
  return summary;
}

async function syncWaitingTakes() {
  const summary = await sendWaitingTakes();
  // Rejecting asks the browser to fire the sync again later.
  if (summary.failed) throw new Error(summary.failed + " takes still waiting");
}

self.addEventListener("sync", (event) => {
  if (event.tag === UPLOAD_SYNC_TAG) event.waitUntil(syncWaitingTakes());
});
