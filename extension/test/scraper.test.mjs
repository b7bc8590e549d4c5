// The scrapers on hand-written pages shaped like each platform's (not saved copies of the live sites:
// see docs/COLLECTORS.md): what they read, and what they refuse.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { JSDOM } from "jsdom";

const require = createRequire(import.meta.url);
const { COUNTERS, DISAGREE_AFTER_MS, parseCount, readSample, readStrategy, strategyName, validSelectors, sameCounters } = require("../src/scraper.js");
const selectors = JSON.parse(readFileSync(new URL("../selectors.json", import.meta.url)));
const NOW = 1795834347;

function page(name) {
  const html = readFileSync(new URL(`fixtures/${name}.html`, import.meta.url), "utf8");
  return new JSDOM(html).window.document;
}

describe("parseCount", () => {
  const cases = [
    ["45", 45],
    ["  78 viewers ", 78],
    ["1,234", 1234],
    ["1.234", 1234],
    ["1 024", 1024],
    ["1\u202f024\u202f000", 1024000],
    ["You have: 1,234 tokens", 1234],
    ["12.5K", 12500],
    ["1.2k viewers", 1200],
    ["3M", 3000000],
    ["Tokens: 0", 0],
  ];
  for (const [text, expected] of cases) {
    test(`${JSON.stringify(text)} is ${expected}`, () => assert.equal(parseCount(text), expected));
  }
  const refused = ["", "loading…", "--", "12abc", "x5", "-5", "1,5", "1,2345", "9e99", "1.234.56", null, 42];
  for (const text of refused) {
    test(`${JSON.stringify(text)} is not a count`, () => assert.equal(parseCount(text), null));
  }
  test("a count past 2^53 - 1 is refused", () => assert.equal(parseCount("9007199254740993"), null));
});

describe("readSample on the hand-written pages", () => {
  const expected = {
    chaturbate: { room_id: "alice_cb", tokens_count: 1234, tips_count: 56, viewers_count: 78 },
    stripchat: { room_id: "bella.sc", tokens_count: 12345, tips_count: 1024, viewers_count: 1200 },
    camsoda: { room_id: "carla-cs", tokens_count: 987, tips_count: 12, viewers_count: 345 },
  };
  for (const [platform, counters] of Object.entries(expected)) {
    test(`${platform}: reads every counter and the room`, () => {
      const { sample, warnings, misses } = readSample(page(platform), platform, selectors, { now: NOW });
      assert.deepEqual(warnings, []);
      assert.deepEqual(misses, []);
      assert.deepEqual(sample, { platform, timestamp: NOW, ...counters });
    });

    test(`${platform}: missing counters give no sample and say which`, () => {
      const { sample, warnings } = readSample(page(`${platform}-missing`), platform, selectors, { now: NOW });
      assert.equal(sample, null);
      assert.ok(warnings.length > 0);
      for (const warning of warnings) assert.match(warning, /no element matches|no strategy reads it|room id is not on the page/);
    });

    test(`${platform}: malformed counters give no sample and say which`, () => {
      const { sample, warnings } = readSample(page(`${platform}-malformed`), platform, selectors, { now: NOW });
      assert.equal(sample, null);
      assert.ok(warnings.some((w) => /is not a count/.test(w)), warnings.join("\n"));
    });
  }

  test("chaturbate: the missing token balance is named in the warning and as data", () => {
    const { warnings, misses } = readSample(page("chaturbate-missing"), "chaturbate", selectors, { now: NOW });
    assert.deepEqual(warnings, ["chaturbate tokens_count: no element matches .tokencount, #user_information .tokens span"]);
    assert.deepEqual(misses, [{ platform: "chaturbate", field: "tokens_count", kind: "missing" }]);
  });

  test("chaturbate: both malformed counters are reported", () => {
    const { warnings, misses } = readSample(page("chaturbate-malformed"), "chaturbate", selectors, { now: NOW });
    assert.deepEqual(misses, [
      { platform: "chaturbate", field: "tokens_count", kind: "malformed" },
      { platform: "chaturbate", field: "viewers_count", kind: "malformed" },
    ]);
    assert.equal(warnings.length, 2);
    assert.match(warnings[0], /tokens_count: "loading…" at \.tokencount is not a count/);
    assert.match(warnings[1], /viewers_count: "78abc"/);
  });

  test("the popup's room id wins over the page's", () => {
    const { sample } = readSample(page("camsoda"), "camsoda", selectors, { now: NOW, roomId: "studio-7" });
    assert.equal(sample.room_id, "studio-7");
  });

  test("an invalid room id from the popup is refused, not sent", () => {
    const { sample, warnings } = readSample(page("camsoda"), "camsoda", selectors, { now: NOW, roomId: "bad room!" });
    assert.equal(sample, null);
    assert.match(warnings[0], /room id "bad room!" is not valid/);
  });

  test("the room comes from the address when the page does not show it", () => {
    const doc = page("chaturbate");
    doc.getElementById("broadcaster-username").remove();
    const { sample } = readSample(doc, "chaturbate", selectors, { now: NOW, pathname: "/b/dora_77/" });
    assert.equal(sample.room_id, "dora_77");
  });

  test("a page with no room anywhere gives no sample", () => {
    const doc = page("chaturbate");
    doc.getElementById("broadcaster-username").remove();
    const { sample, warnings } = readSample(doc, "chaturbate", selectors, { now: NOW, pathname: "/" });
    assert.equal(sample, null);
    assert.match(warnings.at(-1), /room id is not on the page/);
  });

  test("a broken selector in the data is skipped, the next one is used", () => {
    const patched = structuredClone(selectors);
    patched.platforms.camsoda.counters.tips_count.unshift("div[[[");
    const { sample } = readSample(page("camsoda"), "camsoda", patched, { now: NOW });
    assert.equal(sample.tips_count, 12);
  });

  test("an unknown platform gives a warning, not an exception", () => {
    const { sample, warnings } = readSample(page("camsoda"), "bongacams", selectors, { now: NOW });
    assert.equal(sample, null);
    assert.deepEqual(warnings, ["bongacams: no selectors for this platform"]);
  });
});

describe("selectors data", () => {
  test("the shipped file is valid and covers the three platforms", () => {
    assert.ok(validSelectors(selectors));
    assert.deepEqual(Object.keys(selectors.platforms).sort(), ["camsoda", "chaturbate", "stripchat"]);
  });
  test("malformed data is refused", () => {
    assert.equal(validSelectors(null), false);
    assert.equal(validSelectors({ version: "1", platforms: {} }), false);
    assert.equal(validSelectors({ version: 1, platforms: { x: { counters: { tokens_count: "a" } } } }), false);
  });
  test("sameCounters compares counters and room, not time", () => {
    const a = { room_id: "r", platform: "camsoda", tokens_count: 1, tips_count: 2, viewers_count: 3, timestamp: 1 };
    assert.ok(sameCounters(a, { ...a, timestamp: 2 }));
    assert.ok(!sameCounters(a, { ...a, tokens_count: 5 }));
    assert.ok(!sameCounters(a, { ...a, room_id: "s" }));
    assert.ok(!sameCounters(a, null));
  });
});

// --- strategies: json and state before css, each from the shapes in fixtures/SOURCES.md -------

function answer(name) {
  return { data: JSON.parse(readFileSync(new URL(`fixtures/${name}.json`, import.meta.url), "utf8")) };
}

/** Each platform's fixture: its page and the json strategies' answers (by url), as served. */
const FIXTURES = {
  chaturbate: {
    page: "chaturbate",
    pathname: "/b/alice_cb/",
    json: { "/api/chatvideocontext/alice_cb/": answer("chaturbate-chatvideocontext") },
  },
  stripchat: {
    page: "stripchat",
    pathname: "/bella.sc",
    json: { "/api/front/models?limit=1&modelsList=bella.sc&offset=0": answer("stripchat-front-models") },
  },
  camsoda: { page: "camsoda", pathname: "/carla-cs", json: {} },
};

describe("strategies", () => {
  test("chaturbate: the viewers come from the site's JSON first", () => {
    const f = FIXTURES.chaturbate;
    const { sample, used, warnings } = readSample(page(f.page), "chaturbate", selectors, { now: NOW, json: f.json });
    assert.deepEqual(warnings, []);
    assert.equal(sample.viewers_count, 78);
    assert.equal(used.viewers_count, "chatvideocontext num_users");
    assert.equal(used.tokens_count, ".tokencount");
  });

  for (const [why, json] of [
    ["not loaded yet", {}],
    ["answered 404", { "/api/chatvideocontext/alice_cb/": { error: "HTTP 404" } }],
    ["without the field", { "/api/chatvideocontext/alice_cb/": { data: { room_status: "offline" } } }],
  ]) {
    test(`chaturbate: the JSON ${why}, the page's element is read`, () => {
      const { sample, used, readings } = readSample(page("chaturbate"), "chaturbate", selectors, { now: NOW, json });
      assert.equal(sample.viewers_count, 78);
      assert.equal(used.viewers_count, ".usercount");
      assert.equal(readings.viewers_count[0].problem, "missing");
    });
  }

  test("stripchat: the room's model is picked from the list, whatever its case", () => {
    const f = FIXTURES.stripchat;
    const other = { username: "someone_else", viewersCount: 5 };
    const data = answer("stripchat-front-models").data;
    const json = { [Object.keys(f.json)[0]]: { data: { ...data, models: [other, ...data.models] } } };
    const { sample, used } = readSample(page(f.page), "stripchat", selectors, { now: NOW, json });
    assert.equal(sample.viewers_count, 1200);
    assert.equal(used.viewers_count, "front/models viewersCount");
  });

  test("stripchat: another model's figures are never read as the room's", () => {
    const json = { "/api/front/models?limit=1&modelsList=bella.sc&offset=0": { data: { models: [{ username: "mallory", viewersCount: 9 }] } } };
    const { sample, used } = readSample(page("stripchat"), "stripchat", selectors, { now: NOW, json });
    assert.equal(sample.viewers_count, 1200); // the page's, not mallory's
    assert.equal(used.viewers_count, ".viewers-count");
  });

  test("a count the strategies disagree on is reported, the first one's sent", () => {
    const json = { "/api/chatvideocontext/alice_cb/": { data: { num_users: 80 } } };
    const { sample, warnings, misses } = readSample(page("chaturbate"), "chaturbate", selectors, { now: NOW, json });
    assert.equal(sample.viewers_count, 80);
    assert.deepEqual(warnings, ["chaturbate viewers_count: chatvideocontext num_users reads 80, .usercount reads 78"]);
    assert.deepEqual(misses, [{ platform: "chaturbate", field: "viewers_count", kind: "disagree" }]);
  });

  test("a short disagreement (refreshed at different moments) is not reported", () => {
    const json = { "/api/chatvideocontext/alice_cb/": { data: { num_users: 80 } } };
    const disagreements = new Map();
    const read = (clockMs) => readSample(page("chaturbate"), "chaturbate", selectors, { now: NOW, json, disagreements, clockMs });
    assert.deepEqual(read(1000).misses, []);
    assert.deepEqual(read(1000 + DISAGREE_AFTER_MS - 1).misses, []);
    assert.equal(read(1000 + DISAGREE_AFTER_MS).misses[0].kind, "disagree");
    // They agree again: the clock starts over.
    const agreed = { "/api/chatvideocontext/alice_cb/": { data: { num_users: 78 } } };
    readSample(page("chaturbate"), "chaturbate", selectors, { now: NOW, json: agreed, disagreements, clockMs: 2 * DISAGREE_AFTER_MS });
    assert.equal(disagreements.size, 0);
  });

  test("the state strategy reads the page's state object, parsed once per change", () => {
    const patched = structuredClone(selectors);
    patched.platforms.stripchat.counters.viewers_count.unshift({ kind: "state", variable: "__PRELOADED_STATE__", path: "viewCam.model.viewersCount" });
    const doc = page("stripchat-preloaded-state");
    for (const id of ["balance-tokens", "tips-count"]) {
      const el = doc.createElement("span");
      el.className = id;
      el.textContent = "7";
      doc.body.append(el);
    }
    const stateCache = new Map();
    const { sample, used } = readSample(doc, "stripchat", patched, { now: NOW, stateCache });
    assert.equal(sample.viewers_count, 1200);
    assert.equal(used.viewers_count, "state __PRELOADED_STATE__ viewCam.model.viewersCount");
    const parsed = stateCache.get("__PRELOADED_STATE__").value;
    readSample(doc, "stripchat", patched, { now: NOW, stateCache });
    assert.equal(stateCache.get("__PRELOADED_STATE__").value, parsed, "not parsed again");
  });

  test("a state that is not JSON, or absent, is a miss of that strategy only", () => {
    const strategy = { kind: "state", variable: "__PRELOADED_STATE__", path: "viewCam.model.viewersCount" };
    const doc = page("stripchat-preloaded-state");
    doc.querySelector("script").textContent = "window.__PRELOADED_STATE__ = JSON.parse(atob('e30='));";
    assert.equal(readStrategy(doc, strategy, "bella.sc", {}).problem, "missing");
    assert.equal(readStrategy(page("stripchat"), strategy, "bella.sc", {}).problem, "missing");
  });

  test("a JSON value that is not a count is malformed, not sent", () => {
    const json = { "/api/chatvideocontext/alice_cb/": { data: { num_users: -3 } } };
    const { readings, used } = readSample(page("chaturbate"), "chaturbate", selectors, { now: NOW, json });
    assert.equal(readings.viewers_count[0].problem, "malformed");
    assert.equal(used.viewers_count, ".usercount");
  });

  test("every counter of every platform reads its fixture, and every json strategy does", () => {
    for (const [platform, f] of Object.entries(FIXTURES)) {
      const doc = page(f.page);
      const roomId = readSample(doc, platform, selectors, { now: NOW, json: f.json, pathname: f.pathname }).roomId;
      for (const counter of COUNTERS) {
        const read = selectors.platforms[platform].counters[counter].map((s) => ({
          strategy: strategyName(s),
          kind: typeof s === "string" ? "css" : s.kind,
          ...readStrategy(doc, s, roomId, { json: f.json }),
        }));
        assert.ok(read.some((r) => r.value !== undefined), `${platform} ${counter}: every strategy misses: ${JSON.stringify(read)}`);
        for (const r of read.filter((r) => r.kind !== "css")) {
          assert.notEqual(r.value, undefined, `${platform} ${counter}: ${r.strategy} has no fixture that it reads`);
        }
      }
    }
  });

  test("when every strategy of a counter misses, the counter is reported missing with each strategy named", () => {
    const { sample, misses, warnings } = readSample(page("stripchat-missing"), "stripchat", selectors, { now: NOW, json: {} });
    assert.equal(sample, null);
    const viewers = misses.find((m) => m.field === "viewers_count");
    assert.deepEqual(viewers, { platform: "stripchat", field: "viewers_count", kind: "missing" });
    assert.ok(
      warnings.includes("stripchat viewers_count: no strategy reads it: front/models viewersCount, .viewers-count, .broadcast-stats .viewers"),
      warnings.join("\n"),
    );
  });

  test("the data's strategies are checked: same-origin urls only, known kinds only", () => {
    const withEntry = (entry) => {
      const data = structuredClone(selectors);
      data.platforms.camsoda.counters.tips_count = [entry];
      return data;
    };
    assert.ok(validSelectors(withEntry("#tips")));
    assert.ok(validSelectors(withEntry({ kind: "json", url: "/api/x/{room}", path: "a.b" })));
    assert.ok(validSelectors(withEntry({ kind: "state", variable: "__STATE__", path: "a" })));
    for (const bad of [
      { kind: "json", url: "https://evil.example/x", path: "a" },
      { kind: "json", url: "//evil.example/x", path: "a" },
      { kind: "json", url: "/x y", path: "a" },
      { kind: "json", url: "/x" },
      { kind: "state", variable: "a;alert(1)", path: "a" },
      { kind: "xpath", expression: "//div" },
      "",
      42,
    ]) {
      assert.equal(validSelectors(withEntry(bad)), false, JSON.stringify(bad));
    }
  });
});
