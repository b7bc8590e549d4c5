/*
 * The popup: the backend URL, API key and room id, and whether samples reach the backend
 * (Connected / Disconnected, the last accepted sample, the last error, what waits to be sent).
 * Everything shown comes from chrome.storage.local, which the service worker keeps current.
 */
"use strict";

const $ = (id) => document.getElementById(id);
const msg = (name, ...args) => chrome.i18n.getMessage(name, args.map(String)) || name;
const ROOM_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost"]);

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

function render({ status = {}, settings, selectors }) {
  const box = $("status");
  const state = status.connected ? "connected" : settings ? "disconnected" : "notConfigured";
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

async function refresh() {
  render(await chrome.storage.local.get(["status", "settings", "selectors"]));
}

async function fill() {
  const { settings = {} } = await chrome.storage.local.get(["settings"]);
  $("backend-url").value = settings.backendUrl || "http://127.0.0.1:3000";
  $("api-key").value = settings.apiKey || "";
  $("room-id").value = settings.roomId || "";
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
  let url;
  try {
    url = new URL($("backend-url").value.trim());
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("scheme");
  } catch (_) {
    out.textContent = msg("badUrl");
    return;
  }
  const roomId = $("room-id").value.trim();
  if (roomId && !ROOM_ID.test(roomId)) {
    out.textContent = msg("badRoomId");
    return;
  }
  if (!(await allowBackend(url))) {
    out.textContent = msg("permissionDenied", url.origin);
    return;
  }
  const backendUrl = url.href.replace(/\/+$/, "");
  await chrome.storage.local.set({ settings: { backendUrl, apiKey: $("api-key").value.trim(), roomId } });
  out.textContent = msg("saved");
  out.className = "message ok";
  await chrome.runtime.sendMessage({ type: "configured" });
}

translate();
fill().then(refresh);
$("settings").addEventListener("submit", save);
chrome.storage.onChanged.addListener((_, area) => {
  if (area === "local") refresh();
});
