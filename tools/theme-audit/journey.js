// The breakdown's journey map alone (its section of the page), at 375 px and 1280 px wide, in the
// light scheme (JOURNEY_SCHEME=dark for the other): docs/screenshots/journey-<label>-<width>.png, for a before/after pair
// in 256 colours (`node journey.js after`; AUDIT_BASE_URL=http://… to shoot a site served elsewhere, such as an
// older build).
"use strict";
const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");
const { ROOT, CHROMIUM, CHROMIUM_FLAGS, PAGES, serve, quantize } = require("./common");

const DIR = path.resolve(process.env.SCREENSHOTS_DIR || path.join(ROOT, "docs", "screenshots"));
const label = process.argv[2] || "after";
const scheme = process.env.JOURNEY_SCHEME || "light";

(async () => {
  const server = await serve();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  fs.mkdirSync(DIR, { recursive: true });
  try {
    const page = PAGES.find((p) => p.name === "decryptage");
    for (const width of [375, 1280]) {
      const context = await browser.newContext({ colorScheme: scheme, reducedMotion: "reduce",
        viewport: { width, height: 900 }, deviceScaleFactor: 1 });
      const tab = await context.newPage();
      await tab.goto(server.base + page.path, { waitUntil: "load" });
      const file = path.join(DIR, `journey-${label}-${width}.png`);
      // The section, and the map where it is wider than the text column.
      const clip = await tab.evaluate(() => {
        const boxes = ["section:has(> #bd-journey)", ".journey-map"]
          .map((s) => document.querySelector(s))
          .filter(Boolean)
          .map((e) => e.getBoundingClientRect());
        const x = Math.max(0, Math.min(...boxes.map((b) => b.left)) - 8);
        const y = Math.min(...boxes.map((b) => b.top)) + window.scrollY - 8;
        const right = Math.min(document.documentElement.clientWidth, Math.max(...boxes.map((b) => b.right)) + 8);
        const bottom = Math.max(...boxes.map((b) => b.bottom)) + window.scrollY + 8;
        return { x, y, width: right - x, height: bottom - y };
      });
      fs.writeFileSync(file, quantize(await tab.screenshot({ clip, fullPage: true })));
      await context.close();
      console.log(`${path.relative(ROOT, file)}  ${Math.round(fs.statSync(file).size / 1024)} KB`);
    }
  } finally {
    await browser.close();
    server.close();
  }
})().catch((e) => { console.error(e); process.exit(2); });
