/*
 * The service worker: takes samples from the content scripts, queues them in the outbox, posts
 * them to the backend in order, keeps the selectors fresh from the backend, and publishes a
 * status for the popup.
 *
 * MV3 stops this worker when idle, so it keeps nothing in memory that matters: the queue, the
 * settings, the selectors and the status all live in chrome.storage.local, and every wake-up
 * (a sample, the popup, the periodic alarm, browser start) resumes sending.
 *
 * Broadcasters' PCs have wrong clocks, and the backend refuses samples dated more than a few
 * seconds ahead.  Every answer's Date header tells the backend's time: the worker keeps the
 * difference ("clock" in storage) and posts each sample's read time on the backend's clock.
 * A sample refused as "in the future" before the difference was known is sent again with it.
 */
importScripts("scraper.js", "outbox.js");

const DEFAULT_SETTINGS = { backendUrl: "http://127.0.0.1:3000", apiKey: "", roomId: "" };
const ALARM = "godmode-tick";
const TICK_MINUTES = 0.5; // Chrome's shortest period for a packed extension
const SELECTORS_MAX_AGE_MS = 10 * 60 * 1000;
const REQUEST_TIMEOUT_MS = 10000;
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 30000;
// The Date header has whole seconds: a difference this small is noise, not a wrong clock.
const CLOCK_NOISE_S = 2;

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

/**
 * The backend's error: its sentence (or the status line when the body is not our error shape)
 * and the type of each problem it named.
 */
async function describe(response) {
  try {
    const body = await response.json();
    if (body && typeof body.message === "string") {
      const types = Array.isArray(body.errors) ? body.errors.map((e) => e && e.type) : [];
      return { text: `${response.status}: ${body.message}`, types };
    }
  } catch (_) {
    /* not JSON */
  }
  return { text: `HTTP ${response.status}`, types: [] };
}

/** The backend's clock minus this computer's, in seconds (0 until an answer told). */
async function clockOffset() {
  const { clock } = await storage.get(["clock"]);
  return clock ? clock.offset : 0;
}

/**
 * Learn the backend's time from an answer's Date header; `sentAt` is when the request left.
 * Whether the difference changed (then what was just sent was dated wrong).
 */
async function learnClock(response, sentAt) {
  const receivedAt = Date.now();
  const serverMs = Date.parse(response.headers.get("date") || "");
  if (!Number.isFinite(serverMs)) return false;
  // The header is truncated to the second (+500 ms on average); the request took some time.
  const offset = Math.round((serverMs + 500 - (sentAt + receivedAt) / 2) / 1000);
  const known = await clockOffset();
  if (Math.abs(offset - known) < CLOCK_NOISE_S) return false;
  const kept = Math.abs(offset) < CLOCK_NOISE_S ? 0 : offset;
  await storage.set({ clock: { offset: kept, learntAt: receivedAt } });
  await setStatus({ clockOffset: kept });
  return true;
}

/** fetch, learning the backend's clock from whatever it answers: [response, clock changed]. */
async function backendFetch(url, init) {
  const sentAt = Date.now();
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  return [response, await learnClock(response, sentAt)];
}

/** Post one sample; classify the answer for the outbox (retry later, or never). */
async function postSample(sample) {
  const config = await settings();
  // Queued with this computer's time of reading; posted on the backend's clock.
  const onBackendClock = { ...sample, timestamp: Math.max(0, sample.timestamp + (await clockOffset())) };
  let response, clockChanged;
  try {
    [response, clockChanged] = await backendFetch(endpoint(config.backendUrl, "/api/tracking/telemetry"), {
      method: "POST",
      headers: headers(config),
      body: JSON.stringify(onBackendClock),
    });
  } catch (err) {
    return { ok: false, retry: true, error: `backend unreachable (${err.name === "TimeoutError" ? "timed out" : err.message})` };
  }
  // Dated before the clocks' difference was known, and this very answer taught it: a sample
  // refused as "in the future", or set aside as older than the room's latest, goes again.
  if (response.ok) {
    const answer = await response.json().catch(() => ({}));
    if (clockChanged && answer.reason === "stale") return { ok: false, retry: true, error: "clock corrected; sending again" };
    return { ok: true };
  }
  const { text: error, types } = await describe(response);
  if (response.status === 422 && types.includes("timestamp_in_future")) {
    return { ok: false, retry: true, error };
  }
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
    [response] = await backendFetch(endpoint(config.backendUrl, "/api/collectors/selectors"), {
      headers: headers(config),
    });
  } catch (err) {
    await setStatus({ connected: false, lastError: `backend unreachable (${err.message})`, lastErrorAt: Date.now() });
    return current;
  }
  if (!response.ok) {
    await setStatus({ connected: false, lastError: (await describe(response)).text, lastErrorAt: Date.now() });
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
