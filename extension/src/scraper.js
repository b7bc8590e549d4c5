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

  function firstMatch(doc, selectors) {
    for (const selector of selectors) {
      let element = null;
      try {
        element = doc.querySelector(selector);
      } catch (_) {
        continue; // a malformed selector in the data file: try the next one
      }
      if (element) return { element, selector };
    }
    return null;
  }

  function roomFrom(doc, pathname, spec) {
    const found = firstMatch(doc, (spec && spec.selectors) || []);
    if (found) {
      const text = (found.element.getAttribute("data-username") || found.element.textContent || "").trim();
      if (ROOM_ID.test(text)) return text;
    }
    if (spec && spec.path) {
      const match = new RegExp(spec.path).exec(pathname || "");
      if (match && ROOM_ID.test(match[1])) return match[1];
    }
    return null;
  }

  /**
   * Read one sample of `platform` from `doc`.
   *
   * Returns {sample, warnings, misses}: sample is null when a counter is missing or malformed,
   * or no room id is known; every warning says which and why, and `misses` says the same as
   * data ({platform, field, kind: "missing" | "malformed"}) for the health reports; nothing
   * throws.
   * `options.roomId` (the popup's setting) wins over what the page shows; `options.now` is the
   * sample's time in Unix seconds.
   */
  function readSample(doc, platform, selectors, options) {
    const opts = options || {};
    const warnings = [];
    const misses = [];
    const spec = selectors && selectors.platforms && selectors.platforms[platform];
    if (!spec || !spec.counters) {
      return { sample: null, warnings: [`${platform}: no selectors for this platform`], misses };
    }
    const values = {};
    for (const name of COUNTERS) {
      const list = spec.counters[name] || [];
      const found = firstMatch(doc, list);
      if (!found) {
        warnings.push(`${platform} ${name}: no element matches ${list.join(", ") || "(no selectors)"}`);
        misses.push({ platform, field: name, kind: "missing" });
        continue;
      }
      const text = found.element.textContent || "";
      const value = parseCount(text);
      if (value === null) {
        warnings.push(`${platform} ${name}: ${JSON.stringify(text.trim().slice(0, 40))} at ${found.selector} is not a count`);
        misses.push({ platform, field: name, kind: "malformed" });
        continue;
      }
      values[name] = value;
    }
    let roomId = opts.roomId || null;
    if (roomId && !ROOM_ID.test(roomId)) {
      warnings.push(`room id ${JSON.stringify(roomId)} is not valid (1-64 of A-Z a-z 0-9 _ . -)`);
      roomId = null;
    } else if (!roomId) {
      roomId = roomFrom(doc, opts.pathname, spec.room);
      if (!roomId) {
        warnings.push(`${platform}: the room id is not on the page; set it in the popup`);
        misses.push({ platform, field: "room_id", kind: "missing" });
      }
    }
    if (warnings.length || !roomId) return { sample: null, warnings, misses };
    const now = opts.now === undefined ? Math.floor(Date.now() / 1000) : opts.now;
    return {
      sample: { room_id: roomId, platform, ...values, timestamp: now },
      warnings,
      misses,
    };
  }

  /** Whether `data` has the shape of selectors.json (what the backend serves is checked too). */
  function validSelectors(data) {
    if (!data || typeof data !== "object" || !Number.isInteger(data.version)) return false;
    if (!data.platforms || typeof data.platforms !== "object") return false;
    return Object.values(data.platforms).every(
      (spec) =>
        spec &&
        spec.counters &&
        COUNTERS.every(
          (name) => Array.isArray(spec.counters[name]) && spec.counters[name].every((s) => typeof s === "string"),
        ),
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

  const api = { COUNTERS, parseCount, readSample, validSelectors, sameCounters };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.GodModeScraper = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
