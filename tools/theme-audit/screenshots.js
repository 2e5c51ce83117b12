// Screenshots of each audited page at 375 px and 1280 px wide, in the light and the dark scheme,
// into docs/screenshots/<page>-<width>-<scheme>.png: the top of the page, at most MAX_HEIGHT px
// tall (two phone screens, one and a half wide ones), in PNG reduced to 256 colours with upng-js
// to keep the repository small (SCREENSHOTS_COLORS=0 for lossless ones, SCREENSHOTS_DIR=/tmp/x
// to write them elsewhere, SCREENSHOTS_TYPE=jpeg for JPEG at quality 75).
"use strict";
const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");
const { ROOT, CHROMIUM, CHROMIUM_FLAGS, selectPages, serve, quantize } = require("./common");

const DIR = path.resolve(process.env.SCREENSHOTS_DIR || path.join(ROOT, "docs", "screenshots"));
const WIDTHS = [375, 1280];
const SCHEMES = ["light", "dark"];
const MAX_HEIGHT = { 375: 1334, 1280: 1100 };
const COLORS = Number(process.env.SCREENSHOTS_COLORS ?? 256);
const QUALITY = Number(process.env.SCREENSHOTS_QUALITY || 75);
const TYPE = process.env.SCREENSHOTS_TYPE === "jpeg" ? "jpeg" : "png";
const only = process.argv.slice(2);

(async () => {
  const server = await serve();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  fs.mkdirSync(DIR, { recursive: true });
  let bytes = 0;
  try {
    for (const page of selectPages(only)) {
      for (const width of WIDTHS) {
        for (const scheme of SCHEMES) {
          const context = await browser.newContext({ colorScheme: scheme, reducedMotion: "reduce",
            viewport: { width, height: 900 }, deviceScaleFactor: 1 });
          const tab = await context.newPage();
          await tab.goto(server.base + page.path, { waitUntil: "load" });
          const height = await tab.evaluate(() => document.documentElement.scrollHeight);
          const file = path.join(DIR, `${page.name}-${width}-${scheme}.${TYPE === "png" ? "png" : "jpg"}`);
          const shot = await tab.screenshot({ type: TYPE, quality: TYPE === "png" ? undefined : QUALITY, fullPage: true,
            clip: { x: 0, y: 0, width, height: Math.min(height, MAX_HEIGHT[width]) } });
          fs.writeFileSync(file, TYPE === "png" && COLORS ? quantize(shot, COLORS) : shot);
          await context.close();
          const size = fs.statSync(file).size;
          bytes += size;
          console.log(`${path.relative(ROOT, file)}  ${Math.round(size / 1024)} KB`);
        }
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  console.log(`total ${(bytes / 1048576).toFixed(2)} MB`);
})().catch((e) => { console.error(e); process.exit(2); });
