/*
 * The popup: the backend URL, API key and room id, and whether samples reach the backend
 * (Connected / Disconnected, the last accepted sample, the last error, what waits to be sent).
 * Everything shown comes from chrome.storage.local, which the service worker keeps current.
 * A setting the organization made by policy (chrome.storage.managed) is shown as such and
 * cannot be edited here; a malformed one is named, since nothing is sent until IT fixes it.
 * "Check this page" shows how each counter of the open broadcast page is read.
 */
"use strict";

const $ = (id) => document.getElementById(id);
const msg = (name, ...args) => chrome.i18n.getMessage(name, args.map(String)) || name;
const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost"]);
const INPUTS = { backendUrl: "backend-url", apiKey: "api-key", roomId: "room-id" };

function translate() {
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = msg(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-placeholder]")) {
    el.placeholder = msg(el.dataset.i18nPlaceholder);
  }
  document.documentElement.lang = LOCALE;
}

// The language the popup's messages are in (the catalog says), so dates match the text.
const LOCALE = chrome.i18n.getMessage("locale") || "en";

function when(ms) {
  return ms ? new Date(ms).toLocaleString(LOCALE) : msg("never");
}

function render({ status = {}, settings, selectors }, managedFields) {
  const box = $("status");
  const configured = settings || managedFields.length;
  const state = status.connected ? "connected" : configured ? "disconnected" : "notConfigured";
  box.className = `status ${state}`;
  $("state").textContent = msg(state);
  const sample = status.lastSample;
  $("last-accepted").textContent = status.lastAcceptedAt
    ? `${when(status.lastAcceptedAt)}${sample ? ` (${sample.platform}/${sample.room_id})` : ""}`
    : msg("never");
  $("last-error").textContent = status.lastError ? `${status.lastError} (${when(status.lastErrorAt)})` : msg("none");
  $("pending").textContent = `${status.pending || 0}${status.dropped ? ` · ${msg("dropped")}: ${status.dropped}` : ""}`;
  const offset = status.clockOffset || 0;
  $("clock").textContent = offset === 0 ? msg("clockRight") : msg(offset < 0 ? "clockAhead" : "clockBehind", Math.abs(offset));
  if (selectors && selectors.data) {
    const kind = selectors.source === "backend" ? "selectorsBackend" : "selectorsBundled";
    $("selectors").textContent = msg(kind, selectors.data.version);
  }
}

async function policy() {
  try {
    return (await chrome.storage.managed.get(null)) || {};
  } catch (_) {
    return {};
  }
}

let managed = [];

async function refresh() {
  render(await chrome.storage.local.get(["status", "settings", "selectors"]), managed);
}

/** The settings in force, the organization's marked read-only, and any malformed one named. */
async function fill() {
  const [{ settings = {} }, fromPolicy] = await Promise.all([chrome.storage.local.get(["settings"]), policy()]);
  const config = GodModeConfig.effective(settings, fromPolicy);
  managed = config.managed;
  for (const [field, id] of Object.entries(INPUTS)) {
    const input = $(id);
    const byPolicy = managed.includes(field);
    input.readOnly = byPolicy;
    input.classList.toggle("managed", byPolicy);
    input.title = byPolicy ? msg("setByOrganization") : "";
    input.value = byPolicy && typeof fromPolicy[field] === "string" ? fromPolicy[field] : config.settings[field];
  }
  $("managed-note").hidden = managed.length === 0;
  $("save").hidden = managed.length === Object.keys(INPUTS).length;
  $("policy-problems").textContent = config.problems
    .map((p) => msg("policyProblem", msg(p.field), msg(p.error)))
    .join(" ");
}

/** Host access to the backend: localhost is granted at install, anything else is asked for. */
async function allowBackend(url) {
  if (LOCAL_HOSTS.has(url.hostname)) return true;
  const origins = [`${url.protocol}//${url.hostname}/*`];
  if (await chrome.permissions.contains({ origins })) return true;
  return chrome.permissions.request({ origins });
}

async function save(event) {
  event.preventDefault();
  const out = $("form-message");
  out.className = "message";
  const { settings: stored = {} } = await chrome.storage.local.get(["settings"]);
  const next = { ...GodModeConfig.DEFAULTS, ...stored };
  // Only what the organization did not set is taken from the form.
  for (const [field, id] of Object.entries(INPUTS)) {
    if (managed.includes(field)) continue;
    const check = { backendUrl: GodModeConfig.checkUrl, apiKey: GodModeConfig.checkApiKey, roomId: GodModeConfig.checkRoomId }[field];
    const checked = check($(id).value);
    if (checked.error) {
      out.textContent = msg(checked.error);
      return;
    }
    next[field] = checked.value;
  }
  if (!managed.includes("backendUrl") && !(await allowBackend(new URL(next.backendUrl)))) {
    out.textContent = msg("permissionDenied", new URL(next.backendUrl).origin);
    return;
  }
  await chrome.storage.local.set({ settings: next });
  out.textContent = msg("saved");
  out.className = "message ok";
  await chrome.runtime.sendMessage({ type: "configured" });
}

/**
 * "Check this page": every way of reading each counter, tried on the broadcast page open in
 * this window now (its content script answers), and what each read; the one sent is marked.
 */
async function checkPage() {
  const out = $("check-message");
  const table = $("check-result");
  const rows = table.tBodies[0];
  rows.replaceChildren();
  table.hidden = true;
  let answer = null;
  try {
    const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
    answer = tab ? await chrome.tabs.sendMessage(tab.id, { type: "check-page" }) : null;
  } catch (_) {
    answer = null; // no content script there: not a platform's page
  }
  if (!answer) {
    out.textContent = msg("checkNoPage");
    return;
  }
  if (!answer.ready) {
    out.textContent = msg("checkNotReady");
    return;
  }
  out.textContent = msg(answer.sample ? "checkComplete" : "checkIncomplete", answer.platform, answer.roomId || "?");
  for (const [counter, outcomes] of Object.entries(answer.readings)) {
    outcomes.forEach((o, i) => {
      const row = rows.insertRow();
      const read = o.value !== undefined;
      if (read && answer.used[counter] === o.strategy) row.className = "used";
      row.insertCell().textContent = i === 0 ? counter : "";
      row.insertCell().textContent = o.strategy;
      const cell = row.insertCell();
      cell.className = read ? "read" : "miss";
      cell.textContent = read
        ? `${o.value}${row.className === "used" ? ` ✓ ${msg("checkSent")}` : ""}`
        : o.problem === "malformed"
          ? msg("checkMalformed", o.text)
          : msg("checkMissing", o.detail || "");
    });
  }
  table.hidden = false;
}

/**
 * "Send page outline": the open broadcast page's shape (tags, ids, classes, data-* names, the
 * counts it shows; nothing personal) to the studio's backend, where an administrator fixes a
 * strategy against it.  The worker posts it with the key.
 */
async function sendOutline() {
  const out = $("check-message");
  let answer = null;
  try {
    const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
    answer = tab ? await chrome.tabs.sendMessage(tab.id, { type: "outline-page" }) : null;
  } catch (_) {
    answer = null;
  }
  if (!answer) {
    out.textContent = msg("checkNoPage");
    return;
  }
  if (!answer.ready || !answer.outline) {
    out.textContent = msg(answer.ready ? "outlineNoRoom" : "checkNotReady");
    return;
  }
  const result = await chrome.runtime.sendMessage({ type: "send-outline", platform: answer.platform, roomId: answer.roomId, outline: answer.outline });
  out.textContent = result && result.ok ? msg("outlineSent", answer.outline.nodes) : msg("outlineFailed", (result && result.error) || "?");
}

translate();
// Filled from storage and policy, then shown: marked ready (tests wait for it before typing).
fill()
  .then(refresh)
  .then(() => {
    document.body.dataset.ready = "true";
  });
$("settings").addEventListener("submit", save);
$("check-page").addEventListener("click", checkPage);
$("send-outline").addEventListener("click", sendOutline);
chrome.storage.onChanged.addListener((_, area) => {
  if (area === "local") refresh();
  if (area === "managed") fill().then(refresh);
});
