// Take players: play/pause, a progress bar and "0:04 / 0:12" from the duration the server
// stored, so a take shows its real length before a byte of it has loaded (a native player
// with preload="none" shows "0:00 / 0:00"). Delegated, so players swapped in by htmx work.
(function () {
  "use strict";

  function clock(seconds) {
    var whole = Math.max(0, Math.round(seconds || 0));
    return Math.floor(whole / 60) + ":" + String(whole % 60).padStart(2, "0");
  }

  function parts(player) {
    return {
      media: player.querySelector("audio, video"),
      button: player.querySelector("[data-play]"),
      progress: player.querySelector("[data-progress]"),
      time: player.querySelector("[data-time]"),
      duration: Number(player.getAttribute("data-duration")) || 0,
    };
  }

  function render(player) {
    var p = parts(player);
    var known = Number.isFinite(p.media.duration) && p.media.duration > 0 ? p.media.duration : p.duration;
    var playing = !p.media.paused && !p.media.ended;
    player.classList.toggle("is-playing", playing);
    p.button.setAttribute("aria-pressed", playing ? "true" : "false");
    p.button.querySelector("[data-play-label]").textContent = playing ? "Pause" : "Play";
    p.progress.max = known || 1;
    p.progress.value = Math.min(p.media.currentTime, known || 1);
    p.time.textContent = clock(p.media.currentTime) + " / " + clock(known);
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var button = target.closest("[data-take-player] [data-play]");
    if (!button) return;
    var player = button.closest("[data-take-player]");
    var media = parts(player).media;
    // One take at a time: starting this one pauses any other.
    document.querySelectorAll("[data-take-player] audio, [data-take-player] video").forEach(function (other) {
      if (other !== media && !other.paused) other.pause();
    });
    if (media.paused || media.ended) {
      var started = media.play();
      if (started && started.catch) started.catch(function () { render(player); });
    } else {
      media.pause();
    }
  });

  ["play", "pause", "ended", "timeupdate", "loadedmetadata"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      var target = event.target;
      if (!(target instanceof Element)) return;
      var player = target.closest("[data-take-player]");
      if (player) render(player);
    }, true);
  });
})();
