// The install button where the browser offers installation (Android, desktop Chromium):
// the browser's own prompt is kept and opened when the member taps the button. Browsers
// that never offer it (iPhone Safari) keep the button hidden; the iPhone hint covers them.
(function () {
  "use strict";

  let offer = null;

  function buttons() {
    return document.querySelectorAll("[data-install-offer]");
  }

  function show(visible) {
    buttons().forEach(function (section) { section.hidden = !visible; });
  }

  window.addEventListener("beforeinstallprompt", function (event) {
    event.preventDefault();
    offer = event;
    show(true);
  });

  window.addEventListener("appinstalled", function () {
    offer = null;
    show(false);
  });

  document.addEventListener("click", function (event) {
    const target = event.target;
    if (!(target instanceof Element) || !target.closest("[data-install-button]") || !offer) return;
    const shown = offer;
    offer = null;
    shown.prompt();
    shown.userChoice.then(function (choice) {
      // Dismissed: the browser may offer again later; until then the button waits hidden.
      show(false);
      if (choice.outcome === "accepted") window.League.showFlash("Installed. Open Practice League from your home screen.", "success");
    });
  });
})();
