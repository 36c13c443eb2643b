// Takes waiting to upload. Every kept take goes into IndexedDB first and leaves it only once
// the server has stored it, so nothing recorded is lost when the network drops, the upload
// fails or the phone closes the tab. No DOM here: a page and the service worker
// (importScripts) share it as self.LeagueUploadQueue.
(function (scope) {
  "use strict";

  const DB_NAME = "league-uploads";
  const DB_VERSION = 2;
  const STORE = "takes";
  const SENT_STORE = "sent"; // per drill: when a take of it was last stored by the server
  const MAX_BACKOFF_MS = 30000;
  const FIRST_BACKOFF_MS = 2000;
  // Who is signed in and the CSRF token uploads carry (league/pwa/routes.py offline_pages).
  const SESSION_URL = "/offline/pages";

  let database = null;
  let flushing = null;
  let retryTimer = null;
  let failures = 0;
  const listeners = {};

  function on(event, listener) {
    (listeners[event] = listeners[event] || []).push(listener);
  }

  function emit(event, detail) {
    (listeners[event] || []).forEach(function (listener) { listener(detail); });
  }

  function openDatabase() {
    if (database) return database;
    database = new Promise(function (resolve, reject) {
      const request = scope.indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = function () {
        const db = request.result;
        if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: "key" });
        if (!db.objectStoreNames.contains(SENT_STORE)) db.createObjectStore(SENT_STORE, { keyPath: "drillId" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { database = null; reject(request.error); };
    });
    return database;
  }

  function withStore(mode, work, storeName) {
    const name = storeName || STORE;
    return openDatabase().then(function (db) {
      return new Promise(function (resolve, reject) {
        const transaction = db.transaction(name, mode);
        const result = work(transaction.objectStore(name));
        transaction.oncomplete = function () { resolve(result.result); };
        transaction.onerror = function () { reject(transaction.error); };
        transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }

  function newKey() {
    if (scope.crypto && scope.crypto.randomUUID) return scope.crypto.randomUUID();
    const bytes = new Uint8Array(16);
    scope.crypto.getRandomValues(bytes);
    return Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  // item: {blob, mime, drillId, uploadUrl, memberId}. The key doubles as the server's
  // X-Upload-Key, so a retry of an upload that did arrive never stores the take twice.
  function add(item) {
    const record = Object.assign({ key: newKey(), createdAt: Date.now(), attempts: 0, lastError: "" }, item);
    return withStore("readwrite", function (store) { return store.put(record); }).then(function () {
      emit("change");
      return record;
    });
  }

  // Waiting takes, oldest first; of one drill and of one member's recording if given.
  function list(drillId, memberId) {
    return withStore("readonly", function (store) { return store.getAll(); }).then(function (items) {
      return items
        .filter(function (item) { return drillId === undefined || String(item.drillId) === String(drillId); })
        .filter(function (item) { return !memberId || isRecordedBy(memberId, item); })
        .sort(function (a, b) { return a.createdAt - b.createdAt; });
    });
  }

  function remove(key) {
    return withStore("readwrite", function (store) { return store.delete(key); }).then(function () {
      emit("change");
    });
  }

  function update(record) {
    return withStore("readwrite", function (store) { return store.put(record); });
  }

  function markSent(drillId) {
    return withStore("readwrite", function (store) {
      return store.put({ drillId: String(drillId), at: Date.now() });
    }, SENT_STORE);
  }

  // When (Date.now() clock) a take of this drill was last stored, by any page or the
  // service worker; 0 if never. A page compares it with its own start to know whether
  // the takes it was rendered with may be out of date.
  function lastSentAt(drillId) {
    return withStore("readonly", function (store) { return store.get(String(drillId)); }, SENT_STORE)
      .then(function (record) { return record ? record.at : 0; });
  }

  // Asked once per flush, never taken from a page or saved with a take: the CSRF cookie
  // lasts one browser session, so a token from before the phone restarted its browser
  // (a kept offline page's, say) no longer matches, and a service worker cannot read
  // cookies at all. Resolves {member, csrf_token}, or null when the server can't be reached.
  function fetchSession() {
    return fetch(SESSION_URL, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { "Accept": "application/json" },
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }, function () {
      return null;
    });
  }

  // Resolves {status, body, signedOut}; status 0 means the request never got an answer.
  function send(item, token, onProgress) {
    if (typeof scope.XMLHttpRequest === "undefined") return sendWithFetch(item, token);
    return new Promise(function (resolve) {
      const xhr = new scope.XMLHttpRequest();
      xhr.open("POST", item.uploadUrl);
      xhr.setRequestHeader("Content-Type", item.mime || "application/octet-stream");
      xhr.setRequestHeader("X-CSRF-Token", token);
      xhr.setRequestHeader("X-Upload-Key", item.key);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.onprogress = function (event) {
        if (event.lengthComputable && onProgress) onProgress(event.loaded / event.total);
      };
      xhr.onload = function () {
        resolve({ status: xhr.status, body: parseJson(xhr.responseText), signedOut: isSignInPage(xhr.responseURL) });
      };
      xhr.onerror = xhr.ontimeout = xhr.onabort = function () { resolve({ status: 0, body: null, signedOut: false }); };
      xhr.send(item.blob);
    });
  }

  function sendWithFetch(item, token) {
    return fetch(item.uploadUrl, {
      method: "POST",
      body: item.blob,
      credentials: "same-origin",
      headers: {
        "Content-Type": item.mime || "application/octet-stream",
        "X-CSRF-Token": token,
        "X-Upload-Key": item.key,
        "Accept": "application/json",
      },
    }).then(function (response) {
      return response.text().then(function (text) {
        return { status: response.status, body: parseJson(text), signedOut: isSignInPage(response.url) };
      });
    }, function () {
      return { status: 0, body: null, signedOut: false };
    });
  }

  function parseJson(text) {
    try { return JSON.parse(text); } catch (error) { return null; }
  }

  function isSignInPage(url) {
    return Boolean(url) && new URL(url).pathname === "/signin";
  }

  // Worth trying again later: no answer, signed out, busy, or a server hiccup.
  function isTransient(result) {
    const status = result.status;
    return status === 0 || result.signedOut || status === 401 || status === 403 || status === 408 ||
      status === 429 || status >= 500;
  }

  function keepWaiting(item, result) {
    const message = (result.body && result.body.error) || "";
    item.attempts += 1;
    item.lastError = message;
    return update(item).then(function () {
      emit("failed", { item: item, message: message, signedOut: result.signedOut });
      return "failed";
    });
  }

  // On a shared phone a take waits for the member who recorded it, never uploading as
  // whoever signed in next.
  function isRecordedBy(member, item) {
    return !item.memberId || String(item.memberId) === String(member);
  }

  function uploadOne(item, session) {
    if (!session) return keepWaiting(item, { status: 0, body: null, signedOut: false });
    if (session.member === null) return keepWaiting(item, { status: 0, body: null, signedOut: true });
    if (!isRecordedBy(session.member, item)) return Promise.resolve("skipped");
    emit("progress", { item: item, fraction: 0 });
    return send(item, session.csrf_token, function (fraction) { emit("progress", { item: item, fraction: fraction }); })
      .then(function (result) {
        if (result.status >= 200 && result.status < 300 && !result.signedOut) {
          return markSent(item.drillId).then(function () { return remove(item.key); }).then(function () {
            emit("uploaded", { item: item, take: result.body });
            return "uploaded";
          });
        }
        if (isTransient(result)) return keepWaiting(item, result);
        // The server looked at the take and refused it for good (damaged, too long…).
        const message = (result.body && result.body.error) || "";
        return remove(item.key).then(function () {
          emit("refused", { item: item, message: message || "The server refused this take." });
          return "refused";
        });
      });
  }

  function isOffline() {
    return scope.navigator && scope.navigator.onLine === false;
  }

  // Upload every waiting take, one at a time. Concurrent calls share one run.
  function flush() {
    if (flushing) return flushing;
    if (isOffline()) {
      emit("change");
      return Promise.resolve({ uploaded: 0, failed: 0 });
    }
    clearTimeout(retryTimer);
    flushing = list().then(function (items) {
      if (!items.length) return { uploaded: 0, failed: 0 };
      return fetchSession().then(function (session) { return uploadEach(items, session); });
    }).then(function (summary) {
      flushing = null;
      // Another context (the service worker, another tab) may have sent takes meanwhile.
      emit("change");
      scheduleRetry(summary);
      return summary;
    }, function (error) {
      flushing = null;
      throw error;
    });
    return flushing;
  }

  function uploadEach(items, session) {
    const summary = { uploaded: 0, failed: 0 };
    return items.reduce(function (chain, item) {
      return chain.then(function () {
        return uploadOne(item, session).then(function (outcome) {
          if (outcome === "failed") summary.failed += 1;
          if (outcome === "uploaded") summary.uploaded += 1;
        });
      });
    }, Promise.resolve()).then(function () { return summary; });
  }

  // Back off 2 s, 4 s, 8 s… up to 30 s between attempts while something keeps failing.
  function scheduleRetry(summary) {
    if (summary.failed === 0) {
      failures = 0;
      return;
    }
    failures += 1;
    const delay = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * Math.pow(2, failures - 1));
    emit("retrying", { delayMs: delay });
    retryTimer = setTimeout(flush, delay);
  }

  const api = {
    add: add, list: list, remove: remove, flush: flush, on: on, lastSentAt: lastSentAt,
    fetchSession: fetchSession,
  };
  scope.LeagueUploadQueue = api;
})(self);
