/*
 * The content script's runtime, shared by every platform: watch the page with a
 * MutationObserver (no polling), read the counters when it changes (at most once per
 * READ_INTERVAL_MS, the last change always read), and hand every new reading to the service
 * worker.  The reading itself is GodModeScraper.readSample, a pure function of the document.
 */
(function (root) {
  "use strict";

  const READ_INTERVAL_MS = 200;

  function start(platform) {
    let selectors = null;
    let roomId = "";
    let last = null;
    let lastWarning = "";
    let timer = null;

    function send(message) {
      // The worker may be asleep: sending wakes it.  A failure (extension reloaded) is logged.
      return chrome.runtime.sendMessage(message).catch((err) => console.warn("God Mode:", err.message));
    }

    function read() {
      timer = null;
      if (!selectors) return;
      const { sample, warnings, misses } = GodModeScraper.readSample(document, platform, selectors, {
        roomId,
        pathname: location.pathname,
      });
      const warning = warnings.join("; ");
      if (warning && warning !== lastWarning) {
        console.warn("God Mode:", warning);
        send({ type: "warning", text: warning, misses });
      }
      lastWarning = warning;
      if (!sample || GodModeScraper.sameCounters(sample, last)) return;
      last = sample;
      send({ type: "sample", sample });
    }

    function schedule() {
      if (timer === null) timer = setTimeout(read, READ_INTERVAL_MS);
    }

    function use(stored) {
      if (stored.selectors && GodModeScraper.validSelectors(stored.selectors.data)) {
        selectors = stored.selectors.data;
      }
      if (stored.settings) roomId = (stored.settings.roomId || "").trim();
      schedule();
    }

    chrome.storage.local.get(["selectors", "settings"]).then(async (stored) => {
      if (!stored.selectors) {
        const answer = await send({ type: "hello" });
        if (answer && answer.selectors) stored.selectors = { data: answer.selectors };
      }
      use(stored);
    });
    chrome.storage.onChanged.addListener((changes, area) => {
      if (area !== "local" || !(changes.selectors || changes.settings)) return;
      use({
        selectors: changes.selectors && changes.selectors.newValue,
        settings: changes.settings && changes.settings.newValue,
      });
      last = null; // a new room id or new selectors: send the next reading even if unchanged
    });
    new MutationObserver(schedule).observe(document.documentElement, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  }

  root.GodModeContent = { start };
})(globalThis);
