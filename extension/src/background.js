/*
 * The service worker: takes samples from the content scripts, queues them in the outbox, posts
 * them to the backend in order, keeps the selectors fresh from the backend, and publishes a
 * status for the popup.
 *
 * MV3 stops this worker when idle, so it keeps nothing in memory that matters: the queue, the
 * settings, the selectors and the status all live in chrome.storage.local, and every wake-up
 * (a sample, the popup, the periodic alarm, browser start) resumes sending.
 */
importScripts("scraper.js", "outbox.js");

const DEFAULT_SETTINGS = { backendUrl: "http://127.0.0.1:3000", apiKey: "", roomId: "" };
const ALARM = "godmode-tick";
const TICK_MINUTES = 0.5; // Chrome's shortest period for a packed extension
const SELECTORS_MAX_AGE_MS = 10 * 60 * 1000;
const REQUEST_TIMEOUT_MS = 10000;
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 30000;

const storage = chrome.storage.local;
let retryTimer = null;
let retryDelay = RETRY_FIRST_MS;

async function settings() {
  const { settings: stored } = await storage.get(["settings"]);
  return { ...DEFAULT_SETTINGS, ...(stored || {}) };
}

function endpoint(base, path) {
  return base.replace(/\/+$/, "") + path;
}

function headers(config) {
  const out = { "Content-Type": "application/json" };
  if (config.apiKey) out["X-Api-Key"] = config.apiKey;
  return out;
}

/** The backend's error sentence, or the status line when the body is not our error shape. */
async function describe(response) {
  try {
    const body = await response.json();
    if (body && typeof body.message === "string") return `${response.status}: ${body.message}`;
  } catch (_) {
    /* not JSON */
  }
  return `HTTP ${response.status}`;
}

/** Post one sample; classify the answer for the outbox (retry later, or never). */
async function postSample(sample) {
  const config = await settings();
  let response;
  try {
    response = await fetch(endpoint(config.backendUrl, "/api/tracking/telemetry"), {
      method: "POST",
      headers: headers(config),
      body: JSON.stringify(sample),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    return { ok: false, retry: true, error: `backend unreachable (${err.name === "TimeoutError" ? "timed out" : err.message})` };
  }
  if (response.ok) return { ok: true };
  const error = await describe(response);
  if (response.status === 429) {
    const after = Number(response.headers.get("Retry-After"));
    return { ok: false, retry: true, error, retryAfter: Number.isFinite(after) ? after : null };
  }
  // A refused key or a server error can be fixed without losing the samples: keep them.
  if (response.status === 401 || response.status === 403 || response.status >= 500) {
    return { ok: false, retry: true, error };
  }
  return { ok: false, retry: false, error }; // 400/413/422: this sample can never be taken
}

const outbox = new GodModeOutbox.Outbox({ storage, send: postSample });

async function setStatus(change) {
  const { status } = await storage.get(["status"]);
  const counts = await outbox.counts();
  await storage.set({ status: { ...(status || {}), ...counts, ...change } });
}

function scheduleRetry(seconds) {
  if (retryTimer !== null) return;
  const delay = seconds ? seconds * 1000 : retryDelay * (0.8 + 0.4 * Math.random());
  retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
  retryTimer = setTimeout(() => {
    retryTimer = null;
    flush();
  }, delay);
}

async function flush() {
  const result = await outbox.flush();
  const now = Date.now();
  const change = {};
  if (result.sent) {
    Object.assign(change, { connected: true, lastAcceptedAt: now, lastSample: result.accepted });
  }
  if (result.error) Object.assign(change, { lastError: result.error, lastErrorAt: now });
  if (result.retry) {
    change.connected = false;
    scheduleRetry(result.retryAfter);
  } else {
    retryDelay = RETRY_FIRST_MS;
  }
  if (Object.keys(change).length) await setStatus(change);
  return result;
}

/** The bundled selectors, unless the backend gave newer ones (kept in storage). */
async function ensureSelectors() {
  const { selectors } = await storage.get(["selectors"]);
  if (selectors && GodModeScraper.validSelectors(selectors.data)) return selectors;
  const data = await (await fetch(chrome.runtime.getURL("selectors.json"))).json();
  const bundled = { data, source: "bundled", fetchedAt: 0 };
  await storage.set({ selectors: bundled });
  return bundled;
}

/** Ask the backend for the studio's selectors; also tells whether the backend and key work. */
async function refreshSelectors() {
  const config = await settings();
  const current = await ensureSelectors();
  let response;
  try {
    response = await fetch(endpoint(config.backendUrl, "/api/collectors/selectors"), {
      headers: headers(config),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    await setStatus({ connected: false, lastError: `backend unreachable (${err.message})`, lastErrorAt: Date.now() });
    return current;
  }
  if (!response.ok) {
    await setStatus({ connected: false, lastError: await describe(response), lastErrorAt: Date.now() });
    return current;
  }
  let data = null;
  try {
    data = await response.json();
  } catch (_) {
    /* handled below */
  }
  if (!GodModeScraper.validSelectors(data)) {
    await setStatus({ lastError: "the backend's selectors are malformed; keeping the current ones", lastErrorAt: Date.now() });
    return current;
  }
  const fresh = { data, source: "backend", fetchedAt: Date.now() };
  await storage.set({ selectors: fresh });
  await setStatus({ connected: true });
  return fresh;
}

async function tick() {
  const { selectors } = await storage.get(["selectors"]);
  if (!selectors || selectors.source !== "backend" || Date.now() - selectors.fetchedAt > SELECTORS_MAX_AGE_MS) {
    await refreshSelectors();
  }
  await flush();
}

chrome.runtime.onMessage.addListener((message, sender, reply) => {
  const handle = async () => {
    switch (message && message.type) {
      case "sample":
        await outbox.push(message.sample);
        await setStatus({ lastReadAt: Date.now() });
        flush();
        return { queued: true };
      case "warning":
        await setStatus({ lastError: message.text, lastErrorAt: Date.now() });
        return {};
      case "configured":
        // New settings from the popup: start over with the retries and check them now.
        if (retryTimer !== null) clearTimeout(retryTimer);
        retryTimer = null;
        retryDelay = RETRY_FIRST_MS;
        await setStatus({ lastError: null, lastErrorAt: null });
        await refreshSelectors();
        await flush();
        return {};
      case "hello":
        return { selectors: (await ensureSelectors()).data };
      default:
        return { error: "unknown message" };
    }
  };
  handle().then(reply, (err) => reply({ error: String(err) }));
  return true; // reply asynchronously
});

async function wake() {
  await chrome.alarms.create(ALARM, { periodInMinutes: TICK_MINUTES });
  await ensureSelectors();
  await tick();
}

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === ALARM) tick();
});
chrome.runtime.onInstalled.addListener(wake);
chrome.runtime.onStartup.addListener(wake);
