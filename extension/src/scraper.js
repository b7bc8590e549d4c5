/*
 * Reading a broadcaster page's counters: pure functions of the document, the page's address and
 * the selectors data (selectors.json, or the copy the backend serves), so that they are tested on
 * saved pages in node and run unchanged in the content script.
 *
 * A classic script, not a module: content scripts and the service worker (importScripts) load it
 * as is, and node requires it.
 */
(function (root) {
  "use strict";

  const COUNTERS = ["tokens_count", "tips_count", "viewers_count"];
  const ROOM_ID = /^[A-Za-z0-9_.-]{1,64}$/;
  const MAX_COUNT = Number.MAX_SAFE_INTEGER; // the backend's limit, 2^53 - 1
  // Digits grouped by thousands with "," "." or a (narrow) space, or plain digits; with an
  // optional K/M suffix a decimal part is allowed ("1.2K").  Anything else is not a count.
  const GROUPED = /^\d{1,3}(?:([,.\u00a0\u202f ])\d{3})(?:\1\d{3})*$/;
  const SUFFIXED = /^(\d+(?:[.,]\d{1,3})?)\s*([kKmM])$/;
  const NUMBER_IN_TEXT = /\d[\d.,\u00a0\u202f ]*(?:\s*[kKmM](?![a-zA-Z]))?/;

  /**
   * The count a counter's text shows, or null when the text holds no well-formed count.
   * "1,234 tokens" -> 1234, "1.234" -> 1234, "12.5K" -> 12500, "45" -> 45; "12abc", "-5" and
   * "1,5" -> null.
   */
  function parseCount(text) {
    if (typeof text !== "string") return null;
    const trimmed = text.trim();
    const match = trimmed.match(NUMBER_IN_TEXT);
    if (!match) return null;
    // A count must stand alone: letters glued to it ("12abc", "x5") mean a malformed counter.
    const token = match[0].trim();
    const before = trimmed.slice(0, match.index);
    const after = trimmed.slice(match.index + token.length);
    if (/[A-Za-z0-9\-\u2212]$/.test(before) || /^[A-Za-z0-9]/.test(after)) return null;
    let value;
    const suffixed = token.match(SUFFIXED);
    if (suffixed) {
      const scale = /k/i.test(suffixed[2]) ? 1e3 : 1e6;
      value = Math.round(Number(suffixed[1].replace(",", ".")) * scale);
    } else if (/^\d+$/.test(token)) {
      value = Number(token);
    } else if (GROUPED.test(token)) {
      value = Number(token.replace(/[^\d]/g, ""));
    } else {
      return null;
    }
    return Number.isSafeInteger(value) && value >= 0 && value <= MAX_COUNT ? value : null;
  }

  // --- strategies: the ways of reading one counter, tried in order --------------------------
  //
  // {kind: "css", selector}: the first element matching the selector, its text (a plain string
  //   in the data is this kind);
  // {kind: "json", url, path}: a same-origin JSON answer the page's own scripts use, fetched by
  //   the content script (options.json maps each resolved url to its parsed body);
  // {kind: "state", variable, path}: the state object a page's inline script assigns
  //   (`window.__PRELOADED_STATE__ = {...}`), parsed from the script's text.
  // `path` walks the JSON: names and array indexes separated by dots, and `[key=value]` for the
  // first array item whose `key` equals `value` (case-insensitive); `{room}` is the room id.

  const VARIABLE = /^[A-Za-z_$][\w$]{0,63}$/;
  // A path on the page's own origin: never another host ("//host/..." or "https://...").
  const JSON_URL = /^\/[^/\s][^\s]{0,298}$/;
  const MAX_STATE_CHARS = 5 * 1024 * 1024;
  const DISAGREE_AFTER_MS = 60000;

  function strategyOf(entry) {
    if (typeof entry === "string") return { kind: "css", selector: entry };
    return entry && typeof entry === "object" ? entry : null;
  }

  /** What a strategy is called in warnings, the health report and the popup's page check. */
  function strategyName(entry) {
    const s = strategyOf(entry);
    if (!s) return "(invalid)";
    if (s.name) return s.name;
    if (s.kind === "css") return s.selector;
    if (s.kind === "json") return `json ${s.url} ${s.path}`;
    return `state ${s.variable} ${s.path}`;
  }

  /** Whether one entry of a counter's list is a strategy this reader knows, well formed. */
  function validStrategy(entry) {
    const s = strategyOf(entry);
    if (!s || (s.name !== undefined && typeof s.name !== "string")) return false;
    if (s.kind === "css") return typeof s.selector === "string" && s.selector.length > 0;
    if (s.kind === "json") {
      // Same origin only: the page's own answers, with the broadcaster's session.
      return typeof s.url === "string" && JSON_URL.test(s.url) && typeof s.path === "string" && s.path.length > 0;
    }
    if (s.kind === "state") return typeof s.variable === "string" && VARIABLE.test(s.variable) && typeof s.path === "string";
    return false;
  }

  /** The url of a json strategy for `roomId` (null while the room is unknown). */
  function jsonUrl(strategy, roomId) {
    if (!strategy.url.includes("{room}")) return strategy.url;
    return roomId ? strategy.url.split("{room}").join(encodeURIComponent(roomId)) : null;
  }

  function walk(data, path, roomId) {
    let value = data;
    for (const raw of path.split(".").filter(Boolean)) {
      const segment = raw.split("{room}").join(roomId || "");
      const filter = /^\[([^=\]]+)=([^\]]*)\]$/.exec(segment);
      if (filter) {
        if (!Array.isArray(value)) return undefined;
        const wanted = filter[2].toLowerCase();
        value = value.find((item) => item && typeof item === "object" && String(item[filter[1]]).toLowerCase() === wanted);
      } else if (Array.isArray(value) && /^\d+$/.test(segment)) {
        value = value[Number(segment)];
      } else if (value && typeof value === "object" && Object.prototype.hasOwnProperty.call(value, segment)) {
        value = value[segment];
      } else {
        return undefined;
      }
      if (value === undefined || value === null) return undefined;
    }
    return value;
  }

  /** A JSON value as a count: a non-negative safe integer, or a string that parses as one. */
  function countOf(value) {
    if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0 ? value : null;
    if (typeof value === "string") return parseCount(value);
    return null;
  }

  /** The object a page's inline script assigns to `variable`, or undefined (cached by text). */
  function stateOf(doc, variable, cache) {
    const assign = new RegExp(`(?:window\\.)?${variable.replace(/\$/g, "\\$")}\\s*=\\s*`);
    for (const script of doc.querySelectorAll("script:not([src])")) {
      const text = script.textContent || "";
      const match = assign.exec(text);
      if (!match || text.length > MAX_STATE_CHARS) continue;
      const body = text.slice(match.index + match[0].length).trim().replace(/;\s*$/, "");
      const known = cache && cache.get(variable);
      if (known && known.body === body) return known.value;
      let value;
      try {
        value = JSON.parse(body);
      } catch (_) {
        value = undefined; // not JSON (a script, not a state object): this strategy misses
      }
      if (cache) cache.set(variable, { body, value });
      return value;
    }
    return undefined;
  }

  /**
   * One strategy's reading: {value}, {problem: "missing", detail} or {problem: "malformed",
   * text} (what was found instead of a count).  Nothing
   * throws: a malformed selector or path in the data is a miss of that strategy only.
   */
  function readStrategy(doc, entry, roomId, opts) {
    const s = strategyOf(entry);
    if (!validStrategy(s)) return { problem: "missing", detail: "not a strategy this collector knows" };
    if (s.kind === "css") {
      let element = null;
      try {
        element = doc.querySelector(s.selector);
      } catch (_) {
        return { problem: "missing", detail: "a malformed selector" };
      }
      if (!element) return { problem: "missing", detail: "no element matches" };
      const text = element.textContent || "";
      const value = parseCount(text);
      return value === null ? { problem: "malformed", text: text.trim().slice(0, 40) } : { value };
    }
    let data;
    if (s.kind === "json") {
      const url = jsonUrl(s, roomId);
      if (!url) return { problem: "missing", detail: "the room is not known yet" };
      const answer = opts.json && opts.json[url];
      if (!answer) return { problem: "missing", detail: "not loaded" };
      if (answer.error) return { problem: "missing", detail: answer.error };
      data = answer.data;
    } else {
      data = stateOf(doc, s.variable, opts.stateCache);
      if (data === undefined) return { problem: "missing", detail: "no such state on the page" };
    }
    const found = walk(data, s.path, roomId);
    if (found === undefined) return { problem: "missing", detail: `no ${s.path}` };
    const value = countOf(found);
    return value === null ? { problem: "malformed", text: JSON.stringify(found).slice(0, 40) } : { value };
  }

  function firstElement(doc, selectors) {
    for (const selector of selectors) {
      try {
        const element = doc.querySelector(selector);
        if (element) return element;
      } catch (_) {
        // a malformed selector in the data file: try the next one
      }
    }
    return null;
  }

  function roomFrom(doc, pathname, spec) {
    const element = firstElement(doc, (spec && spec.selectors) || []);
    if (element) {
      const text = (element.getAttribute("data-username") || element.textContent || "").trim();
      if (ROOM_ID.test(text)) return text;
    }
    if (spec && spec.path) {
      const match = new RegExp(spec.path).exec(pathname || "");
      if (match && ROOM_ID.test(match[1])) return match[1];
    }
    return null;
  }

  /**
   * Whether a counter's strategies have disagreed for DISAGREE_AFTER_MS: two ways of reading a
   * live page are rarely refreshed at the same moment (a JSON answer every few seconds, the
   * page at once), so a short difference is not reported.  Without `opts.disagreements` (a Map
   * kept by the caller between reads) every disagreement counts at once.
   */
  function lasting(opts, field) {
    if (!opts.disagreements) return true;
    const now = opts.clockMs === undefined ? Date.now() : opts.clockMs;
    if (!opts.disagreements.has(field)) opts.disagreements.set(field, now);
    return now - opts.disagreements.get(field) >= DISAGREE_AFTER_MS;
  }

  /**
   * Every strategy of one counter, in order: [{strategy (its name), value} or {strategy,
   * problem, detail}] — what the popup's page check shows.
   */
  function readCounter(doc, list, roomId, opts) {
    return (list || []).map((entry) => ({ strategy: strategyName(entry), ...readStrategy(doc, entry, roomId, opts) }));
  }

  /**
   * Read one sample of `platform` from `doc`.
   *
   * Returns {sample, roomId, warnings, misses, used, readings}: sample is null when a counter is missing
   * or malformed, or no room id is known; every warning says which and why, and `misses` says
   * the same as data ({platform, field, kind: "missing" | "malformed" | "disagree"}) for the
   * health reports.  A counter is the first strategy's that reads; `used` names it per counter;
   * another strategy reading a different count is a "disagree" miss and a warning (the first
   * one's count is still sent).  `readings` holds every strategy's outcome.  Nothing throws.
   * `options.roomId` (the popup's setting) wins over what the page shows; `options.now` is the
   * sample's time in Unix seconds; `options.json` the json strategies' answers by url;
   * `options.stateCache` a Map keeping parsed page states between reads; `options.disagreements`
   * a Map keeping since when each counter's strategies disagree (see `lasting`).
   */
  function readSample(doc, platform, selectors, options) {
    const opts = options || {};
    const warnings = [];
    const misses = [];
    const used = {};
    const readings = {};
    const spec = selectors && selectors.platforms && selectors.platforms[platform];
    if (!spec || !spec.counters) {
      return { sample: null, roomId: null, warnings: [`${platform}: no selectors for this platform`], misses, used, readings };
    }
    let roomId = opts.roomId || null;
    let roomProblem = null;
    if (roomId && !ROOM_ID.test(roomId)) {
      roomProblem = `room id ${JSON.stringify(roomId)} is not valid (1-64 of A-Z a-z 0-9 _ . -)`;
      roomId = null;
    } else if (!roomId) {
      roomId = roomFrom(doc, opts.pathname, spec.room);
      if (!roomId) roomProblem = `${platform}: the room id is not on the page; set it in the popup`;
    }
    const values = {};
    for (const name of COUNTERS) {
      const list = spec.counters[name] || [];
      const outcomes = readCounter(doc, list, roomId, opts);
      readings[name] = outcomes;
      const read = outcomes.filter((o) => o.problem === undefined);
      if (read.length) {
        values[name] = read[0].value;
        used[name] = read[0].strategy;
        const other = read.find((o) => o.value !== read[0].value);
        if (other && lasting(opts, name)) {
          warnings.push(`${platform} ${name}: ${read[0].strategy} reads ${read[0].value}, ${other.strategy} reads ${other.value}`);
          misses.push({ platform, field: name, kind: "disagree" });
        } else if (!other && opts.disagreements) {
          opts.disagreements.delete(name);
        }
        continue;
      }
      const malformed = outcomes.find((o) => o.problem === "malformed");
      if (malformed) {
        warnings.push(`${platform} ${name}: ${JSON.stringify(malformed.text)} at ${malformed.strategy} is not a count`);
        misses.push({ platform, field: name, kind: "malformed" });
      } else {
        const names = list.map(strategyName).join(", ") || "(no selectors)";
        const allCss = list.every((entry) => typeof entry === "string" || (entry && entry.kind === "css"));
        warnings.push(`${platform} ${name}: ${allCss ? "no element matches" : "no strategy reads it:"} ${names}`);
        misses.push({ platform, field: name, kind: "missing" });
      }
    }
    if (roomProblem) {
      warnings.push(roomProblem);
      if (!opts.roomId) misses.push({ platform, field: "room_id", kind: "missing" });
    }
    const complete = COUNTERS.every((name) => values[name] !== undefined);
    if (!complete || !roomId) return { sample: null, roomId, warnings, misses, used, readings };
    const now = opts.now === undefined ? Math.floor(Date.now() / 1000) : opts.now;
    return {
      sample: { room_id: roomId, platform, ...values, timestamp: now },
      roomId,
      warnings,
      misses,
      used,
      readings,
    };
  }

  /** The json strategies' urls for `platform` once the room is `roomId` (what to fetch). */
  function jsonUrls(selectors, platform, roomId) {
    const spec = selectors && selectors.platforms && selectors.platforms[platform];
    const urls = new Set();
    for (const name of COUNTERS) {
      for (const entry of (spec && spec.counters && spec.counters[name]) || []) {
        const s = strategyOf(entry);
        if (validStrategy(s) && s.kind === "json") {
          const url = jsonUrl(s, roomId);
          if (url) urls.add(url);
        }
      }
    }
    return [...urls];
  }

  /** Whether `data` has the shape of selectors.json (what the backend serves is checked too). */
  function validSelectors(data) {
    if (!data || typeof data !== "object" || !Number.isInteger(data.version)) return false;
    if (!data.platforms || typeof data.platforms !== "object") return false;
    return Object.values(data.platforms).every(
      (spec) =>
        spec &&
        spec.counters &&
        COUNTERS.every((name) => Array.isArray(spec.counters[name]) && spec.counters[name].every(validStrategy)),
    );
  }

  /** Whether two samples carry the same counters for the same room (nothing to send). */
  function sameCounters(a, b) {
    return (
      !!a &&
      !!b &&
      a.room_id === b.room_id &&
      a.platform === b.platform &&
      COUNTERS.every((name) => a[name] === b[name])
    );
  }

  const api = { COUNTERS, DISAGREE_AFTER_MS, parseCount, readSample, readStrategy, strategyName, jsonUrls, validSelectors, sameCounters };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.GodModeScraper = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
