// The record screen: record a take with MediaRecorder, play it back, keep or discard it.
// Kept takes go through LeagueUploadQueue (upload-queue.js), which survives going offline.
(function () {
  "use strict";

  const root = document.getElementById("recorder");
  const queue = window.LeagueUploadQueue;
  if (!root || !queue) return;

  // First supported wins. A browser that can record AAC (Safari) records MP4/AAC, which
  // every phone plays, even when it could also record WebM (Safari 18.4+); Chromium has
  // no AAC encoder and records WebM/Opus. The bare types are the last resort.
  const AAC_AUDIO = "audio/mp4;codecs=mp4a.40.2";
  const MP4_FIRST = {
    audio: [AAC_AUDIO, "audio/mp4", "audio/webm;codecs=opus", "audio/webm"],
    video: ["video/mp4;codecs=avc1,mp4a.40.2", "video/mp4", "video/webm;codecs=vp8,opus", "video/webm"],
  };
  const WEBM_FIRST = {
    audio: ["audio/webm;codecs=opus", "audio/webm", "audio/mp4"],
    video: ["video/webm;codecs=vp8,opus", "video/webm", "video/mp4"],
  };
  const TIMESLICE_MS = 1000;
  const TICK_MS = 200;

  const limitSeconds = Number(root.dataset.timeLimit);
  const drillId = root.dataset.drillId;
  const recordButton = root.querySelector("[data-record]");
  const recordLabel = root.querySelector("[data-record-label]");
  const clock = root.querySelector("[data-clock]");
  const meter = root.querySelector("[data-meter]");
  const camera = root.querySelector("[data-camera]");
  const videoToggle = root.querySelector("[data-video]");
  const status = root.querySelector("[data-status]");
  const errorBox = root.querySelector("[data-recorder-error]");
  const review = root.querySelector("[data-review]");
  const reviewPlayer = root.querySelector("[data-review-player]");
  const queueBox = document.querySelector("[data-upload-queue]");
  const queueStatus = document.querySelector("[data-queue-status]");
  const queueHint = document.querySelector("[data-queue-hint]");
  const progress = document.querySelector("[data-upload-progress]");

  let stream = null;
  let recorder = null;
  let chunks = [];
  let startedAt = 0;
  let ticker = null;
  let pending = null; // {blob, mime, url} waiting for keep or discard
  let retryNote = ""; // when the queue will try again after a failed upload
  let lastWaiting = 0; // takes of this drill in the queue when last looked

  const memberId = window.League ? window.League.memberId : null;

  function formatClock(seconds) {
    const whole = Math.max(0, Math.ceil(seconds));
    return Math.floor(whole / 60) + ":" + String(whole % 60).padStart(2, "0");
  }

  function setStatus(text) { status.textContent = text; }

  function showError(text) {
    errorBox.querySelector("p").textContent = text;
    errorBox.hidden = false;
    errorBox.scrollIntoView({ block: "nearest" });
  }

  function clearError() { errorBox.hidden = true; }

  function explain(error) {
    switch (error && error.name) {
      case "NotAllowedError":
      case "SecurityError":
        return "Microphone access is blocked. Allow the microphone for this site in your " +
          "browser's settings (the icon next to the address), then tap Record again.";
      case "NotFoundError":
      case "OverconstrainedError":
        return videoToggle.checked
          ? "We couldn't find a microphone and camera. Switch video off, or connect them and try again."
          : "We couldn't find a microphone. Connect one (or use your phone) and try again.";
      case "NotReadableError":
      case "AbortError":
        return "Your microphone is busy in another app. Close that app and try again.";
      default:
        return "Recording couldn't start: " + ((error && error.message) || "unknown problem") + ".";
    }
  }

  function pickType(wantVideo) {
    if (typeof MediaRecorder.isTypeSupported !== "function") return "";
    const family = MediaRecorder.isTypeSupported(AAC_AUDIO) ? MP4_FIRST : WEBM_FIRST;
    const types = wantVideo ? family.video : family.audio;
    return types.find(function (type) { return MediaRecorder.isTypeSupported(type); }) || "";
  }

  function canRecord() {
    return typeof window.MediaRecorder === "function" && navigator.mediaDevices &&
      typeof navigator.mediaDevices.getUserMedia === "function";
  }

  async function startRecording() {
    clearError();
    if (!canRecord()) {
      showError("This browser can't record here. Use the latest Safari or Chrome, " +
        "and open the app over https.");
      return;
    }
    const wantVideo = videoToggle.checked;
    recordButton.disabled = true;
    recordLabel.textContent = "Starting…";
    setStatus("Asking for the microphone…");
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: { echoCancellation: true, noiseSuppression: true },
        video: wantVideo ? { facingMode: "user", width: { ideal: 640 }, height: { ideal: 480 } } : false,
      });
    } catch (error) {
      resetButton();
      setStatus("Not recording.");
      showError(explain(error));
      return;
    }
    const type = pickType(wantVideo);
    try {
      recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
    } catch (error) {
      stopStream();
      resetButton();
      showError("This browser can't record audio in a format we can keep. Try the latest Safari or Chrome.");
      return;
    }
    chunks = [];
    recorder.ondataavailable = function (event) { if (event.data && event.data.size) chunks.push(event.data); };
    recorder.onstop = finishRecording;
    if (wantVideo) {
      camera.srcObject = stream;
      camera.hidden = false;
      camera.play().catch(function () { /* the preview is a nicety; recording goes on */ });
    }
    recorder.start(TIMESLICE_MS);
    startedAt = performance.now();
    ticker = setInterval(tick, TICK_MS);
    root.classList.add("is-recording");
    recordButton.disabled = false;
    recordButton.setAttribute("aria-pressed", "true");
    recordLabel.textContent = "Stop";
    setStatus("Recording… tap Stop when you're done.");
  }

  function tick() {
    const elapsed = (performance.now() - startedAt) / 1000;
    clock.textContent = formatClock(limitSeconds - elapsed);
    meter.style.width = Math.min(100, (elapsed / limitSeconds) * 100) + "%";
    // Stop a little early so the clip lands inside the limit.
    if (elapsed >= limitSeconds - 0.2) stopRecording();
  }

  function stopRecording() {
    clearInterval(ticker);
    ticker = null;
    if (recorder && recorder.state !== "inactive") recorder.stop();
  }

  function stopStream() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    camera.srcObject = null;
    camera.hidden = true;
  }

  function resetButton() {
    root.classList.remove("is-recording");
    recordButton.disabled = false;
    recordButton.setAttribute("aria-pressed", "false");
    recordLabel.textContent = "Record";
    clock.textContent = formatClock(limitSeconds);
    meter.style.width = "0";
  }

  function finishRecording() {
    const mime = (recorder && recorder.mimeType) || (chunks[0] && chunks[0].type) || "";
    const blob = new Blob(chunks, { type: mime });
    recorder = null;
    chunks = [];
    stopStream();
    resetButton();
    if (!blob.size) {
      showError("Nothing was recorded. Check your microphone and try again.");
      return;
    }
    pending = { blob: blob, mime: mime, url: URL.createObjectURL(blob) };
    showReview(pending);
  }

  function showReview(take) {
    const isVideo = take.mime.indexOf("video/") === 0;
    const player = document.createElement(isVideo ? "video" : "audio");
    player.controls = true;
    player.src = take.url;
    player.className = "take-player";
    player.setAttribute("playsinline", "");
    player.setAttribute("data-review-media", "");
    reviewPlayer.replaceChildren(player);
    review.hidden = false;
    recordButton.disabled = true;
    setStatus("Listen back, then keep it or discard it.");
  }

  function closeReview() {
    if (pending) URL.revokeObjectURL(pending.url);
    pending = null;
    reviewPlayer.replaceChildren();
    review.hidden = true;
    recordButton.disabled = false;
  }

  async function keep() {
    const take = pending;
    closeReview();
    await queue.add({
      blob: take.blob,
      mime: take.mime,
      drillId: drillId,
      uploadUrl: root.dataset.uploadUrl,
      memberId: memberId,
    });
    setStatus("Take kept. Record another whenever you like.");
    queue.flush();
  }

  function discard() {
    closeReview();
    setStatus("Take discarded. Tap record to go again.");
  }

  // A take that left the queue was stored (by this page, the service worker or another
  // tab) or refused: either way the takes panel is out of date.
  async function showQueue(uploading) {
    const waiting = await queue.list(drillId, memberId);
    if (waiting.length < lastWaiting) document.body.dispatchEvent(new CustomEvent("takes-changed"));
    lastWaiting = waiting.length;
    queueBox.hidden = waiting.length === 0;
    progress.hidden = !uploading;
    if (!waiting.length) return;
    const count = waiting.length === 1 ? "1 take" : waiting.length + " takes";
    if (uploading) {
      queueStatus.textContent = "Uploading " + count + "…";
    } else {
      queueStatus.textContent = count + " waiting to upload";
    }
    const last = waiting[waiting.length - 1].lastError;
    queueHint.textContent = navigator.onLine === false
      ? "You're offline. Your takes are saved on this phone and upload by themselves when you're back online."
      : retryNote || last || "Saved on this phone until the upload finishes.";
  }

  queue.on("change", function () { showQueue(false); });
  queue.on("progress", function (detail) {
    if (String(detail.item.drillId) !== String(drillId)) return;
    retryNote = "";
    progress.value = Math.round(detail.fraction * 100);
    progress.textContent = progress.value + "%";
    showQueue(true);
  });
  queue.on("uploaded", function (detail) {
    progress.value = 0;
    if (String(detail.item.drillId) !== String(drillId)) return;
    setStatus("Take uploaded. It's in your takes below.");
  });
  queue.on("failed", function (detail) {
    progress.value = 0;
    showQueue(false);
    if (detail.signedOut) showError("You're signed out. Sign in again and your waiting takes will upload.");
  });
  queue.on("refused", function (detail) {
    progress.value = 0;
    showError("That take couldn't be kept: " + detail.message);
  });
  queue.on("retrying", function (detail) {
    retryNote = "The upload didn't finish. Trying again in " + Math.round(detail.delayMs / 1000) + " s.";
    showQueue(false);
  });

  recordButton.addEventListener("click", function () {
    if (recorder && recorder.state === "recording") stopRecording();
    else startRecording();
  });
  root.querySelector("[data-keep]").addEventListener("click", keep);
  root.querySelector("[data-discard]").addEventListener("click", discard);

  const toggle = document.querySelector("[data-toggle-key-points]");
  if (toggle) {
    toggle.addEventListener("click", function () {
      const list = document.getElementById(toggle.getAttribute("aria-controls"));
      const showing = toggle.getAttribute("aria-expanded") === "true";
      list.hidden = showing;
      document.querySelector("[data-key-points-note]").hidden = !showing;
      toggle.setAttribute("aria-expanded", String(!showing));
      toggle.textContent = showing ? "Show" : "Hide";
    });
  }

  // The service worker sends waiting takes by itself (Background Sync), possibly before
  // this page had a look at the queue.
  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      const data = event.data || {};
      if (data.type === "uploads-flushed" && data.summary && data.summary.uploaded) {
        document.body.dispatchEvent(new CustomEvent("takes-changed"));
      }
    });
  }
  // A take stored after this page was requested (by the worker, say, as the phone came
  // back online) may be missing from the list the server rendered.
  queue.lastSentAt(drillId).then(function (sentAt) {
    if (sentAt >= performance.timeOrigin) document.body.dispatchEvent(new CustomEvent("takes-changed"));
  });
  window.addEventListener("online", function () { queue.flush(); });
  window.addEventListener("offline", function () { showQueue(false); });
  showQueue(false);
  queue.flush();
})();
