// Installable app glue: registers the service worker, tells it about sign-out, shows the
// iPhone "Add to Home Screen" hint, and lets the worker send queued takes when back online.
(function () {
  "use strict";

  const script = document.currentScript;
  const config = {
    worker: script.dataset.serviceWorker,
    signout: script.dataset.signout,
    signedIn: script.dataset.signedIn === "true",
  };
  const UPLOAD_SYNC_TAG = "league-upload-queue";
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

  function register() {
    if (!hasWorker || !config.worker) return;
    navigator.serviceWorker.register(config.worker, { scope: "/" }).catch(function (error) {
      console.warn("Service worker not registered:", error);
    });
    // A signed-out page (after sign-out, or a session that expired) means nothing of the
    // last person should stay on this phone.
    if (!config.signedIn) tellWorker({ type: "signed-out" });
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

  window.League = Object.assign(window.League || {}, {
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
  });
  register();
})();
