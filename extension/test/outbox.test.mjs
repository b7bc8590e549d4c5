// The outbox's ordering and durability rules, on an in-memory storage with chrome.storage's API.
// (The real chrome.storage, worker restarts and backend restarts are in e2e.test.mjs.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { Outbox, MemoryStorage } = require("../src/outbox.js");

const sample = (n) => ({ room_id: "r", platform: "camsoda", tokens_count: n, tips_count: 0, viewers_count: 0, timestamp: n });

/** A backend that can be up or down, and records what it accepted. */
function backend() {
  const state = { up: true, accepted: [], refuse: new Set() };
  state.send = async (s) => {
    if (!state.up) return { ok: false, retry: true, error: "backend unreachable" };
    if (state.refuse.has(s.tokens_count)) return { ok: false, retry: false, error: "422: invalid" };
    state.accepted.push(s.tokens_count);
    return { ok: true };
  };
  return state;
}

test("samples are sent in the order they were queued", async () => {
  const server = backend();
  const box = new Outbox({ storage: new MemoryStorage(), send: server.send });
  for (let n = 1; n <= 5; n++) await box.push(sample(n));
  const result = await box.flush();
  assert.deepEqual(server.accepted, [1, 2, 3, 4, 5]);
  assert.equal(result.sent, 5);
  assert.equal(result.pending, 0);
  assert.equal(result.accepted.tokens_count, 5);
});

test("an unreachable backend keeps everything, and a later flush sends it in order", async () => {
  const server = backend();
  const box = new Outbox({ storage: new MemoryStorage(), send: server.send });
  await box.push(sample(1));
  server.up = false;
  await box.push(sample(2));
  await box.push(sample(3));
  const down = await box.flush();
  assert.equal(down.retry, true);
  assert.equal(down.pending, 3);
  assert.equal(down.error, "backend unreachable");
  server.up = true;
  await box.flush();
  assert.deepEqual(server.accepted, [1, 2, 3]);
  assert.deepEqual(await box.counts(), { pending: 0, dropped: 0 });
});

test("a new worker on the same storage resumes where the old one stopped", async () => {
  const storage = new MemoryStorage();
  const server = backend();
  server.up = false;
  const first = new Outbox({ storage, send: server.send });
  for (let n = 1; n <= 3; n++) await first.push(sample(n));
  await first.flush();
  server.up = true;
  const second = new Outbox({ storage, send: server.send });
  await second.push(sample(4));
  await second.flush();
  assert.deepEqual(server.accepted, [1, 2, 3, 4]);
});

test("a sample the backend can never take is dropped, the rest still go", async () => {
  const server = backend();
  server.refuse.add(2);
  const box = new Outbox({ storage: new MemoryStorage(), send: server.send });
  for (let n = 1; n <= 3; n++) await box.push(sample(n));
  const result = await box.flush();
  assert.deepEqual(server.accepted, [1, 3]);
  assert.equal(result.rejected, 1);
  assert.equal(result.error, "422: invalid");
});

test("past its limit the outbox drops the oldest and counts them", async () => {
  const server = backend();
  const box = new Outbox({ storage: new MemoryStorage(), send: server.send, limit: 3 });
  for (let n = 1; n <= 5; n++) await box.push(sample(n));
  assert.deepEqual(await box.counts(), { pending: 3, dropped: 2 });
  await box.flush();
  assert.deepEqual(server.accepted, [3, 4, 5]);
});

test("concurrent flushes share one run and send each sample once", async () => {
  const server = backend();
  const box = new Outbox({ storage: new MemoryStorage(), send: server.send });
  for (let n = 1; n <= 4; n++) await box.push(sample(n));
  const [a, b] = await Promise.all([box.flush(), box.flush()]);
  assert.equal(a, b);
  assert.deepEqual(server.accepted, [1, 2, 3, 4]);
});

test("samples queued while a flush runs are sent by it, after the earlier ones", async () => {
  const server = backend();
  const storage = new MemoryStorage();
  let box;
  const send = async (s) => {
    if (s.tokens_count === 1) await box.push(sample(2));
    return server.send(s);
  };
  box = new Outbox({ storage, send });
  await box.push(sample(1));
  await box.flush();
  assert.deepEqual(server.accepted, [1, 2]);
});
