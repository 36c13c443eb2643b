// Countdowns: every <time data-countdown datetime="..."> shows how long is left, updated
// in place. When one runs out, Today reloads its content so the new round state shows.
(function () {
  "use strict";

  const MINUTE_MS = 60 * 1000;
  const SOON_MS = 60 * MINUTE_MS;
  // The server moves rounds on its worker tick; give it a moment before asking again.
  const REFRESH_DELAY_MS = 4000;
  const MAX_REFRESHES = 5; // if the state still hasn't moved, stop asking
  let refreshScheduled = false;
  let refreshes = 0;

  function plural(count, word) {
    return count + " " + word + (count === 1 ? "" : "s");
  }

  // Same wording as describe_duration in league/seasons/today.py.
  function describe(remainingMs) {
    if (remainingMs <= 0) return "no time";
    const minutes = Math.floor(remainingMs / MINUTE_MS);
    const days = Math.floor(minutes / (24 * 60));
    const hours = Math.floor(minutes / 60) % 24;
    const mins = minutes % 60;
    if (days) return hours ? plural(days, "day") + " " + plural(hours, "hour") : plural(days, "day");
    if (hours) return plural(hours, "hour") + " " + mins + " min";
    return mins ? mins + " min" : "under a minute";
  }

  function refreshToday() {
    const today = document.getElementById("today");
    if (!today || refreshScheduled || refreshes >= MAX_REFRESHES || !window.htmx) return;
    refreshScheduled = true;
    refreshes += 1;
    window.setTimeout(function () {
      refreshScheduled = false;
      window.htmx.ajax("GET", today.getAttribute("data-refresh-url"), { target: "#today", swap: "innerHTML" });
    }, REFRESH_DELAY_MS);
  }

  function tick() {
    const now = Date.now();
    document.querySelectorAll("time[data-countdown]").forEach(function (element) {
      const remaining = Date.parse(element.getAttribute("datetime")) - now;
      if (Number.isNaN(remaining)) return;
      const text = describe(remaining);
      if (element.textContent !== text) element.textContent = text;
      const holder = element.closest(".countdown");
      if (holder) holder.classList.toggle("is-soon", remaining > 0 && remaining < SOON_MS);
      if (remaining <= 0 && !element.hasAttribute("data-expired")) {
        element.setAttribute("data-expired", "");
        refreshToday();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSettle", tick);
  window.setInterval(tick, 15 * 1000);
})();
