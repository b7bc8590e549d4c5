// The collector as IT deploys it, in Debian's Chromium (headless) with real managed policies
// (/etc/chromium/policies/managed, as root; removed after each test): settings set by policy,
// a malformed policy, health reports reaching the backend, and installation and update of the
// signed package from the backend's update manifest by ExtensionInstallForcelist.
//
// What headless Chromium shows here: the forced installation is automatic (the policy alone
// makes it download the package named by the update manifest); for the update, Chromium's own
// update check is started the way chrome://extensions's "Update" button starts it
// (developerPrivate.autoUpdate), since its periodic check did not come within minutes in
// headless mode even with --extensions-update-frequency.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  EXTENSION_DIR,
  GodmodeServer,
  browserWithExtension,
  builtExtension,
  canWritePolicies,
  freePort,
  packExtension,
  platformSite,
  setPolicy,
  tempDir,
  waitFor,
} from "./harness.mjs";

const fixture = (name) => readFileSync(path.join(EXTENSION_DIR, "test/fixtures", `${name}.html`), "utf8");
const ROOM = "alice_cb";
const BROKEN = "broken_cb";
const TIMEOUT = { timeout: 180000 };
const skip = canWritePolicies() ? false : "needs write access to Chromium's managed policy folder (root, as CI runs)";

let site;
before(async () => {
  site = await platformSite({ [`/b/${ROOM}/`]: fixture("chaturbate"), [`/b/${BROKEN}/`]: fixture("chaturbate-missing") });
});
after(() => site.close());

test("settings set by policy are used at once and cannot be edited; the health reports name them", { ...TIMEOUT, skip }, async () => {
  const server = new GodmodeServer();
  const apiKey = server.createKey("pc-policy");
  await server.start();
  const extension = builtExtension();
  const clear = setPolicy({ "3rdparty": { extensions: { [extension.id]: { backendUrl: server.url, apiKey } } } });
  const browser = await browserWithExtension({ hosts: ["chaturbate.com"], port: site.port });
  try {
    // Nobody opened the popup or saved anything: the policy's backend and key are used.
    const page = await browser.context.newPage();
    await page.goto(`https://chaturbate.com/b/${ROOM}/`);
    const history = await waitFor("the page's sample at the backend", async () => {
      const samples = await server.history(ROOM, "chaturbate");
      return samples.length >= 1 && samples;
    }, 60000);
    assert.equal(history[0].tokens_count, 1234);

    const popup = await browser.context.newPage();
    await popup.goto(browser.popupUrl);
    await popup.waitForSelector("body[data-ready]");
    await waitFor("the popup to show the policy", async () => (await popup.inputValue("#backend-url")) === server.url);
    assert.equal(await popup.inputValue("#api-key"), apiKey);
    for (const id of ["#backend-url", "#api-key"]) {
      assert.equal(await popup.getAttribute(id, "readonly"), "", `${id} is read-only`);
      assert.equal(await popup.getAttribute(id, "title"), "Set by your organization");
    }
    assert.equal(await popup.getAttribute("#room-id", "readonly"), null, "the room id was not set by policy");
    assert.equal(await popup.isVisible("#managed-note"), true);
    assert.equal(await popup.textContent("#policy-problems"), "");
    // Saving the form keeps the organization's values (only the room id is taken).
    await popup.fill("#room-id", "studio-room-9");
    await popup.click("#save");
    await waitFor("saved", async () => (await popup.textContent("#form-message")) === "Saved.");
    const { settings } = await browser.storage(["settings"]);
    assert.equal(settings.roomId, "studio-room-9");

    // A page whose counter is missing: the backend hears of it without anyone at the PC.
    await page.goto(`https://chaturbate.com/b/${BROKEN}/`);
    // One login for the whole wait: a login per poll trips the server's login rate limit.
    const token = await server.login();
    const health = await waitFor("a health report naming the miss", async () => {
      const [key] = (await server.adminGet(token, "/api/admin/keys")).filter((k) => k.name === "pc-policy");
      const report = key && key.health && key.health.report;
      return report && report.selector_misses.length && report;
    }, 60000);
    assert.equal(health.version, extension.version);
    assert.deepEqual(health.managed, ["backendUrl", "apiKey"]);
    assert.deepEqual(
      health.selector_misses.map((m) => [m.platform, m.field, m.kind]),
      [["chaturbate", "tokens_count", "missing"]],
    );
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(metrics, /^godmode_collector_selector_misses\{key="pc-policy"\} [1-9]/m);
  } finally {
    clear();
    await browser.close();
    await server.dispose();
  }
});

test("a malformed policy value is named in the popup and nothing is sent; the queue is kept", { ...TIMEOUT, skip }, async () => {
  const server = new GodmodeServer();
  await server.start();
  const extension = builtExtension();
  const clear = setPolicy({ "3rdparty": { extensions: { [extension.id]: { backendUrl: "tracking.studio.example", apiKey: "not-a-key" } } } });
  const browser = await browserWithExtension({ hosts: ["chaturbate.com"], port: site.port });
  try {
    const popup = await browser.context.newPage();
    await popup.goto(browser.popupUrl);
    await popup.waitForSelector("body[data-ready]");
    const problems = await waitFor("the policy's problems", async () => popup.textContent("#policy-problems"));
    assert.match(problems, /Your organization's Backend URL setting is not valid \(The backend URL must start with http:\/\/ or https:\/\/\)/);
    assert.match(problems, /Your organization's API key setting is not valid/);
    // The popup cannot be used to go around it: the fields are the organization's.
    assert.equal(await popup.getAttribute("#backend-url", "readonly"), "");
    const page = await browser.context.newPage();
    await page.goto(`https://chaturbate.com/b/${ROOM}/`);
    await waitFor("the sample to be queued", async () => (await browser.storage(["status"])).status?.pending === 1);
    const { status } = await browser.storage(["status"]);
    assert.match(status.lastError, /policy sets a malformed backendUrl, apiKey; nothing is sent/);
    assert.deepEqual(await server.history(ROOM, "chaturbate"), []);
  } finally {
    clear();
    await browser.close();
    await server.dispose();
  }
});

test("the signed package is force-installed from the backend's update manifest and updates itself", { ...TIMEOUT, skip }, async () => {
  // The studio's server: its port first, since the package names its update manifest.
  const server = new GodmodeServer();
  server.port = await freePort();
  const shelf = tempDir("godmode-shelf-");
  server.env.GODMODE_EXTENSION_DIR = shelf;
  const updateUrl = `${server.url}/api/collectors/extension/updates.xml`;
  const first = packExtension({ updateUrl, out: shelf });
  const apiKey = server.createKey("pc-forced");
  await server.start();
  const clear = setPolicy({
    ExtensionInstallForcelist: [`${first.id};${updateUrl}`],
    "3rdparty": { extensions: { [first.id]: { backendUrl: server.url, apiKey } } },
  });
  const browser = await browserWithExtension({
    hosts: ["chaturbate.com"],
    port: site.port,
    policyInstalled: { id: first.id },
  });
  try {
    const installed = await waitFor("the forced installation", async () => {
      const found = await browser.installed();
      return found && found.version === first.version && found;
    }, 90000);
    assert.equal(installed.location, "EXTERNAL_POLICY_DOWNLOAD");
    assert.deepEqual(installed.disable_reasons, []);
    // It works as installed: configured by the policy, it feeds the backend.
    const page = await browser.context.newPage();
    await page.goto(`https://chaturbate.com/b/${ROOM}/`);
    await waitFor("the installed collector's sample", async () => (await server.history(ROOM, "chaturbate")).length >= 1, 60000);

    // The studio publishes a new version, signed with the same key, into the served folder.
    const source = tempDir("godmode-next-");
    cpSync(EXTENSION_DIR, source, { recursive: true, filter: (p) => !/node_modules|[/\\]test([/\\]|$)/.test(p) });
    const manifest = JSON.parse(readFileSync(path.join(source, "manifest.json"), "utf8"));
    manifest.version = first.version.replace(/\d+$/, (n) => String(Number(n) + 1));
    writeFileSync(path.join(source, "manifest.json"), JSON.stringify(manifest));
    const next = packExtension({ source, key: first.key, updateUrl, out: shelf });
    assert.equal(next.id, first.id);
    const extensionsPage = await browser.context.newPage();
    await extensionsPage.goto("chrome://extensions");
    await extensionsPage.evaluate(() => new Promise((resolve) => chrome.developerPrivate.autoUpdate(resolve)));
    const updated = await waitFor("the update", async () => {
      const found = await browser.installed();
      return found && found.version === next.version && found;
    }, 60000);
    assert.equal(updated.location, "EXTERNAL_POLICY_DOWNLOAD");
    assert.deepEqual(updated.disable_reasons, [], "the same key: no new permission prompt, still enabled");
  } finally {
    clear();
    await browser.close();
    await server.dispose();
  }
});
