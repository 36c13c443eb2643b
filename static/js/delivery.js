// Delivery feedback on the take screen: results arrive over the live socket
// ([data-feedback-socket]). A pending result's slow poll (every 10 s) only goes out while
// that socket is down, or for a result pending so long that its message must have been
// missed; when the socket (re)opens, every pending result is checked once, since results
// finished while it was down were never sent.
(function () {
  "use strict";

  var STALE_MS = 30000;
  var socketOpen = false;
  var pendingSince = new WeakMap();

  function isFeedbackSocket(element) {
    return element instanceof Element && element.closest("[data-feedback-socket]") !== null;
  }

  document.addEventListener("htmx:wsOpen", function (event) {
    if (!isFeedbackSocket(event.target)) return;
    socketOpen = true;
    document.querySelectorAll("[data-feedback-pending]").forEach(function (element) {
      htmx.trigger(element, "feedback-check");
    });
  });

  document.addEventListener("htmx:wsClose", function (event) {
    if (isFeedbackSocket(event.target)) socketOpen = false;
  });

  document.addEventListener("htmx:confirm", function (event) {
    var element = event.detail.elt;
    if (!(element instanceof Element) || !element.hasAttribute("data-feedback-pending")) return;
    var trigger = event.detail.triggeringEvent;
    if (trigger && trigger.type === "feedback-check") return;
    if (!pendingSince.has(element)) pendingSince.set(element, Date.now());
    var stale = Date.now() - pendingSince.get(element) > STALE_MS;
    if (socketOpen && !stale) event.preventDefault();
  });
})();
