// Push reminders on the Me tab: subscribe this device after the member taps the button
// (never on page load), show whether this device is on, and turn it off again.
(function () {
  "use strict";

  function isSupported() {
    return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  }

  function keyBytes(base64url) {
    const padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    const raw = window.atob(padded);
    return Uint8Array.from(raw, function (char) { return char.charCodeAt(0); });
  }

  // The page names its own device by a hash of the endpoint; the endpoint stays out of HTML.
  async function endpointHash(endpoint) {
    const digest = await window.crypto.subtle.digest("SHA-256", new TextEncoder().encode(endpoint));
    return Array.from(new Uint8Array(digest), function (b) { return b.toString(16).padStart(2, "0"); })
      .join("").slice(0, 16);
  }

  async function currentSubscription() {
    if (!isSupported()) return null;
    const registration = await navigator.serviceWorker.getRegistration("/");
    return registration ? registration.pushManager.getSubscription() : null;
  }

  async function postJson(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": window.League.csrfToken() },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error("The server answered " + response.status + ".");
    return response;
  }

  function setState(section, state) {
    section.querySelectorAll("[data-push-state]").forEach(function (part) {
      part.hidden = part.dataset.pushState !== state;
    });
  }

  function reload(section) {
    return window.htmx.ajax("GET", section.dataset.settingsUrl, { target: "#push-settings", swap: "outerHTML" });
  }

  async function markThisDevice(section, subscription) {
    const hash = subscription ? await endpointHash(subscription.endpoint) : "";
    let found = false;
    section.querySelectorAll("[data-device-hash]").forEach(function (row) {
      const mine = hash !== "" && row.dataset.deviceHash === hash;
      row.classList.toggle("is-this-device", mine);
      const badge = row.querySelector("[data-this-device]");
      if (badge) badge.hidden = !mine;
      found = found || mine;
    });
    return found;
  }

  async function showState(section) {
    if (!isSupported()) {
      setState(section, window.League.needsInstallForPush && window.League.needsInstallForPush() ? "install" : "unsupported");
      return;
    }
    if (Notification.permission === "denied") {
      setState(section, "denied");
      return;
    }
    const subscription = await currentSubscription();
    const listed = await markThisDevice(section, subscription);
    if (subscription && !listed && Notification.permission === "granted" && !section.dataset.resynced) {
      // Subscribed before, but the server forgot it (signed in again, or the browser renewed
      // the subscription): store it again rather than ask twice.
      section.dataset.resynced = "true";
      await postJson(section.dataset.subscribeUrl, subscription.toJSON());
      await reload(section);
      return;
    }
    setState(section, listed ? "on" : "off");
  }

  async function subscribe(section) {
    const registration = await navigator.serviceWorker.ready;
    const options = { userVisibleOnly: true, applicationServerKey: keyBytes(section.dataset.publicKey) };
    try {
      return await registration.pushManager.subscribe(options);
    } catch (error) {
      // A subscription made with an older server key blocks a new one: replace it.
      const old = await registration.pushManager.getSubscription();
      if (!old) throw error;
      await old.unsubscribe();
      return registration.pushManager.subscribe(options);
    }
  }

  async function enable(section) {
    if (!isSupported()) {
      await showState(section);
      return;
    }
    const permission = await Notification.requestPermission();
    if (permission !== "granted") {
      // "default": the prompt was closed without an answer; "denied": blocked for the site.
      setState(section, permission === "denied" ? "denied" : "dismissed");
      return;
    }
    let subscription;
    try {
      subscription = await subscribe(section);
    } catch (error) {
      console.warn(error);
      setState(section, "failed");
      return;
    }
    await postJson(section.dataset.subscribeUrl, subscription.toJSON());
    await reload(section);
  }

  async function disable(section) {
    const subscription = await currentSubscription();
    if (subscription) {
      await postJson(section.dataset.unsubscribeUrl, { endpoint: subscription.endpoint });
      await subscription.unsubscribe();
    }
    await reload(section);
  }

  function report(error) {
    console.warn(error);
    window.League.showFlash("We couldn't change reminders on this device: " + error.message);
  }

  document.addEventListener("click", function (event) {
    const target = event.target;
    if (!(target instanceof Element)) return;
    const section = target.closest("[data-push-settings]");
    if (!section) return;
    if (target.closest("[data-push-enable]")) enable(section).catch(report);
    if (target.closest("[data-push-disable]")) disable(section).catch(report);
    const removing = target.closest("[data-remove-device]");
    if (removing && removing.closest(".is-this-device")) {
      // Removing this very device: drop the browser's subscription too.
      currentSubscription().then(function (subscription) {
        return subscription && subscription.unsubscribe();
      }).catch(report);
    }
  });

  document.addEventListener("htmx:load", function (event) {
    const root = event.detail.elt;
    const sections = root.matches && root.matches("[data-push-settings]")
      ? [root] : Array.from(root.querySelectorAll("[data-push-settings]"));
    sections.forEach(function (section) { showState(section).catch(report); });
  });
})();
