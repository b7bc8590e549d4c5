// The scrapers on hand-written pages shaped like each platform's (not saved copies of the live sites:
// see docs/COLLECTORS.md): what they read, and what they refuse.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { JSDOM } from "jsdom";

const require = createRequire(import.meta.url);
const { parseCount, readSample, validSelectors, sameCounters } = require("../src/scraper.js");
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
      for (const warning of warnings) assert.match(warning, /no element matches|room id is not on the page/);
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
