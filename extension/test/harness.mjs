// Real parts for the end-to-end tests: a godmode-server process, an HTTPS server that plays a
// platform's host, a dashboard WebSocket client, and Debian's Chromium with the extension loaded
// — the packed artifact (`godmode-server extension pack`, what `make extension` runs), never the
// source folder — and managed browser policies written where Chromium reads them.
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import WebSocket from "ws";

export const EXTENSION_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const REPO = path.resolve(EXTENSION_DIR, "..");
const SERVER_BIN = process.env.GODMODE_SERVER_BIN || path.join(REPO, ".venv/bin/godmode-server");
const PYTHON = path.join(path.dirname(SERVER_BIN), "python");
const CHROMIUM = process.env.CHROMIUM_BIN || "/usr/bin/chromium";
// Where Debian's Chromium reads managed policies (every Chromium on the machine: removed after).
const POLICY_DIR = process.env.CHROMIUM_POLICY_DIR || "/etc/chromium/policies/managed";
export const POLL_MS = 50;

export function tempDir(prefix) {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

const cleanUps = new Set();
process.on("exit", () => {
  for (const clean of cleanUps) clean();
});

/**
 * Pack the collector as `make extension` does, with a key made for this test run:
 * {id, version, zip, crx, key, unpacked}.  `source` defaults to the extension's folder;
 * `updateUrl` goes into the manifest.
 */
export function packExtension({ source = EXTENSION_DIR, key = null, updateUrl = null, out = null } = {}) {
  const dir = tempDir("godmode-package-");
  cleanUps.add(() => rmSync(dir, { recursive: true, force: true }));
  if (!key) {
    key = path.join(dir, "studio-key.pem");
    execFileSync(SERVER_BIN, ["extension", "key", "--out", key], { stdio: "ignore" });
  }
  out ??= path.join(dir, "dist");
  const args = ["extension", "pack", "--source", source, "--key", key, "--out", out];
  if (updateUrl) args.push("--update-url", updateUrl);
  const printed = execFileSync(SERVER_BIN, args).toString();
  const [, id, version] = /extension id ([a-p]{32}), version (\S+)/.exec(printed);
  const zip = path.join(out, `godmode-collector-${version}.zip`);
  const unpacked = path.join(dir, "unpacked");
  execFileSync(PYTHON, ["-m", "zipfile", "-e", zip, unpacked]);
  return { id, version, zip, crx: path.join(out, `godmode-collector-${version}.crx`), key, unpacked };
}

let built = null;
/** The package every test loads (built once per run). */
export function builtExtension() {
  built ??= packExtension();
  return built;
}

/** Whether this process may write Chromium's managed policies (root, as CI runs). */
export function canWritePolicies() {
  try {
    mkdirSync(POLICY_DIR, { recursive: true });
    const probe = path.join(POLICY_DIR, `.godmode-probe-${process.pid}`);
    writeFileSync(probe, "");
    rmSync(probe);
    return true;
  } catch (_) {
    return false;
  }
}

/** Set managed browser policies (Chromium's JSON) until the returned function is called. */
export function setPolicy(policy) {
  const file = path.join(POLICY_DIR, `godmode-test-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(policy));
  const remove = () => rmSync(file, { force: true });
  cleanUps.add(remove);
  return () => {
    remove();
    cleanUps.delete(remove);
  };
}

/** Resolve when `check()` returns a truthy value; fail with `what` after `timeoutMs`. */
export async function waitFor(what, check, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await check();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** godmode-server in dev mode on a loopback port, with its own SQLite file (kept across restarts). */
export class GodmodeServer {
  constructor(env = {}) {
    this.dir = tempDir("godmode-e2e-");
    this.env = {
      ...process.env,
      GODMODE_DATABASE_URL: `sqlite:///${path.join(this.dir, "godmode.db")}`,
      // The server settings file is looked for here: the test's own, never the machine's.
      XDG_CONFIG_HOME: this.dir,
      ...env,
    };
    this.proc = null;
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  createKey(name) {
    return execFileSync(SERVER_BIN, ["key", "create", name], { env: this.env, stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
  }

  async start() {
    this.port ??= await freePort();
    this.log = [];
    this.proc = spawn(SERVER_BIN, ["run", "--dev", "--port", String(this.port), "--log-level", "warning"], {
      env: this.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    for (const stream of [this.proc.stdout, this.proc.stderr]) stream.on("data", (d) => this.log.push(String(d)));
    const exited = new Promise((resolve) => this.proc.once("exit", resolve));
    this.exited = exited;
    await waitFor(
      `godmode-server on port ${this.port}`,
      async () => {
        if (this.proc.exitCode !== null) throw new Error(`godmode-server exited:\n${this.log.join("")}`);
        try {
          return (await fetch(`${this.url}/healthz`)).ok;
        } catch (_) {
          return false;
        }
      },
      30000,
    );
  }

  async stop() {
    if (!this.proc || this.proc.exitCode !== null) return;
    this.proc.kill("SIGTERM");
    await this.exited;
  }

  async dispose() {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  async login() {
    const response = await fetch(`${this.url}/api/auth/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username: "demo", password: "demo" }),
    });
    // An error body (a 429 from logging in too often, say) is the failure, not a missing token.
    if (!response.ok) throw new Error(`login answered ${response.status}: ${await response.text()}`);
    return (await response.json()).access_token;
  }

  /** A GET as the demo user, with a token from one login; an error answer throws. */
  async adminGet(token, route) {
    const response = await fetch(`${this.url}${route}`, { headers: { Authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`GET ${route} answered ${response.status}: ${await response.text()}`);
    return response.json();
  }

  async history(roomId, platform) {
    const response = await fetch(`${this.url}/api/tracking/telemetry/${roomId}/${platform}/history`);
    return response.ok ? (await response.json()).samples : [];
  }
}

/** A dashboard: every event the server pushes, in arrival order. */
export class Dashboard {
  static async connect(server) {
    const token = await server.login();
    const dashboard = new Dashboard();
    dashboard.socket = new WebSocket(`ws://127.0.0.1:${server.port}/ws/dashboard`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    dashboard.socket.on("message", (data) => dashboard.events.push(JSON.parse(String(data))));
    await waitFor("the SNAPSHOT", () => dashboard.events.some((e) => e.event_type === "SNAPSHOT"));
    return dashboard;
  }

  constructor() {
    this.events = [];
  }

  updates(roomId) {
    return this.events.filter((e) => e.event_type === "TELEMETRY_UPDATE" && e.room_id === roomId);
  }

  close() {
    this.socket.close();
  }
}

/**
 * An HTTPS server playing a platform's site (Chromium only lets https reach these hosts), with a
 * certificate made for the test; `pages` maps paths to HTML, or to a function of the request
 * giving {status, type, body} (the site's JSON answers, which a test may change).
 */
export async function platformSite(pages) {
  const dir = tempDir("godmode-site-");
  const key = path.join(dir, "key.pem");
  const cert = path.join(dir, "cert.pem");
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
    "-days", "1", "-subj", "/CN=godmode-test"], { stdio: "ignore" });
  const server = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    const page = pages[new URL(req.url, "https://x").pathname];
    const answer = typeof page === "function" ? page(req) : { status: page ? 200 : 404, body: page || "not found" };
    res.writeHead(answer.status || 200, { "Content-Type": answer.type || "text/html; charset=utf-8" });
    res.end(answer.body);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: server.address().port,
    close: () => {
      server.closeAllConnections();
      server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// libfaketime (Debian's package, which `make test` installs) shifts the clock of the programs
// it is preloaded into.
function faketimeLibrary() {
  const found = readdirSync("/usr/lib", { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join("/usr/lib", entry.name, "faketime/libfaketime.so.1"))
    .find((candidate) => existsSync(candidate));
  if (!found) throw new Error("libfaketime is needed (make test installs the faketime package)");
  return found;
}

/**
 * Chromium (Debian's) with the packed extension unzipped (`extension`, default: the run's
 * build) or, with `policyInstalled`, none loaded by hand: it comes from policy.  `hosts` are
 * mapped to a local port.
 * `clockOffset` (seconds) runs it with its clock that far off, as on a broadcaster's PC with a
 * wrong clock: libfaketime, and no zygote (its forked children do not survive the preload).
 */
export async function browserWithExtension({
  hosts = [],
  port = 0,
  lang = "en-US",
  clockOffset = 0,
  extension = null,
  policyInstalled = null,
} = {}) {
  const profile = tempDir("godmode-chromium-");
  const rules = hosts.map((host) => `MAP ${host}:443 127.0.0.1:${port}`).join(",");
  const args = ["--headless=new", "--disable-gpu", "--no-first-run", "--disable-sync", "--ignore-certificate-errors", `--lang=${lang}`];
  const loaded = policyInstalled ? null : extension || builtExtension();
  if (loaded) {
    args.push(`--disable-extensions-except=${loaded.unpacked}`, `--load-extension=${loaded.unpacked}`);
    args.push("--disable-background-networking", "--disable-component-update");
  }
  // Otherwise the policy's download and update checks (background networking) are left on.
  if (rules) args.push(`--host-resolver-rules=${rules}`);
  if (process.getuid && process.getuid() === 0) args.push("--no-sandbox");
  const clock = {};
  if (clockOffset) {
    args.push("--no-zygote");
    Object.assign(clock, { LD_PRELOAD: faketimeLibrary(), FAKETIME: `${clockOffset > 0 ? "+" : ""}${clockOffset}s` });
  }
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: false, // --headless=new above: the old headless mode cannot load extensions
    args,
    ignoreDefaultArgs: [
      "--disable-extensions",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-default-apps",
      "--disable-component-extensions-with-background-pages",
    ],
    env: { ...process.env, LANGUAGE: lang.replace("-", "_"), ...clock },
  });
  let extensionId;
  if (loaded) {
    const worker = context.serviceWorkers()[0] || (await context.waitForEvent("serviceworker"));
    extensionId = new URL(worker.url()).host;
    // The manifest's key fixes the id: the same on every machine, and the policies name it.
    if (extensionId !== loaded.id) throw new Error(`loaded as ${extensionId}, packed as ${loaded.id}`);
  } else {
    extensionId = policyInstalled.id;
  }
  const popupUrl = `chrome-extension://${extensionId}/popup/popup.html`;
  let inspector = null;
  return {
    context,
    extensionId,
    popupUrl,
    /** The extension's storage, read from an extension page (works while the worker sleeps). */
    async storage(keys) {
      if (!inspector) {
        inspector = await context.newPage();
        await inspector.goto(popupUrl);
      }
      return inspector.evaluate((k) => chrome.storage.local.get(k), keys);
    },
    /** What Chromium says of the installed extension (chrome://extensions-internals), or null. */
    async installed() {
      const page = await context.newPage();
      try {
        await page.goto("chrome://extensions-internals");
        const found = JSON.parse(await page.innerText("body")).find((e) => e.id === extensionId);
        return found || null;
      } catch (_) {
        return null;
      } finally {
        await page.close();
      }
    },
    /** Stop every service worker, as Chrome does to an idle MV3 worker. */
    async stopWorkers(page) {
      const cdp = await context.newCDPSession(page);
      await cdp.send("ServiceWorker.enable");
      await cdp.send("ServiceWorker.stopAllWorkers");
      await cdp.detach();
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export function writeJson(file, data) {
  writeFileSync(file, JSON.stringify(data));
}
