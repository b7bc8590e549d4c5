// The collector's settings (src/config.js): the organization's policy wins over the popup, and a
// malformed policy value is a problem that stops sending rather than a silent fallback.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { effective, checkUrl, checkApiKey, DEFAULTS } = require("../src/config.js");
const KEY = "gm_" + "A".repeat(43);

test("without a policy the popup's settings apply, over the defaults", () => {
  assert.deepEqual(effective(undefined, {}), { settings: DEFAULTS, managed: [], problems: [] });
  const local = { backendUrl: "https://t.example", apiKey: KEY, roomId: "" };
  assert.deepEqual(effective(local, {}).settings, local);
});

test("the policy's values win and are named as the organization's", () => {
  const local = { backendUrl: "http://127.0.0.1:3000", apiKey: "", roomId: "mine" };
  const result = effective(local, { backendUrl: "https://tracking.studio.example/", apiKey: ` ${KEY} ` });
  assert.deepEqual(result.settings, { backendUrl: "https://tracking.studio.example", apiKey: KEY, roomId: "mine" });
  assert.deepEqual(result.managed, ["backendUrl", "apiKey"]);
  assert.deepEqual(result.problems, []);
});

test("a malformed policy value is a problem, never replaced by the popup's", () => {
  const local = { backendUrl: "https://ok.example", apiKey: KEY, roomId: "" };
  const cases = [
    [{ backendUrl: "tracking.studio.example" }, "backendUrl", "badUrl"],
    [{ backendUrl: "ftp://tracking.studio.example" }, "backendUrl", "badUrl"],
    [{ backendUrl: "https://user:pass@tracking.studio.example" }, "backendUrl", "badUrl"],
    [{ backendUrl: "https://" + "a".repeat(3000) + ".example" }, "backendUrl", "badUrl"],
    [{ backendUrl: 42 }, "backendUrl", "badUrl"],
    [{ apiKey: "not-a-key" }, "apiKey", "badApiKey"],
    [{ apiKey: "gm_short" }, "apiKey", "badApiKey"],
    [{ apiKey: KEY + " extra" }, "apiKey", "badApiKey"],
    [{ roomId: "bad room!" }, "roomId", "badRoomId"],
  ];
  for (const [managed, field, error] of cases) {
    const result = effective(local, managed);
    assert.deepEqual(result.problems, [{ field, error }], JSON.stringify(managed));
    assert.deepEqual(result.managed, [field]);
    if (field !== "roomId") assert.equal(result.settings[field], DEFAULTS[field], "the popup's value is not used");
  }
});

test("URLs and keys are checked the same way from the popup", () => {
  assert.equal(checkUrl(" https://t.example/// ").value, "https://t.example");
  assert.equal(checkUrl("javascript:alert(1)").error, "badUrl");
  assert.equal(checkApiKey("").value, "", "blank: a dev server takes samples without a key");
  assert.equal(checkApiKey(KEY).value, KEY);
});
