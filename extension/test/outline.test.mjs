// The page outline an administrator receives: the page's shape and its counts, and nothing
// personal (fixtures/chaturbate-outline.html holds what must stay behind).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { JSDOM } from "jsdom";

const require = createRequire(import.meta.url);
const { outlineOf } = require("../src/outline.js");
const { parseCount } = require("../src/scraper.js");

function page(name) {
  return new JSDOM(readFileSync(new URL(`fixtures/${name}.html`, import.meta.url), "utf8")).window.document;
}

function outline(options = {}) {
  return outlineOf(page("chaturbate-outline"), { roomId: "alice_cb", pathname: "/b/alice_cb/?tab=x", parseCount, ...options });
}

function all(node, out = []) {
  out.push(node);
  for (const kid of node.k || []) all(kid, out);
  return out;
}

test("the outline keeps the page's shape: tags, ids, classes, data-* names, counts", () => {
  const { root, page: path, truncated } = outline();
  assert.equal(path, "/b/{room}/");
  assert.equal(truncated, false);
  const nodes = all(root);
  const byClass = (c) => nodes.find((n) => (n.c || []).includes(c));
  assert.deepEqual(byClass("tokencount"), { t: "span", c: ["tokencount"], x: "1,234" });
  assert.deepEqual(byClass("tip-count"), { t: "span", c: ["tip-count"], x: "56" });
  assert.deepEqual(byClass("usercount"), { t: "span", c: ["usercount"], x: "78" });
  assert.deepEqual(byClass("broadcast-panel").d, ["data-testid"]);
  assert.deepEqual(nodes.find((n) => n.i === "user_information").d, ["data-user", "data-balance-id"]);
  assert.deepEqual(root.c, ["room-{room}"]);
});

test("nothing personal leaves the page", () => {
  const text = JSON.stringify(outline());
  for (const secret of [
    "alice", "Alice", // the broadcaster's name: {room} instead
    "viewer_bob", "carol_1990", "dave_secret", // viewers' names, in the chat and the user list
    "hello there", "tipped", "2024", "31337", "555", // chat text, even a number alone
    "example.com", "accounts", "avatar", "My profile", // links, images, titles, link text
    "3001234567", "private draft", "99", // what is typed in the page's forms
    "Medellín", "3009876543", // the profile's text
    "session-token", "color", // scripts and styles
    "4242", // a number shown beside a word: only counts stand alone
    "You have", "Tips this show", // words around the counts (classes named so are kept)
    "77", // attribute values
  ]) {
    assert.ok(!text.includes(secret), `${JSON.stringify(secret)} is in the outline: ${text}`);
  }
  const nodes = all(outline().root);
  const chat = nodes.find((n) => n.i === "chat-list");
  assert.deepEqual(chat, { t: "div", i: "chat-list", c: ["chat-list"], o: true });
});

test("without a room to hide, the path is left out", () => {
  assert.equal(outline({ roomId: "" }).page, "/");
});

test("a big page is cut at the node limit and says so", () => {
  const doc = new JSDOM("<body></body>").window.document;
  for (let i = 0; i < 50; i += 1) doc.body.append(doc.createElement("div"));
  const { nodes, truncated } = outlineOf(doc, { parseCount, maxNodes: 10 });
  assert.equal(nodes, 10);
  assert.equal(truncated, true);
});

test("deep nesting is bounded too", () => {
  const doc = new JSDOM("<body></body>").window.document;
  let at = doc.body;
  for (let i = 0; i < 200; i += 1) {
    const div = doc.createElement("div");
    at.append(div);
    at = div;
  }
  const { nodes, truncated } = outlineOf(doc, { parseCount });
  assert.equal(truncated, true);
  assert.ok(nodes <= 66, String(nodes));
});

test("a count with its label or unit is kept, the words are not", () => {
  const doc = new JSDOM('<body><b id="a">Tokens: 987</b><b id="b">1.2K viewers</b><b id="c">bob 12</b></body>').window.document;
  const [a, b, c] = outlineOf(doc, { parseCount }).root.k;
  assert.equal(a.x, "987");
  assert.equal(b.x, "1.2K");
  assert.equal(c.x, undefined);
});
