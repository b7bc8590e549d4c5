/*
 * The service worker's outbox: samples waiting for the backend, kept in extension storage so
 * that neither a backend restart nor the worker being stopped (MV3 stops it after ~30 s idle)
 * loses one, and sent strictly in the order they were read.
 *
 * Each sample is its own storage item ("q:<n>") between a head and a tail counter, so queueing
 * and acknowledging cost one small write each however long the queue grows.  The storage and the
 * sender are passed in: chrome.storage.local and fetch in the extension, plain objects in tests.
 */
(function (root) {
  "use strict";

  const HEAD = "outbox_head";
  const TAIL = "outbox_tail";
  const DROPPED = "outbox_dropped";
  const itemKey = (n) => `q:${n}`;

  class Outbox {
    /**
     * @param {object} opts
     * @param {{get(keys): Promise<object>, set(items): Promise<void>, remove(keys): Promise<void>}} opts.storage
     * @param {(sample: object) => Promise<{ok: boolean, retry?: boolean, error?: string, retryAfter?: number}>} opts.send
     * @param {number} [opts.limit] samples held at most; past it the oldest are dropped (and counted)
     */
    constructor({ storage, send, limit = 10000 }) {
      this.storage = storage;
      this.send = send;
      this.limit = limit;
      this.chain = Promise.resolve(); // every change of head/tail runs in this order
      this.flushing = null;
    }

    _serial(task) {
      const run = this.chain.then(task);
      this.chain = run.catch(() => {});
      return run;
    }

    async _bounds() {
      const got = await this.storage.get([HEAD, TAIL, DROPPED]);
      return { head: got[HEAD] || 0, tail: got[TAIL] || 0, dropped: got[DROPPED] || 0 };
    }

    /** Queue a sample after every sample queued before it. */
    push(sample) {
      return this._serial(async () => {
        const { head, tail, dropped } = await this._bounds();
        const update = { [itemKey(tail)]: sample, [TAIL]: tail + 1 };
        let removed = [];
        if (tail - head >= this.limit) {
          const over = tail - head - this.limit + 1;
          removed = Array.from({ length: over }, (_, i) => itemKey(head + i));
          update[HEAD] = head + over;
          update[DROPPED] = dropped + over;
        }
        await this.storage.set(update);
        if (removed.length) await this.storage.remove(removed);
        return tail + 1 - (update[HEAD] ?? head);
      });
    }

    /** How many samples wait, and how many were dropped because the outbox was full. */
    async counts() {
      const { head, tail, dropped } = await this._bounds();
      return { pending: tail - head, dropped };
    }

    /**
     * Send what is queued, oldest first, until the queue is empty or the backend cannot take
     * more.  Concurrent calls share one run.  Resolves to
     * {sent, rejected, pending, error, retry, retryAfter}: retry is true when samples are left
     * because the backend is unreachable or refused them for now (try again later).
     */
    flush() {
      if (!this.flushing) {
        this.flushing = this._flush().finally(() => {
          this.flushing = null;
        });
      }
      return this.flushing;
    }

    async _flush() {
      const result = { sent: 0, rejected: 0, pending: 0, error: null, retry: false, retryAfter: null, accepted: null };
      for (;;) {
        const { head, tail } = await this._bounds();
        result.pending = tail - head;
        if (head >= tail) return result;
        const key = itemKey(head);
        const sample = (await this.storage.get([key]))[key];
        let outcome = { ok: false, retry: false, error: "missing from storage" };
        if (sample !== undefined) outcome = await this.send(sample);
        if (!outcome.ok && outcome.retry) {
          result.error = outcome.error || "not sent";
          result.retry = true;
          result.retryAfter = outcome.retryAfter ?? null;
          return result;
        }
        if (outcome.ok) {
          result.sent += 1;
          result.accepted = sample;
        } else {
          // The backend will never take this sample (invalid): keep going with the next ones.
          result.rejected += 1;
          result.error = outcome.error || "rejected";
        }
        await this._serial(async () => {
          const now = await this._bounds();
          if (now.head === head) await this.storage.set({ [HEAD]: head + 1 });
          await this.storage.remove([key]);
        });
      }
    }
  }

  /** An in-memory storage with chrome.storage.local's promise API (tests, and no-storage runs). */
  class MemoryStorage {
    constructor() {
      this.items = new Map();
    }
    async get(keys) {
      const out = {};
      for (const key of keys) if (this.items.has(key)) out[key] = structuredClone(this.items.get(key));
      return out;
    }
    async set(items) {
      for (const [key, value] of Object.entries(items)) this.items.set(key, structuredClone(value));
    }
    async remove(keys) {
      for (const key of keys) this.items.delete(key);
    }
  }

  const api = { Outbox, MemoryStorage };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.GodModeOutbox = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
