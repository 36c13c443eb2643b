// Practice League page glue: CSRF header for htmx, visible errors, small conveniences.
(function () {
  "use strict";

  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function showFlash(message, kind) {
    const flash = document.getElementById("flash");
    if (!flash) return;
    const box = document.createElement("div");
    box.className = "notice notice-" + (kind || "error");
    box.setAttribute("role", "alert");
    const text = document.createElement("p");
    text.textContent = message;
    const close = document.createElement("button");
    close.type = "button";
    close.className = "notice-close";
    close.setAttribute("data-dismiss", "");
    close.setAttribute("aria-label", "Dismiss");
    close.textContent = "×";
    box.append(text, close);
    flash.replaceChildren(box);
  }
  window.League = { csrfToken: csrfToken, showFlash: showFlash };

  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRF-Token"] = csrfToken();
  });

  // An old error should not sit over the page while the next action runs.
  document.addEventListener("htmx:beforeRequest", function () {
    const flash = document.getElementById("flash");
    if (flash) flash.replaceChildren();
  });

  // A request that never reached the server: say so instead of doing nothing.
  document.addEventListener("htmx:sendError", function () {
    showFlash("We couldn't reach the server. Check your connection and try again.");
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    const xhr = event.detail.xhr;
    if (xhr.status < 400) return;
    // A boosted page navigation that failed renders the whole error page.
    if (event.detail.boosted) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
      return;
    }
    // A 4xx fragment is the app's answer (a form shown again with its message); the app
    // sends its own 5xx to #flash (HX-Retarget). Any other 5xx, such as a proxy's error
    // page, must not land inside the page: say what happened instead.
    if (xhr.status >= 500 && !xhr.getResponseHeader("HX-Retarget")) {
      event.detail.shouldSwap = false;
      showFlash("That didn't work (error " + xhr.status + "). Please try again.");
    }
  });

  document.addEventListener("click", function (event) {
    const target = event.target;
    if (!(target instanceof Element)) return;
    const dismiss = target.closest("[data-dismiss]");
    if (dismiss) {
      const notice = dismiss.closest(".notice");
      if (notice) notice.remove();
    }
    const copy = target.closest("[data-copy]");
    if (copy && navigator.clipboard) {
      navigator.clipboard.writeText(copy.getAttribute("data-copy")).then(function () {
        copy.textContent = "Copied";
      });
    }
  });

  document.addEventListener("focusin", function (event) {
    const target = event.target;
    if (target instanceof HTMLInputElement && target.hasAttribute("data-select-on-focus")) {
      target.select();
    }
  });

  // A time zone field left at UTC gets the phone's own zone; the server still validates it.
  function detectTimeZones(root) {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone) return;
    root.querySelectorAll("input[data-detect-time-zone]").forEach(function (input) {
      if (!input.value || input.value === "UTC") input.value = zone;
    });
  }
  document.addEventListener("DOMContentLoaded", function () { detectTimeZones(document); });
  document.addEventListener("htmx:load", function (event) { detectTimeZones(event.target); });
})();
