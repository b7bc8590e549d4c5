/*
 * A page's outline for the studio's administrator: the shape of the broadcast page (tag names,
 * ids, classes, the names of data-* attributes) and the counts it shows, so that a strategy
 * can be written and tested without going to the broadcaster's PC.  Nothing personal leaves
 * the page: no text but the number of an element whose own text is a count, no attribute
 * values (links, images, titles, inputs), nothing inside what looks like a chat or a user list,
 * and the room's name replaced by {room} wherever it appears.
 *
 * A classic script, like scraper.js: the content script loads it, node requires it.
 */
(function (root) {
  "use strict";

  const MAX_NODES = 4000;
  const MAX_CHILDREN = 300;
  const MAX_TOKENS = 20;
  const TAG = /^[a-z][a-z0-9-]{0,31}$/;
  // Ids and classes as sites write them; anything else (spaces, quotes, long hashes) is left out.
  const TOKEN = /^[A-Za-z_{][\w{}:.-]{0,63}$/;
  const DATA_NAME = /^data-[a-z0-9_.-]{1,40}$/;
  // Not walked into: no counters there, or nothing to learn from (code, styles, frames).
  const SKIPPED = new Set(["script", "style", "noscript", "template", "iframe", "object", "embed", "link", "meta", "head"]);
  // Kept as an empty node: what is inside is someone's words or names.
  const PRIVATE = /chat|message|msg|conversation|whisper|user-?list|users-?list|viewer-?list|member-?list|profile|bio|comment/i;
  const FORM = new Set(["input", "textarea", "select", "option"]);
  const COUNT_TOKEN = /^\d[\d.,\u00a0\u202f ]*(?:\s*[kKmM])?$/;
  const NUMBER_IN_TEXT = /\d[\d.,\u00a0\u202f ]*(?:\s*[kKmM](?![a-zA-Z]))?/;
  const MAX_TEXT = 40;
  // The only words an element's text may have beside its count (a label or a unit): any other
  // word could be a name ("alice 4242"), so such an element's count is left out.
  const UNIT_WORDS = new Set([
    "tokens", "token", "tk", "tks", "tips", "tip", "viewers", "viewer", "watching", "users",
    "online", "you", "have", "balance", "propinas", "espectadores", "viendo", "saldo",
  ]);

  function redact(token, room) {
    if (!room) return token;
    const at = token.toLowerCase().indexOf(room.toLowerCase());
    return at < 0 ? token : token.slice(0, at) + "{room}" + redact(token.slice(at + room.length), room);
  }

  function tokens(list, room) {
    const out = [];
    for (const raw of list) {
      const token = redact(raw, room);
      if (TOKEN.test(token) && !out.includes(token)) out.push(token);
      if (out.length === MAX_TOKENS) break;
    }
    return out;
  }

  /** The count an element's own text shows (the number only, never the words), or null. */
  function countText(element, parseCount) {
    let own = "";
    for (const node of element.childNodes) if (node.nodeType === 3) own += node.textContent;
    own = own.trim();
    if (!own || own.length > MAX_TEXT) return null;
    const match = own.match(NUMBER_IN_TEXT);
    if (!match) return null;
    const number = match[0].trim();
    const words = (own.slice(0, match.index) + " " + own.slice(match.index + match[0].length)).toLowerCase().match(/[^\s:()[\]·|,.-]+/g) || [];
    if (!words.every((word) => UNIT_WORDS.has(word))) return null;
    return COUNT_TOKEN.test(number) && parseCount(own) !== null ? number : null;
  }

  /**
   * The outline of `doc`: {page, truncated, nodes, root} where every node is {t: tag, i: id,
   * c: [classes], d: [data-* names], x: a count shown, o: true when its inside was left out
   * (private), k: [children]} (empty fields left out).  `options.roomId` is replaced by {room};
   * `options.parseCount` is the reader's count parser; `options.maxNodes` bounds the size.
   */
  function outlineOf(doc, options) {
    const opts = options || {};
    const room = opts.roomId || "";
    const parseCount = opts.parseCount;
    const maxNodes = opts.maxNodes || MAX_NODES;
    let count = 0;
    let truncated = false;

    function visit(element, depth) {
      const tag = element.tagName.toLowerCase();
      if (SKIPPED.has(tag) || !TAG.test(tag)) return null;
      if (count >= maxNodes || depth > 64) {
        truncated = true;
        return null;
      }
      count += 1;
      const node = { t: tag };
      const id = element.id && redact(element.id, room);
      if (id && TOKEN.test(id)) node.i = id;
      const classes = tokens(Array.from(element.classList || []), room);
      if (classes.length) node.c = classes;
      const data = Array.from(element.attributes || [])
        .map((a) => a.name.toLowerCase())
        .filter((name) => DATA_NAME.test(name))
        .slice(0, MAX_TOKENS);
      if (data.length) node.d = data;
      const named = `${element.id || ""} ${Array.from(element.classList || []).join(" ")}`;
      if (PRIVATE.test(named) || element.isContentEditable || element.getAttribute("contenteditable") === "true") {
        node.o = true;
        return node;
      }
      if (FORM.has(tag) || tag === "svg") return node;
      const shown = countText(element, parseCount);
      if (shown !== null) node.x = shown;
      const children = [];
      for (const child of element.children) {
        if (children.length >= MAX_CHILDREN) {
          truncated = true;
          break;
        }
        const kid = visit(child, depth + 1);
        if (kid) children.push(kid);
      }
      if (children.length) node.k = children;
      return node;
    }

    const rootNode = visit(doc.body || doc.documentElement, 0) || { t: "body" };
    // The path names the room; without a room to hide, it is left out.
    const path = room ? redact((opts.pathname || "/").split(/[?#]/)[0].slice(0, 200), room) : "";
    return { page: path || "/", truncated, nodes: count, root: rootNode };
  }

  const api = { MAX_NODES, outlineOf };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.GodModeOutline = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
