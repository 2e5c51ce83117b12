// chronique serve: keeps this page in step with the sources. Added by the dev server to the
// HTML it serves; never part of `chronique build`'s output.
//
// Events from /__chronique/events (Server-Sent Events; EventSource reconnects by itself):
//   hello  <build>  on connect: the current build; a page older than it reloads
//   reload <build>  the site was rebuilt (or its errors changed): reload, keeping the scroll
//   css    <build>  only stylesheets changed: re-fetch them, keep the page as it is
(function () {
  "use strict";
  var script = document.currentScript;
  var build = script ? script.getAttribute("data-build") : null;
  var scrollKey = "chronique-scroll:" + location.pathname + location.search;
  var probing = /[?&]__chronique_probe(=|&|$)/.test(location.search);
  var loads = 0;
  var restored = "";

  function store(key, value) {
    try {
      if (value === null) sessionStorage.removeItem(key);
      else sessionStorage.setItem(key, value);
    } catch (e) { /* storage disabled: reload without keeping the scroll */ }
  }
  function fetchStored(key) {
    try { return sessionStorage.getItem(key); } catch (e) { return null; }
  }

  // The browser test opens pages with ?__chronique_probe and reads these reports back.
  function probe(what) {
    if (!probing) return;
    var style = getComputedStyle(document.documentElement);
    var report = new URLSearchParams({
      event: what,
      loads: String(loads),
      title: document.title,
      scroll: String(Math.round(window.scrollY)),
      restored: restored,
      overlay: document.getElementById("chronique-overlay") ? "1" : "0",
      probe: style.getPropertyValue("--chronique-probe").trim()
    });
    fetch("/__chronique/probe?" + report.toString(), { cache: "no-store" }).catch(function () {});
  }

  // Straight there, even under `scroll-behavior: smooth`.
  function jumpTo(y) {
    try {
      window.scrollTo({ left: 0, top: y, behavior: "instant" });
    } catch (e) {
      window.scrollTo(0, y);
    }
  }

  function reloadPage() {
    store(scrollKey, String(window.scrollY));
    // This script puts the scroll back itself, once the new page has loaded.
    if ("scrollRestoration" in history) history.scrollRestoration = "manual";
    location.reload();
  }

  function reloadStylesheets() {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    var stamp = String(Date.now());
    var pending = 0;
    function done() {
      pending -= 1;
      if (pending === 0) probe("css");
    }
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin) return;
      url.searchParams.set("__chronique", stamp);
      pending += 1;
      link.addEventListener("load", done, { once: true });
      link.addEventListener("error", done, { once: true });
      link.href = url.href;
    });
    if (pending === 0) probe("css");
  }

  function loaded() {
    var saved = fetchStored(scrollKey);
    if (saved !== null) {
      store(scrollKey, null);
      restored = saved;
      jumpTo(Number(saved) || 0);
      if ("scrollRestoration" in history) history.scrollRestoration = "auto";
    }
    if (probing) {
      loads = Number(fetchStored("chronique-probe-loads") || "0") + 1;
      store("chronique-probe-loads", String(loads));
      // Scroll on the first load, so the report after a reload shows whether it was kept.
      if (loads === 1) jumpTo(120);
      // Report once the scroll has been applied.
      window.requestAnimationFrame(function () { probe("load"); });
    }
    var close = document.getElementById("chronique-overlay-close");
    if (close) {
      close.addEventListener("click", function () {
        var overlay = document.getElementById("chronique-overlay");
        if (overlay) overlay.remove();
      });
    }
  }
  if (document.readyState === "complete") loaded();
  else window.addEventListener("load", loaded);

  if (!window.EventSource) return;
  var events = new EventSource("/__chronique/events");
  events.addEventListener("hello", function (e) {
    // Built again while this page loaded, or a restarted server: the page is stale.
    if (build !== null && e.data !== build) reloadPage();
  });
  events.addEventListener("reload", function () {
    reloadPage();
  });
  events.addEventListener("css", function (e) {
    build = e.data;
    reloadStylesheets();
  });
})();
