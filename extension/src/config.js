/*
 * The collector's settings: what IT sets by browser policy (chrome.storage.managed, described by
 * managed_schema.json) wins over what was typed in the popup (chrome.storage.local).  Each
 * value is checked the same way wherever it comes from; a managed value that is malformed is
 * not replaced by the local one (the organization's choice is not silently undone) — the
 * collector then sends nothing, keeps its queue and says why.  Pure functions, tested in node;
 * loaded by the worker (importScripts) and the popup (a script tag).
 */
(function (root) {
  "use strict";

  const FIELDS = ["backendUrl", "apiKey", "roomId"];
  const DEFAULTS = { backendUrl: "http://127.0.0.1:3000", apiKey: "", roomId: "" };
  const ROOM_ID = /^[A-Za-z0-9_.-]{1,64}$/;
  // What `godmode-server key create` makes: gm_ and 43 URL-safe characters (older keys may be
  // longer or shorter; the backend decides whether a well-formed key is valid).
  const API_KEY = /^gm_[A-Za-z0-9_-]{16,128}$/;
  const MAX_URL = 2048;

  /** The backend URL, normalised, or an error name (a message id of _locales). */
  function checkUrl(text) {
    if (typeof text !== "string" || !text.trim() || text.length > MAX_URL) return { error: "badUrl" };
    let url;
    try {
      url = new URL(text.trim());
    } catch (_) {
      return { error: "badUrl" };
    }
    if ((url.protocol !== "http:" && url.protocol !== "https:") || !url.hostname || url.username || url.password) {
      return { error: "badUrl" };
    }
    return { value: url.href.replace(/\/+$/, ""), url };
  }

  function checkApiKey(text) {
    const key = typeof text === "string" ? text.trim() : "";
    if (key && !API_KEY.test(key)) return { error: "badApiKey" };
    return { value: key };
  }

  function checkRoomId(text) {
    const roomId = typeof text === "string" ? text.trim() : "";
    if (roomId && !ROOM_ID.test(roomId)) return { error: "badRoomId" };
    return { value: roomId };
  }

  const CHECKS = { backendUrl: checkUrl, apiKey: checkApiKey, roomId: checkRoomId };

  /**
   * The settings in force: `local` (the popup's) under `managed` (the policy's).
   * Returns {settings, managed: [fields set by policy], problems: [{field, error}]}: a problem
   * means a policy value is malformed (or of the wrong type) and nothing may be sent.
   */
  function effective(local, managed) {
    const settings = { ...DEFAULTS };
    const byPolicy = [];
    const problems = [];
    for (const field of FIELDS) {
      const fromPolicy = managed && Object.prototype.hasOwnProperty.call(managed, field) ? managed[field] : undefined;
      if (fromPolicy !== undefined) {
        byPolicy.push(field);
        const checked = CHECKS[field](fromPolicy);
        if (checked.error) problems.push({ field, error: checked.error });
        else settings[field] = checked.value;
      } else if (local && typeof local[field] === "string") {
        settings[field] = local[field];
      }
    }
    return { settings, managed: byPolicy, problems };
  }

  const api = { FIELDS, DEFAULTS, ROOM_ID, checkUrl, checkApiKey, checkRoomId, effective };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.GodModeConfig = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
