// The extension end to end, in Debian's Chromium (headless): a fixture page served under the
// platform's host name, a running godmode-server, and a dashboard WebSocket client.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  Dashboard,
  EXTENSION_DIR,
  GodmodeServer,
  browserWithExtension,
  platformSite,
  waitFor,
  writeJson,
} from "./harness.mjs";

const fixture = (name) => readFileSync(path.join(EXTENSION_DIR, "test/fixtures", `${name}.html`), "utf8");
const ROOM = "alice_cb";
const TIMEOUT = { timeout: 150000 };

let site;
before(async () => {
  site = await platformSite({ [`/b/${ROOM}/`]: fixture("chaturbate") });
});
after(() => site.close());

/** Set the page's counters the way the platform's own scripts would. */
async function setCounters(page, { tokens, tips }) {
  await page.evaluate(
    ([t, n]) => {
      document.querySelector(".tokencount").textContent = t;
      document.querySelector(".tip-count").textContent = n;
    },
    [tokens.toLocaleString("en-US"), String(tips)],
  );
}

async function configure(browser, settings) {
  const popup = await browser.context.newPage();
  await popup.goto(browser.popupUrl);
  await popup.waitForSelector("body[data-ready]");
  await popup.fill("#backend-url", settings.backendUrl);
  await popup.fill("#api-key", settings.apiKey || "");
  await popup.fill("#room-id", settings.roomId || "");
  await popup.click("#save");
  return popup;
}

test("samples reach the backend and the dashboards, and survive a backend outage in order", TIMEOUT, async () => {
  const server = new GodmodeServer();
  const apiKey = server.createKey("extension-e2e");
  await server.start();
  const browser = await browserWithExtension({ hosts: ["chaturbate.com"], port: site.port });
  try {
    const popup = await configure(browser, { backendUrl: server.url, apiKey });
    await waitFor("the popup to say Connected", async () => (await popup.textContent("#state")) === "Connected");
    const dashboard = await Dashboard.connect(server);

    const page = await browser.context.newPage();
    await page.goto(`https://chaturbate.com/b/${ROOM}/`);
    // The page as loaded: the fixture's counters.
    const first = await waitFor("the first update", () => dashboard.updates(ROOM)[0]);
    assert.deepEqual(
      [first.data.platform, first.data.tokens, first.data.tips, first.data.viewers],
      ["chaturbate", 1234, 56, 78],
    );
    // A tip arrives on the page: the MutationObserver sees it.
    await setCounters(page, { tokens: 1300, tips: 57 });
    const second = await waitFor("the tip's update", () => dashboard.updates(ROOM)[1]);
    assert.deepEqual([second.data.tokens, second.data.tips, second.data.tokens_delta], [1300, 57, 66]);
    assert.equal(dashboard.updates(ROOM).length, 2, "one update per change");
    dashboard.close();

    await popup.reload();
    await waitFor("the popup to show the accepted sample", async () =>
      (await popup.textContent("#last-accepted")).includes(`chaturbate/${ROOM}`),
    );

    // The backend goes away; tips keep coming.
    await server.stop();
    const whileDown = [1400, 1500, 1600];
    for (const [i, tokens] of whileDown.entries()) {
      await setCounters(page, { tokens, tips: 58 + i });
      await waitFor(`sample ${tokens} to be queued`, async () => (await browser.storage(["status"])).status?.pending === i + 1);
    }
    const { status } = await browser.storage(["status"]);
    assert.equal(status.connected, false);
    assert.match(status.lastError, /backend unreachable/);
    await popup.reload();
    await popup.waitForSelector("body[data-ready]");
    assert.equal(await popup.textContent("#state"), "Disconnected");
    assert.equal(await popup.textContent("#pending"), "3");

    // Chrome stops idle workers: the queue must not live in the worker's memory.
    await browser.stopWorkers(page);
    await server.start();
    // One more tip wakes the worker; everything queued goes first, in order.
    await setCounters(page, { tokens: 1700, tips: 61 });
    const history = await waitFor("the queued samples", async () => {
      const samples = await server.history(ROOM, "chaturbate");
      return samples.length >= 4 && samples;
    }, 60000);
    assert.deepEqual(history.map((s) => s.tokens_count), [...whileDown, 1700]);
    assert.deepEqual(history.map((s) => s.tips_count), [58, 59, 60, 61]);
    const stamps = history.map((s) => s.timestamp);
    assert.deepEqual(stamps, [...stamps].sort(), "each sample keeps the time it was read");
    await waitFor("the popup to say Connected again", async () => {
      await popup.reload();
      return (await popup.textContent("#state")) === "Connected" && (await popup.textContent("#pending")) === "0";
    });
  } finally {
    await browser.close();
    await server.dispose();
  }
});

for (const offset of [600, -600]) {
  const side = offset > 0 ? "ahead" : "behind";
  test(`a PC whose clock is ten minutes ${side} still feeds its room, on the backend's clock`, TIMEOUT, async () => {
    const server = new GodmodeServer();
    const apiKey = server.createKey("skewed-pc");
    await server.start();
    const browser = await browserWithExtension({ hosts: ["chaturbate.com"], port: site.port, clockOffset: offset });
    const realNow = () => Math.floor(Date.now() / 1000);
    try {
      // The browser's clock really is off.
      const page = await browser.context.newPage();
      const skew = (await page.evaluate(() => Math.floor(Date.now() / 1000))) - realNow();
      assert.ok(Math.abs(skew - offset) <= 2, `Chromium's clock is off by ${skew} s`);

      const popup = await configure(browser, { backendUrl: server.url, apiKey });
      await waitFor("the popup to say Connected", async () => (await popup.textContent("#state")) === "Connected");
      const learnt = (await browser.storage(["clock"])).clock;
      assert.ok(Math.abs(learnt.offset + offset) <= 2, `learnt offset ${learnt.offset}`);
      await popup.reload();
      assert.match(await popup.textContent("#clock"), new RegExp(`^(599|600|601) s ${side} \\(samples corrected\\)$`));

      const dashboard = await Dashboard.connect(server);
      await page.goto(`https://chaturbate.com/b/${ROOM}/`);
      const first = await waitFor("the first update", () => dashboard.updates(ROOM)[0]);
      assert.ok(Math.abs(first.data.timestamp - realNow()) <= 3, `stamped ${first.data.timestamp - realNow()} s off`);

      // Before the worker knew the difference (forgotten here), a sample dated ahead is refused
      // once with "in the future" (one dated behind is set aside as older than the room's
      // latest), teaches the difference, and goes again corrected.  Learnt again, the
      // difference may be a second off the first time's: the next reading waits that long.
      await popup.evaluate(() => chrome.storage.local.remove("clock"));
      await waitFor("the clock to pass the first sample's second", () => realNow() > first.data.timestamp + 3);
      await setCounters(page, { tokens: 2000, tips: 60 });
      const second = await waitFor("the update after the clock was forgotten", () => dashboard.updates(ROOM)[1], 60000);
      assert.equal(second.data.tokens, 2000);
      assert.ok(Math.abs(second.data.timestamp - realNow()) <= 3, `stamped ${second.data.timestamp - realNow()} s off`);
      const history = await server.history(ROOM, "chaturbate");
      assert.deepEqual(history.map((s) => s.tokens_count), [1234, 2000], "nothing lost, nothing twice");
      dashboard.close();
    } finally {
      await browser.close();
      await server.dispose();
    }
  });
}

test("a queue left by a stopped backend is sent when it comes back, without a new sample", TIMEOUT, async () => {
  const server = new GodmodeServer();
  await server.start();
  const browser = await browserWithExtension({ hosts: ["chaturbate.com"], port: site.port });
  try {
    const popup = await configure(browser, { backendUrl: server.url, roomId: "studio-room-7" });
    await waitFor("Connected", async () => (await popup.textContent("#state")) === "Connected");
    await server.stop();
    const page = await browser.context.newPage();
    await page.goto(`https://chaturbate.com/b/${ROOM}/`);
    await waitFor("the sample to be queued", async () => (await browser.storage(["status"])).status?.pending === 1);
    await setCounters(page, { tokens: 2000, tips: 60 });
    await waitFor("two queued", async () => (await browser.storage(["status"])).status?.pending === 2);
    await server.start();
    // Nothing changes on the page now: the worker's retry alone must deliver them.
    const history = await waitFor("the retried samples", async () => {
      const samples = await server.history("studio-room-7", "chaturbate");
      return samples.length >= 2 && samples;
    }, 60000);
    assert.deepEqual(history.map((s) => s.tokens_count), [1234, 2000]);
  } finally {
    await browser.close();
    await server.dispose();
  }
});

test("selectors fixed on the backend reach the extension", TIMEOUT, async () => {
  // The platform renamed its token counter; the studio fixes the selector on the server only.
  const selectors = JSON.parse(readFileSync(path.join(EXTENSION_DIR, "selectors.json"), "utf8"));
  selectors.version += 1;
  selectors.platforms.chaturbate.counters.tokens_count = [".token-balance-v2"];
  const server = new GodmodeServer();
  const file = path.join(server.dir, "selectors.json");
  writeJson(file, selectors);
  server.env.GODMODE_SELECTORS_FILE = file;
  await server.start();
  const redesigned = fixture("chaturbate").replace('class="tokencount"', 'class="token-balance-v2"');
  const redesignSite = await platformSite({ [`/b/${ROOM}/`]: redesigned });
  const browser = await browserWithExtension({ hosts: ["chaturbate.com"], port: redesignSite.port });
  try {
    const popup = await configure(browser, { backendUrl: server.url });
    await waitFor("the backend's selectors", async () => (await popup.textContent("#selectors")).includes(`version ${selectors.version}`));
    const dashboard = await Dashboard.connect(server);
    const page = await browser.context.newPage();
    await page.goto(`https://chaturbate.com/b/${ROOM}/`);
    const update = await waitFor("an update read with the new selector", () => dashboard.updates(ROOM)[0]);
    assert.equal(update.data.tokens, 1234);
    dashboard.close();
  } finally {
    await browser.close();
    redesignSite.close();
    await server.dispose();
  }
});

test("a page whose counters are missing sends nothing and says why", TIMEOUT, async () => {
  const server = new GodmodeServer();
  await server.start();
  const brokenSite = await platformSite({ [`/b/${ROOM}/`]: fixture("chaturbate-missing") });
  const browser = await browserWithExtension({ hosts: ["chaturbate.com"], port: brokenSite.port });
  try {
    const popup = await configure(browser, { backendUrl: server.url });
    await waitFor("Connected", async () => (await popup.textContent("#state")) === "Connected");
    const page = await browser.context.newPage();
    const warnings = [];
    page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
    await page.goto(`https://chaturbate.com/b/${ROOM}/`);
    await waitFor("the warning in the popup", async () => {
      await popup.reload();
      return (await popup.textContent("#last-error")).includes("tokens_count: no element matches");
    });
    assert.ok(warnings.some((w) => w.includes("no element matches .tokencount")), warnings.join("\n"));
    assert.deepEqual(await server.history(ROOM, "chaturbate"), []);
  } finally {
    await browser.close();
    brokenSite.close();
    await server.dispose();
  }
});

test("the popup speaks Spanish in a Spanish browser", TIMEOUT, async () => {
  const browser = await browserWithExtension({ lang: "es" });
  try {
    const popup = await browser.context.newPage();
    await popup.goto(browser.popupUrl);
    await popup.waitForSelector("body[data-ready]");
    assert.equal(await popup.textContent("#save"), "Guardar");
    assert.equal(await popup.textContent("#state"), "Sin configurar");
    await popup.fill("#backend-url", "ftp://example");
    await popup.click("#save");
    // The browser's own URL check or ours: either way nothing is saved.
    assert.equal((await browser.storage(["settings"])).settings, undefined);
  } finally {
    await browser.close();
  }
});

test("a counter comes from the site's own JSON first, from the page when that JSON goes away; the health report says which", TIMEOUT, async () => {
  const server = new GodmodeServer();
  const apiKey = server.createKey("strategies-e2e");
  await server.start();
  // The Stripchat shapes of fixtures/SOURCES.md: the page, and the models list its scripts load.
  const models = JSON.parse(readFileSync(path.join(EXTENSION_DIR, "test/fixtures/stripchat-front-models.json"), "utf8"));
  models.models[0].viewersCount = 1300; // the page still shows 1.2K: which one is sent says which was read
  let jsonUp = true;
  const asked = [];
  const stripchat = await platformSite({
    "/bella.sc": fixture("stripchat"),
    "/api/front/models": (req) => {
      asked.push(req.url);
      return jsonUp ? { type: "application/json", body: JSON.stringify(models) } : { status: 404, body: "gone" };
    },
  });
  const browser = await browserWithExtension({ hosts: ["stripchat.com"], port: stripchat.port });
  const token = await server.login();
  const readBy = async () => {
    const [key] = (await server.adminGet(token, "/api/admin/keys")).filter((k) => k.name === "strategies-e2e");
    const used = key && key.health ? key.health.report.strategies : [];
    return (used.find((u) => u.platform === "stripchat" && u.field === "viewers_count") || {}).strategy;
  };
  try {
    const popup = await configure(browser, { backendUrl: server.url, apiKey });
    await waitFor("Connected", async () => (await popup.textContent("#state")) === "Connected");
    const dashboard = await Dashboard.connect(server);
    const page = await browser.context.newPage();
    await page.goto("https://stripchat.com/bella.sc");

    await waitFor("the viewers from the JSON", () => dashboard.updates("bella.sc").some((u) => u.data.viewers === 1300));
    assert.ok(asked.some((url) => url === "/api/front/models?limit=1&modelsList=bella.sc&offset=0"), asked.join("\n"));
    await popup.click("#save"); // a new report now, not in minutes
    await waitFor("the report naming the JSON strategy", async () => (await readBy()) === "front/models viewersCount");

    jsonUp = false; // the site drops its endpoint: the next refresh falls back to the page
    await waitFor("the viewers from the page", () => dashboard.updates("bella.sc").at(-1).data.viewers === 1200, 40000);
    await popup.click("#save");
    await waitFor("the report naming the page's element", async () => (await readBy()) === ".viewers-count");
    dashboard.close();
  } finally {
    await browser.close();
    stripchat.close();
    await server.dispose();
  }
});

test("the popup's Check this page shows how each counter of the open page is read", TIMEOUT, async () => {
  const context = JSON.parse(readFileSync(path.join(EXTENSION_DIR, "test/fixtures/chaturbate-chatvideocontext.json"), "utf8"));
  const chaturbate = await platformSite({
    [`/b/${ROOM}/`]: fixture("chaturbate").replace('<span class="tip-count">56</span>', '<span class="tip-count">loading…</span>'),
    [`/api/chatvideocontext/${ROOM}/`]: () => ({ type: "application/json", body: JSON.stringify(context) }),
  });
  const browser = await browserWithExtension({ hosts: ["chaturbate.com"], port: chaturbate.port });
  try {
    const popup = await browser.context.newPage();
    await popup.goto(browser.popupUrl);
    await popup.waitForSelector("body[data-ready]");
    // The popup's own tab is the active one: no broadcast page to check.
    await popup.click("#check-page");
    await waitFor("the advice to open a broadcast page", async () => (await popup.textContent("#check-message")).includes("Open a broadcast page"));

    const page = await browser.context.newPage();
    await page.goto(`https://chaturbate.com/b/${ROOM}/`);
    await page.bringToFront();
    const rows = await waitFor("every strategy's reading", async () => {
      await popup.click("#check-page");
      const shown = await popup.$$eval("#check-result tbody tr", (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
      // The JSON is fetched a moment after the page loads: wait until it reads.
      return shown.some((cells) => cells[1] === "chatvideocontext num_users" && cells[2].startsWith("78")) && shown;
    });
    assert.equal(await popup.textContent("#check-message"), `chaturbate, room ${ROOM}: some counters are not read (below).`);
    const byStrategy = Object.fromEntries(rows.map((cells) => [cells[1], cells[2]]));
    assert.equal(byStrategy[".tokencount"], "1234 ✓ sent");
    assert.equal(byStrategy["chatvideocontext num_users"], "78 ✓ sent");
    assert.equal(byStrategy[".usercount"], "78");
    assert.equal(byStrategy[".tip-count"], 'not a count: loading…');
    assert.match(byStrategy["#session-tips"], /^not found \(no element matches\)$/);
    assert.deepEqual(rows.map((cells) => cells[0]).filter(Boolean), ["tokens_count", "tips_count", "viewers_count"]);
  } finally {
    await browser.close();
    chaturbate.close();
  }
});

test("Send page outline gives the studio's backend the page's shape, nothing personal", TIMEOUT, async () => {
  const server = new GodmodeServer();
  const apiKey = server.createKey("outline-e2e");
  await server.start();
  const page = fixture("chaturbate-outline");
  const chaturbate = await platformSite({ "/b/alice_cb/": page });
  const browser = await browserWithExtension({ hosts: ["chaturbate.com"], port: chaturbate.port });
  try {
    const popup = await configure(browser, { backendUrl: server.url, apiKey });
    await waitFor("Connected", async () => (await popup.textContent("#state")) === "Connected");
    const tab = await browser.context.newPage();
    await tab.goto("https://chaturbate.com/b/alice_cb/");
    await tab.bringToFront();
    await waitFor("the outline sent", async () => {
      await popup.click("#send-outline");
      return (await popup.textContent("#check-message")).startsWith("Page outline sent");
    });
    const token = await server.login();
    const [listed] = await server.adminGet(token, "/api/admin/outlines");
    assert.deepEqual([listed.key, listed.platform, listed.room_id, listed.page], ["outline-e2e", "chaturbate", "Alice_CB", "/b/{room}/"]);
    const kept = await server.adminGet(token, "/api/admin/outlines/outline-e2e/chaturbate");
    const text = JSON.stringify(kept.outline.root);
    assert.ok(text.includes('"c":["tokencount"],"x":"1,234"'), text);
    for (const secret of ["viewer_bob", "carol_1990", "hello there", "example.com", "3001234567", "Medellín", "Alice", "alice"]) {
      assert.ok(!text.includes(secret), `${secret} reached the backend: ${text}`);
    }
  } finally {
    await browser.close();
    chaturbate.close();
    await server.dispose();
  }
});

test("a state strategy reads the page's state object in the browser", TIMEOUT, async () => {
  // The studio serves a state strategy first for Stripchat's viewers (a file of its own).
  const selectors = JSON.parse(readFileSync(path.join(EXTENSION_DIR, "selectors.json"), "utf8"));
  selectors.version += 1;
  selectors.platforms.stripchat.counters.viewers_count.unshift({
    kind: "state",
    name: "preloaded viewers",
    variable: "__PRELOADED_STATE__",
    path: "viewCam.model.viewersCount",
  });
  const server = new GodmodeServer();
  const file = path.join(server.dir, "selectors.json");
  writeJson(file, selectors);
  server.env.GODMODE_SELECTORS_FILE = file;
  await server.start();
  // The shape of fixtures/SOURCES.md, plus the tokens and tips the page shows.
  const page = fixture("stripchat-preloaded-state").replace(
    '<div class="model-name-header">bella.sc</div>',
    '<div class="model-name-header">bella.sc</div><span class="balance-tokens">500</span><span class="tips-count">7</span>',
  );
  const stripchat = await platformSite({ "/bella.sc": page });
  const browser = await browserWithExtension({ hosts: ["stripchat.com"], port: stripchat.port });
  try {
    const popup = await configure(browser, { backendUrl: server.url });
    await waitFor("the studio's strategies", async () => (await popup.textContent("#selectors")).includes(`version ${selectors.version}`));
    const dashboard = await Dashboard.connect(server);
    const tab = await browser.context.newPage();
    await tab.goto("https://stripchat.com/bella.sc");
    const update = await waitFor("the viewers from the page's state", () => dashboard.updates("bella.sc")[0]);
    assert.deepEqual([update.data.tokens, update.data.tips, update.data.viewers], [500, 7, 1200]);
    await tab.bringToFront();
    await popup.click("#check-page");
    await waitFor("the check", async () => (await popup.$$eval("#check-result tbody tr", (trs) => trs.length)) > 0);
    const rows = await popup.$$eval("#check-result tbody tr", (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
    assert.deepEqual(rows.find((cells) => cells[1] === "preloaded viewers"), ["viewers_count", "preloaded viewers", "1200 ✓ sent"]);
    dashboard.close();
  } finally {
    await browser.close();
    stripchat.close();
    await server.dispose();
  }
});
