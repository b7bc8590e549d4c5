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
 *
 * Settings come from the organization's policy (chrome.storage.managed) over the popup's
 * (config.js).  A malformed policy value stops sending — the queue is kept — until IT fixes it.
 *
 * Health: the worker reports to the backend (POST /api/collectors/health) what IT needs to see
 * without going to the PC — its version, the rooms it read, the counters it could not read,
 * samples refused, its queue — every HEALTH_INTERVAL_MS, and soon after a counter first goes
 * missing.  What it counts between reports lives in storage ("health") like everything else.
 */
importScripts("scraper.js", "outbox.js", "config.js");

const ALARM = "godmode-tick";
const TICK_MINUTES = 0.5; // Chrome's shortest period for a packed extension
const SELECTORS_MAX_AGE_MS = 10 * 60 * 1000;
const REQUEST_TIMEOUT_MS = 10000;
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 30000;
// The Date header has whole seconds: a difference this small is noise, not a wrong clock.
const CLOCK_NOISE_S = 2;
const HEALTH_INTERVAL_MS = 5 * 60 * 1000;
// A new selector miss is reported this soon after the previous report at the earliest.
const HEALTH_URGENT_MS = 10 * 1000;
const HEALTH_ROOMS = 50; // the backend's bounds
const HEALTH_MISSES = 50;
const HEALTH_STRATEGIES = 30; // the backend takes 30
const MISS_KINDS = new Set(["missing", "malformed", "disagree"]);
const ROOM_FRESH_MS = 15 * 60 * 1000; // rooms read this recently are reported

const storage = chrome.storage.local;
let retryTimer = null;
let retryDelay = RETRY_FIRST_MS;

async function managedPolicy() {
  try {
    return (await chrome.storage.managed.get(null)) || {};
  } catch (_) {
    return {}; // no policy support (or none set)
  }
}

/** {settings, managed, problems}: see config.js. */
async function configuration() {
  const [{ settings: stored }, managed] = await Promise.all([storage.get(["settings"]), managedPolicy()]);
  return GodModeConfig.effective(stored, managed);
}

/** Why nothing may be sent (a malformed policy value), or null. */
function policyError(config) {
  if (!config.problems.length) return null;
  return `the organization's policy sets a malformed ${config.problems.map((p) => p.field).join(", ")}; nothing is sent until it is fixed`;
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
  const configured = await configuration();
  const blocked = policyError(configured);
  if (blocked) return { ok: false, retry: true, error: blocked };
  const config = configured.settings;
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
  if (response.status >= 500) return { ok: false, retry: true, error };
  await noteRefusal(error);
  // A refused key can be fixed without losing the samples: keep them.
  if (response.status === 401 || response.status === 403) return { ok: false, retry: true, error };
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
  const configured = await configuration();
  const current = await ensureSelectors();
  const blocked = policyError(configured);
  if (blocked) {
    await setStatus({ connected: false, lastError: blocked, lastErrorAt: Date.now() });
    return current;
  }
  const config = configured.settings;
  let response;
  try {
    [response] = await backendFetch(endpoint(config.backendUrl, "/api/collectors/selectors?strategies=1"), {
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
  const { health } = await storage.get(["health"]);
  if (!health || !health.reportedAt || Date.now() - health.reportedAt >= HEALTH_INTERVAL_MS) {
    await reportHealth();
  }
}

// --- page outlines ---------------------------------------------------------------------------

/** Post a page's outline (the popup's "Send page outline") for the studio's administrator. */
async function sendOutline({ platform, roomId, outline }) {
  const configured = await configuration();
  const blocked = policyError(configured);
  if (blocked) return { ok: false, error: blocked };
  const config = configured.settings;
  const body = { platform, room_id: roomId || null, ...outline };
  try {
    const [response] = await backendFetch(endpoint(config.backendUrl, "/api/collectors/outlines"), {
      method: "POST",
      headers: headers(config),
      body: JSON.stringify(body),
    });
    return response.ok ? { ok: true } : { ok: false, error: (await describe(response)).text };
  } catch (err) {
    return { ok: false, error: `backend unreachable (${err.message})` };
  }
}

// --- health ---------------------------------------------------------------------------------

let healthChain = Promise.resolve();

/** Change the stored health counts, one change at a time (the worker's handlers interleave). */
function updateHealth(change) {
  const run = healthChain.then(async () => {
    const { health } = await storage.get(["health"]);
    const next = change({ rooms: {}, misses: {}, refused: 0, lastRefusal: null, reportedAt: 0, ...(health || {}) });
    await storage.set({ health: next });
    return next;
  });
  healthChain = run.catch(() => {});
  return run;
}

function newest(entries, limit, at) {
  return Object.fromEntries(Object.entries(entries).sort((a, b) => at(b[1]) - at(a[1])).slice(0, limit));
}

/** The room a sample was read for, and which strategy gave each of its counters. */
function noteRoom(sample, used) {
  return updateHealth((h) => {
    const at = Date.now();
    const rooms = { ...h.rooms, [`${sample.platform}/${sample.room_id}`]: { platform: sample.platform, room_id: sample.room_id, at } };
    const strategies = { ...(h.strategies || {}) };
    for (const [field, strategy] of Object.entries(used && typeof used === "object" ? used : {})) {
      if (typeof strategy !== "string" || !GodModeScraper.COUNTERS.includes(field)) continue;
      strategies[`${sample.platform} ${field}`] = { platform: sample.platform, field, strategy: strategy.slice(0, 200), at };
    }
    return {
      ...h,
      rooms: newest(rooms, HEALTH_ROOMS, (r) => r.at),
      strategies: newest(strategies, HEALTH_STRATEGIES, (u) => u.at),
    };
  });
}

/** Counters the page did not give; true when one of them was not missing before (report soon). */
async function noteMisses(list) {
  let fresh = false;
  await updateHealth((h) => {
    const misses = { ...h.misses };
    for (const miss of list || []) {
      if (!miss || typeof miss.platform !== "string" || typeof miss.field !== "string") continue;
      const key = `${miss.platform} ${miss.field} ${miss.kind}`;
      const known = misses[key];
      if (!known) fresh = true;
      misses[key] = { platform: miss.platform, field: miss.field, kind: MISS_KINDS.has(miss.kind) ? miss.kind : "missing", count: (known ? known.count : 0) + 1, at: Date.now() };
    }
    return { ...h, misses: newest(misses, HEALTH_MISSES, (m) => m.at) };
  });
  return fresh;
}

function noteRefusal(error) {
  return updateHealth((h) => ({ ...h, refused: h.refused + 1, lastRefusal: String(error).slice(0, 300) }));
}

let reporting = null;

/** Send the health report; on success the counts since the previous report start again. */
function reportHealth() {
  reporting ??= sendHealth().finally(() => {
    reporting = null;
  });
  return reporting;
}

async function sendHealth() {
  const configured = await configuration();
  if (policyError(configured)) return;
  const config = configured.settings;
  const [{ health }, counts, offset] = await Promise.all([storage.get(["health"]), outbox.counts(), clockOffset()]);
  const h = { rooms: {}, misses: {}, refused: 0, lastRefusal: null, ...(health || {}) };
  const seconds = (ms) => Math.max(0, Math.floor(ms / 1000) + offset);
  const now = Date.now();
  const body = {
    version: chrome.runtime.getManifest().version,
    browser: navigator.userAgent.slice(0, 300),
    managed: configured.managed,
    rooms: Object.values(h.rooms)
      .filter((r) => now - r.at < ROOM_FRESH_MS)
      .map((r) => ({ platform: r.platform, room_id: r.room_id, last_read_at: seconds(r.at) })),
    selector_misses: Object.values(h.misses).map((m) => ({ platform: m.platform, field: m.field, kind: m.kind, count: m.count, last_at: seconds(m.at) })),
    strategies: Object.values(h.strategies || {}).map((u) => ({ platform: u.platform, field: u.field, strategy: u.strategy, last_at: seconds(u.at) })),
    refused_posts: h.refused,
    last_refusal: h.lastRefusal,
    queue_length: counts.pending || 0,
    dropped: counts.dropped || 0,
    clock_offset: -offset, // this PC's clock minus the backend's
  };
  let response;
  try {
    [response] = await backendFetch(endpoint(config.backendUrl, "/api/collectors/health"), {
      method: "POST",
      headers: headers(config),
      body: JSON.stringify(body),
    });
  } catch (err) {
    await setStatus({ healthError: `backend unreachable (${err.message})` });
    return;
  }
  if (!response.ok) {
    await setStatus({ healthError: (await describe(response)).text });
    return;
  }
  // What was counted while the report was on its way stays for the next one.
  await updateHealth((now) => {
    const misses = {};
    for (const [key, miss] of Object.entries(now.misses)) {
      const sent = h.misses[key];
      const left = miss.count - (sent ? sent.count : 0);
      if (left > 0) misses[key] = { ...miss, count: left };
    }
    return { ...now, misses, refused: Math.max(0, now.refused - h.refused), reportedAt: Date.now() };
  });
  await setStatus({ healthError: null, healthReportedAt: Date.now() });
}

chrome.runtime.onMessage.addListener((message, sender, reply) => {
  const handle = async () => {
    switch (message && message.type) {
      case "sample":
        await outbox.push(message.sample);
        await setStatus({ lastReadAt: Date.now() });
        await noteRoom(message.sample, message.used);
        flush();
        return { queued: true };
      case "used":
        await noteRoom(message.sample, message.used);
        return {};
      case "warning": {
        await setStatus({ lastError: message.text, lastErrorAt: Date.now() });
        if (await noteMisses(message.misses)) {
          // A counter newly missing: report soon (at most one report every HEALTH_URGENT_MS).
          const { health } = await storage.get(["health"]);
          const wait = ((health && health.reportedAt) || 0) + HEALTH_URGENT_MS - Date.now();
          if (wait <= 0) reportHealth();
          else setTimeout(reportHealth, wait);
        }
        return {};
      }
      case "configured":
        // New settings from the popup: start over with the retries and check them now.
        if (retryTimer !== null) clearTimeout(retryTimer);
        retryTimer = null;
        retryDelay = RETRY_FIRST_MS;
        await setStatus({ lastError: null, lastErrorAt: null });
        await refreshSelectors();
        await flush();
        reportHealth();
        return {};
      case "send-outline":
        return sendOutline(message);
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
// IT changed the policy: start over with the new settings at once.
chrome.storage.onChanged.addListener((_, area) => {
  if (area !== "managed") return;
  if (retryTimer !== null) clearTimeout(retryTimer);
  retryTimer = null;
  retryDelay = RETRY_FIRST_MS;
  refreshSelectors().then(flush).then(reportHealth);
});
