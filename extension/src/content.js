/*
 * The content script's runtime, shared by every platform: watch the page with a
 * MutationObserver (no polling), read the counters when it changes (at most once per
 * READ_INTERVAL_MS, the last change always read), and hand every new reading to the service
 * worker.  The json strategies' answers (the site's own same-origin JSON, with the
 * broadcaster's session) are fetched every JSON_REFRESH_MS and read like the page.  The
 * reading itself is GodModeScraper.readSample, a pure function of the document and those
 * answers.
 */
(function (root) {
  "use strict";

  const READ_INTERVAL_MS = 200;
  const JSON_REFRESH_MS = 10000;
  const JSON_TIMEOUT_MS = 8000;
  // The largest answer read: the site's answers for one room are a few kilobytes.
  const MAX_JSON_CHARS = 1024 * 1024;

  /** One same-origin JSON answer: {data} or {error} (never throws). */
  async function fetchJson(url) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), JSON_TIMEOUT_MS);
    try {
      const response = await fetch(new URL(url, location.origin), {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "application/json" },
        signal: controller.signal,
      });
      if (!response.ok) return { error: `HTTP ${response.status}` };
      const text = await response.text();
      if (text.length > MAX_JSON_CHARS) return { error: "answer too large" };
      return { data: JSON.parse(text) };
    } catch (err) {
      return { error: err.name === "AbortError" ? "timed out" : "not JSON, or unreachable" };
    } finally {
      clearTimeout(timer);
    }
  }

  function start(platform) {
    let selectors = null;
    let roomId = "";
    let pageRoom = null;
    let last = null;
    let lastUsed = "";
    let lastWarning = "";
    let timer = null;
    let answers = {};
    let jsonTimer = null;
    const stateCache = new Map();
    const disagreements = new Map();

    function send(message) {
      // The worker may be asleep: sending wakes it.  A failure (extension reloaded) is logged.
      return chrome.runtime.sendMessage(message).catch((err) => console.warn("God Mode:", err.message));
    }

    /** The page read now; `check` (the popup's page check) reports every disagreement at once. */
    function readPage(check = false) {
      return GodModeScraper.readSample(document, platform, selectors, {
        roomId,
        pathname: location.pathname,
        json: answers,
        stateCache,
        disagreements: check ? undefined : disagreements,
      });
    }

    function read() {
      timer = null;
      if (!selectors) return;
      const result = readPage();
      const { sample, warnings, misses, used } = result;
      if (result.roomId !== pageRoom) {
        pageRoom = result.roomId;
        loadJsonSoon(); // the json strategies' urls may name the room
      }
      const warning = warnings.join("; ");
      if (warning && warning !== lastWarning) {
        console.warn("God Mode:", warning);
        send({ type: "warning", text: warning, misses });
      }
      lastWarning = warning;
      if (!sample) return;
      const usedNow = JSON.stringify(used);
      if (GodModeScraper.sameCounters(sample, last)) {
        // The same counts, read another way now (the site's JSON came or went): say so once.
        if (usedNow !== lastUsed) send({ type: "used", sample, used });
      } else {
        send({ type: "sample", sample, used });
      }
      last = sample;
      lastUsed = usedNow;
    }

    function schedule() {
      if (timer === null) timer = setTimeout(read, READ_INTERVAL_MS);
    }

    async function loadJson() {
      jsonTimer = null;
      const urls = selectors ? GodModeScraper.jsonUrls(selectors, platform, roomId || pageRoom) : [];
      if (urls.length) {
        const fetched = await Promise.all(urls.map(fetchJson));
        answers = Object.fromEntries(urls.map((url, i) => [url, fetched[i]]));
        schedule();
      }
      jsonTimer = setTimeout(loadJson, JSON_REFRESH_MS);
    }

    function loadJsonSoon() {
      clearTimeout(jsonTimer);
      jsonTimer = setTimeout(loadJson, 0);
    }

    function use(stored) {
      if (stored.selectors && GodModeScraper.validSelectors(stored.selectors.data)) {
        selectors = stored.selectors.data;
      }
      if (stored.settings) roomId = (stored.settings.roomId || "").trim();
      schedule();
      loadJsonSoon();
    }

    // The popup's "Check this page": every strategy's reading of this page, now; and its "Send
    // page outline": the page's shape, nothing personal (outline.js).
    chrome.runtime.onMessage.addListener((message, _sender, reply) => {
      if (message && message.type === "outline-page") {
        // The room's name is blanked out of the outline: without it known, nothing is sent.
        const room = selectors ? readPage(true).roomId : null;
        if (!room) {
          reply({ platform, ready: Boolean(selectors), roomId: null });
          return false;
        }
        const outline = GodModeOutline.outlineOf(document, {
          roomId: room,
          pathname: location.pathname,
          parseCount: GodModeScraper.parseCount,
        });
        reply({ platform, ready: true, roomId: room, outline });
        return false;
      }
      if (!message || message.type !== "check-page") return false;
      if (!selectors) {
        reply({ platform, ready: false });
        return false;
      }
      const { sample, roomId: room, warnings, used, readings } = readPage(true);
      reply({ platform, ready: true, roomId: room, sample, warnings, used, readings });
      return false;
    });

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
