// The popup screenshots in docs/images/ (English and Spanish), taken from the real popup in
// headless Chromium: connected to a --dev server, after reading the hand-written Chaturbate page
// (test/fixtures/) and checking it with "Check this page".
//   GODMODE_SERVER_BIN=.venv/bin/godmode-server node extension/tools/popup_screenshots.mjs
import { readFileSync } from "node:fs";
import path from "node:path";
import { EXTENSION_DIR, GodmodeServer, browserWithExtension, platformSite, waitFor } from "../test/harness.mjs";

const IMAGES = path.resolve(EXTENSION_DIR, "..", "docs", "images");
const ROOM = "alice_cb";
const fixture = (name) => readFileSync(path.join(EXTENSION_DIR, "test/fixtures", name), "utf8");

const server = new GodmodeServer();
await server.start();
const site = await platformSite({
  [`/b/${ROOM}/`]: fixture("chaturbate.html"),
  [`/api/chatvideocontext/${ROOM}/`]: () => ({ type: "application/json", body: fixture("chaturbate-chatvideocontext.json") }),
});
try {
  for (const [lang, file] of [["en-US", "extension-popup.png"], ["es", "extension-popup-es.png"]]) {
    const browser = await browserWithExtension({ hosts: ["chaturbate.com"], port: site.port, lang });
    try {
      const popup = await browser.context.newPage();
      await popup.setViewportSize({ width: 380, height: 600 });
      await popup.goto(browser.popupUrl);
      await popup.waitForSelector("body[data-ready]");
      await popup.fill("#backend-url", server.url);
      await popup.click("#save");
      const page = await browser.context.newPage();
      await page.goto(`https://chaturbate.com/b/${ROOM}/`);
      await waitFor("the sample accepted", async () => (await browser.storage(["status"])).status?.lastAcceptedAt);
      await page.bringToFront(); // (reading the storage opened a page of its own)
      await waitFor("every strategy read", async () => {
        await popup.click("#check-page");
        const cells = await popup.$$eval("#check-result td", (tds) => tds.map((td) => td.textContent));
        return cells.some((text) => text.startsWith("78 ✓"));
      });
      await popup.screenshot({ path: path.join(IMAGES, file), fullPage: true });
      console.log(`${file} written`);
    } finally {
      await browser.close();
    }
  }
} finally {
  site.close();
  await server.dispose();
}
