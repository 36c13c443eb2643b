// Review form: once the reviewer presses send, a queued autosave must not race the send.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.id === "review-form") {
      form.dataset.sending = "true";
    }
  }, true);

  document.addEventListener("htmx:confirm", function (event) {
    const source = event.target;
    if (!(source instanceof Element) || source.id !== "draft-status") return;
    const form = source.closest("form");
    if (form && form.dataset.sending === "true") event.preventDefault();
  });
})();
