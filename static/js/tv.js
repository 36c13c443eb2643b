// The office screen: countdown, rotating slides, kudos captions and the results reveal.
// Live fragments are morphed in by htmx (see live.js); this file keeps the motion going
// across those updates, so a new review never restarts the slide that is showing.
(function () {
  "use strict";

  var DEFAULT_SLIDE_SECONDS = 20;
  var CAPTION_SECONDS = 5;
  var REVEAL_STEP_MS = 2200;
  var REVEAL_HOLD_MS = 15000;
  var TICKER_PIXELS_PER_SECOND = 90;
  var currentSlide = null;
  var slideTimer = null;
  var captionIndex = 0;
  var lastReveal = "";

  function slideSeconds() {
    var settings = document.getElementById("tv-settings");
    var seconds = settings ? Number(settings.getAttribute("data-slide-seconds")) : 0;
    return seconds >= 10 && seconds <= 60 ? seconds : DEFAULT_SLIDE_SECONDS;
  }

  function slides() {
    return Array.prototype.slice.call(document.querySelectorAll("#tv-slides [data-slide]"));
  }

  function showSlide(id) {
    var all = slides();
    if (!all.length) return;
    var slide = all.find(function (candidate) { return candidate.id === id; }) || all[0];
    currentSlide = slide.id;
    all.forEach(function (candidate) {
      var active = candidate === slide;
      candidate.classList.toggle("is-active", active);
      var video = candidate.querySelector("video");
      if (!video) return;
      if (active) {
        video.muted = true;
        var playing = video.play();
        if (playing && playing.catch) playing.catch(function () {});
      } else {
        video.pause();
      }
    });
  }

  function nextSlide() {
    var all = slides();
    if (!all.length) return;
    var index = all.findIndex(function (slide) { return slide.id === currentSlide; });
    showSlide(all[(index + 1) % all.length].id);
  }

  function restartRotation() {
    if (slideTimer) window.clearInterval(slideTimer);
    slideTimer = window.setInterval(nextSlide, slideSeconds() * 1000);
  }

  function rotateCaptions() {
    captionIndex += 1;
    document.querySelectorAll("[data-captions]").forEach(function (box) {
      var captions = box.children;
      for (var i = 0; i < captions.length; i += 1) {
        captions[i].classList.toggle("is-active", i === captionIndex % captions.length);
      }
    });
  }

  function formatRemaining(milliseconds) {
    if (milliseconds <= 0) return "now";
    var total = Math.floor(milliseconds / 1000);
    var days = Math.floor(total / 86400);
    var hours = Math.floor((total % 86400) / 3600);
    var minutes = Math.floor((total % 3600) / 60);
    var seconds = total % 60;
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    if (days > 0) return days + "d " + hours + "h " + pad(minutes) + "m";
    if (hours > 0) return hours + ":" + pad(minutes) + ":" + pad(seconds);
    return minutes + ":" + pad(seconds);
  }

  function tickCountdowns() {
    document.querySelectorAll("[data-countdown]").forEach(function (element) {
      var at = Date.parse(element.getAttribute("data-countdown"));
      if (!isNaN(at)) element.textContent = formatRemaining(at - Date.now());
    });
  }

  // A steady reading speed however long the ticker is.
  function paceTicker() {
    document.querySelectorAll("[data-ticker]").forEach(function (track) {
      var distance = track.scrollWidth + track.parentElement.clientWidth;
      track.style.animationDuration = Math.max(20, distance / TICKER_PIXELS_PER_SECOND) + "s";
    });
  }

  function runReveal() {
    var reveal = document.getElementById("tv-reveal");
    if (!reveal || !reveal.classList.contains("is-armed")) return;
    var id = reveal.getAttribute("data-reveal");
    if (!id || id === lastReveal) return;
    lastReveal = id;
    var places = Array.prototype.slice.call(reveal.querySelectorAll("[data-reveal-place]"));
    reveal.classList.add("is-running");
    // From the last place shown (tenth) up to first.
    places.reverse().forEach(function (place, step) {
      window.setTimeout(function () { place.classList.add("is-shown"); }, (step + 1) * REVEAL_STEP_MS);
    });
    window.setTimeout(function () {
      if (reveal.getAttribute("data-reveal") === id) reveal.classList.remove("is-running");
    }, (places.length + 1) * REVEAL_STEP_MS + REVEAL_HOLD_MS);
  }

  function afterUpdate() {
    showSlide(currentSlide);
    paceTicker();
    tickCountdowns();
    runReveal();
  }

  document.addEventListener("htmx:wsAfterMessage", function () {
    var seconds = slideSeconds();
    afterUpdate();
    if (slideTimer === null || seconds !== restartRotation.seconds) {
      restartRotation.seconds = seconds;
      restartRotation();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    afterUpdate();
    restartRotation.seconds = slideSeconds();
    restartRotation();
    window.setInterval(tickCountdowns, 1000);
    window.setInterval(rotateCaptions, CAPTION_SECONDS * 1000);
    rotateCaptions();
  });
})();
