// Installable app glue: registers the service worker, tells it who is signed in (so it
// keeps their pages for offline use and sends their waiting takes) and about sign-out,
// shows the iPhone "Add to Home Screen" hint, and brings the offline page back by itself.
(function () {
  "use strict";

  const script = document.currentScript;
  const config = {
    worker: script.dataset.serviceWorker,
    signout: script.dataset.signout,
    member: script.dataset.member || null,
  };
  const UPLOAD_SYNC_TAG = "league-upload-queue";
  const PROBE_EVERY_MS = 5000;
  const hasWorker = "serviceWorker" in navigator;

  function isIos() {
    // iPadOS reports itself as a Mac; touch points tell them apart.
    return /iphone|ipad|ipod/i.test(navigator.userAgent) ||
      (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
  }

  function isStandalone() {
    return window.matchMedia("(display-mode: standalone)").matches || navigator.standalone === true;
  }

  function needsInstallForPush() {
    return isIos() && !isStandalone();
  }

  function showInstallHints(root) {
    root.querySelectorAll("[data-install-hint]").forEach(function (hint) {
      hint.hidden = !needsInstallForPush();
    });
  }

  function tellWorker(message) {
    if (hasWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage(message);
    }
  }

  // The offline page stands in for a page the worker could not fetch: it says nothing
  // about who is signed in, so it never tells the worker anything.
  function isOfflinePage() {
    return document.querySelector("[data-offline-page]") !== null;
  }

  // Sent on every page the server rendered, and when the connection returns. The worker
  // keeps this member's Today and record screens for offline use (or drops them when
  // nobody is signed in) and sends waiting takes, unless this page sends them itself.
  function tellWorkerPageOpened() {
    if (!hasWorker || isOfflinePage()) return;
    const message = {
      type: "page-opened",
      member: config.member,
      sendsOwnUploads: Boolean(window.LeagueUploadQueue),
    };
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) registration.active.postMessage(message);
    });
  }

  function register() {
    if (!hasWorker || !config.worker) return;
    navigator.serviceWorker.register(config.worker, { scope: "/" }).catch(function (error) {
      console.warn("Service worker not registered:", error);
    });
  }

  // Offline page: go back to the page the rep wanted as soon as the server answers, on
  // the browser's "online" event or a periodic probe (that event is not always sent).
  function returnWhenOnline() {
    const page = document.querySelector("[data-offline-page]");
    if (!page) return;
    const retry = page.querySelector("[data-offline-retry]");
    if (retry) retry.href = window.location.href;
    let returning = false;
    function probe() {
      if (returning) return;
      fetch(page.dataset.probeUrl, { cache: "no-store" }).then(function (response) {
        if (!response.ok || returning) return;
        returning = true;
        window.location.reload();
      }, function () { /* still offline: the next probe tries again */ });
    }
    window.addEventListener("online", probe);
    window.setInterval(probe, PROBE_EVERY_MS);
  }

  function isSignoutForm(form) {
    return form instanceof HTMLFormElement && config.signout &&
      new URL(form.action, window.location.href).pathname === config.signout;
  }

  // Capture phase: runs before htmx turns the boosted form into a request.
  document.addEventListener("submit", function (event) {
    if (!isSignoutForm(event.target)) return;
    tellWorker({ type: "signed-out" });
    try { window.sessionStorage.clear(); } catch (error) { /* storage disabled: nothing kept */ }
  }, true);

  // Background Sync: when a take could not be sent, ask the browser to wake the worker
  // once the phone is back online, even if this page is closed by then.
  function requestUploadSync() {
    if (!hasWorker) return Promise.resolve();
    return navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register(UPLOAD_SYNC_TAG);
      return undefined;
    }).catch(function (error) {
      console.warn("Background sync unavailable:", error);
    });
  }

  let watchedQueue = null;
  function watchUploadQueue() {
    const queue = window.LeagueUploadQueue;
    if (!queue || queue === watchedQueue) return;
    watchedQueue = queue;
    queue.on("failed", requestUploadSync);
    queue.on("change", function () {
      if (navigator.onLine === false) requestUploadSync();
    });
  }

  if (hasWorker) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      const data = event.data || {};
      // The worker sent the queue while the page was open: refresh what the page shows.
      if (data.type === "uploads-flushed" && window.LeagueUploadQueue) window.LeagueUploadQueue.flush();
    });
  }

  window.addEventListener("online", tellWorkerPageOpened);

  window.League = Object.assign(window.League || {}, {
    memberId: config.member,
    requestUploadSync: requestUploadSync,
    needsInstallForPush: needsInstallForPush,
  });

  document.addEventListener("htmx:load", function (event) {
    showInstallHints(event.detail.elt);
    watchUploadQueue();
  });
  document.addEventListener("DOMContentLoaded", function () {
    showInstallHints(document);
    watchUploadQueue();
    tellWorkerPageOpened();
    returnWhenOnline();
  });
  register();
})();
