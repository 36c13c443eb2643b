// Live views: the socket's state, "you" in the tables, and the Season/Round/Near me switch.
// htmx's ws extension connects ([ws-connect]), swaps the fragments the server sends and
// reconnects with backoff after a dropped connection; this file only adds the glue.
(function () {
  "use strict";

  // The ws extension retries only after these close codes; we retry after the others too,
  // except our own 44xx codes, which mean "reload" (signed out, screen unpaired) or "stop".
  var EXTENSION_RETRIES = [1006, 1011, 1012, 1013];
  var RELOAD_CODES = [4401, 4403];
  var STOP_CODES = [4400];
  var MAX_RETRY_MS = 30000;
  var NEAR_SPAN = 2;
  var retries = 0;
  var htmxInternals = null;

  function liveRoot(element) {
    return element instanceof Element ? element.closest("[ws-connect]") : null;
  }

  function setReconnecting(root, reconnecting) {
    root.classList.toggle("is-reconnecting", reconnecting);
    var status = root.querySelector("[data-live-status]");
    if (status) status.hidden = !reconnecting;
  }

  // The server sends every member of a team the same HTML; marking "you" happens here.
  function markMe(root) {
    var me = root.getAttribute("data-me");
    if (!me) return;
    root.querySelectorAll(".is-me").forEach(function (element) {
      element.classList.remove("is-me");
    });
    root.querySelectorAll('[data-member="' + me + '"]').forEach(function (element) {
      element.classList.add("is-me");
    });
    root.querySelectorAll("[data-near-list]").forEach(function (list) {
      markNear(list, me);
    });
  }

  function markNear(list, me) {
    var rows = Array.prototype.slice.call(list.querySelectorAll(":scope > [data-member]"));
    var mine = rows.findIndex(function (row) {
      return row.getAttribute("data-member") === me;
    });
    rows.forEach(function (row, index) {
      var near = mine < 0 || Math.abs(index - mine) <= NEAR_SPAN;
      row.classList.toggle("is-near", near);
    });
  }

  // Reload at most once a minute, so a server that keeps refusing never loops the page.
  function reloadOnce() {
    var last = Number(sessionStorage.getItem("league.live.reloadedAt") || 0);
    if (Date.now() - last < 60000) return;
    sessionStorage.setItem("league.live.reloadedAt", String(Date.now()));
    window.location.reload();
  }

  function retryLater(root, socketWrapper) {
    var delay = Math.min(MAX_RETRY_MS, 1000 * Math.pow(2, retries)) * Math.random();
    retries += 1;
    window.setTimeout(function () {
      if (document.body.contains(root)) socketWrapper.reconnect();
    }, delay);
  }

  document.addEventListener("htmx:wsOpen", function (event) {
    var root = liveRoot(event.target);
    if (!root) return;
    retries = 0;
    setReconnecting(root, false);
  });

  document.addEventListener("htmx:wsClose", function (event) {
    var root = liveRoot(event.target);
    if (!root || !document.body.contains(root)) return;
    var code = event.detail.event.code;
    mineFresh = false; // a reconnect's snapshot may hold changes the socket missed
    if (RELOAD_CODES.indexOf(code) >= 0) {
      reloadOnce();
      return;
    }
    if (STOP_CODES.indexOf(code) >= 0) return;
    setReconnecting(root, true);
    if (EXTENSION_RETRIES.indexOf(code) < 0) retryLater(root, event.detail.socketWrapper);
  });

  // The socket carries what every member sees (the top of each table); a member's own
  // neighbourhood and pinned row come from [data-mine-url], asked for again after a change:
  // at most once every MINE_INTERVAL_MS, and always once after the last change.
  var MINE_INTERVAL_MS = 3000;
  var mineTimer = null;
  var mineLastAt = 0;
  // The first snapshot after a page load matches the page just rendered: nothing to ask.
  var mineFresh = true;

  function refreshMine(root) {
    var url = root.getAttribute("data-mine-url");
    if (mineFresh) {
      mineFresh = false;
      return;
    }
    if (!url || mineTimer !== null) return;
    var wait = Math.max(0, mineLastAt + MINE_INTERVAL_MS - Date.now());
    mineTimer = window.setTimeout(function () {
      mineTimer = null;
      mineLastAt = Date.now();
      if (document.body.contains(root)) htmx.ajax("GET", url, { target: root, swap: "none" });
    }, wait);
  }

  document.addEventListener("htmx:wsAfterMessage", function (event) {
    var root = liveRoot(event.target);
    if (!root) return;
    markMe(root);
    refreshMine(root);
  });

  // A socket that holds the previous render is sent only what changed since
  // (league/live/patches.py): changed elements, morphed in place by id, and the new order
  // of each list whose rows moved. Applied before htmx swaps the rest of the message; a
  // patch that does not fit the page reconnects, and the new socket starts with a snapshot.
  var PATCH_MARK = "<template data-live-patch>";

  function applyOrder(order, added) {
    var anchor = document.getElementById(order.getAttribute("data-live-order"));
    if (!anchor || !anchor.parentNode) return false;
    var list = anchor.parentNode;
    var prefix = order.getAttribute("data-prefix") || "";
    var keys = (order.getAttribute("data-keys") || "").split(" ").filter(Boolean);
    var rows = [];
    for (var i = 0; i < keys.length; i += 1) {
      var row = added[prefix + keys[i]] || document.getElementById(prefix + keys[i]);
      if (!row) return false;
      rows.push(row);
    }
    var kept = new Set(rows);
    Array.prototype.slice.call(list.children).forEach(function (child) {
      if (child.id && !kept.has(child)) child.remove();
    });
    rows.forEach(function (row) {
      list.appendChild(row);
    });
    return true;
  }

  function applyPatch(patch) {
    var added = {};
    var orders = [];
    Array.prototype.slice.call(patch.content.children).forEach(function (element) {
      if (element.hasAttribute("data-live-order")) {
        orders.push(element);
        return;
      }
      var current = document.getElementById(element.id);
      if (current) Idiomorph.morph(current, element);
      else added[element.id] = element;
    });
    return orders.every(function (order) {
      return applyOrder(order, added);
    });
  }

  htmx.defineExtension("live-patch", {
    init: function (api) {
      htmxInternals = api;
    },
    transformResponse: function (text, xhr, root) {
      if (text.indexOf(PATCH_MARK) < 0) return text;
      var holder = document.createElement("template");
      holder.innerHTML = text;
      var fits = true;
      Array.prototype.slice.call(holder.content.children).forEach(function (patch) {
        if (!patch.hasAttribute("data-live-patch")) return;
        fits = applyPatch(patch) && fits;
        patch.remove();
      });
      if (!fits) {
        var socket = htmxInternals && htmxInternals.getInternalData(root).webSocket;
        if (socket) socket.init();
      }
      return holder.innerHTML;
    },
  });

  // Season / This round / Near me without a page load (the links work without JS too).
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var link = target.closest("[data-show-link]");
    if (!link) return;
    var root = link.closest("[data-show]");
    if (!root) return;
    event.preventDefault();
    root.setAttribute("data-show", link.getAttribute("data-show-link"));
    root.querySelectorAll("[data-show-link]").forEach(function (other) {
      if (other === link) other.setAttribute("aria-current", "true");
      else other.removeAttribute("aria-current");
    });
    history.replaceState(null, "", link.getAttribute("href"));
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[ws-connect][data-me]").forEach(markMe);
  });
})();
