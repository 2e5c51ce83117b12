// Which rules of each stylesheet the pages of the built site use: for every page of public/,
// every rule whose selector matches an element of the page (pseudo-classes and pseudo-elements
// stripped), with the rule's size. Prints, per stylesheet, the bytes used by page kinds, to decide
// how to split the theme's CSS (`node css-usage.js [paths…]`; every HTML page without one).
"use strict";
const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");
const { PUBLIC, CHROMIUM, CHROMIUM_FLAGS, serve } = require("./common");

function pages() {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === "index.html") out.push("/" + path.relative(PUBLIC, dir).split(path.sep).join("/") + (dir === PUBLIC ? "" : "/"));
    }
  };
  walk(PUBLIC);
  return out.map((p) => p.replace("//", "/"));
}

(async () => {
  const only = process.argv.slice(2);
  const server = await serve();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  const usage = {};
  try {
    const tab = await browser.newPage({ viewport: { width: 375, height: 800 } });
    for (const p of only.length ? only : pages()) {
      await tab.goto(server.base + p, { waitUntil: "load" });
      const used = await tab.evaluate(() => {
        const strip = (sel) => sel.replace(/::?[a-z-]+(\([^)]*\))?/g, (m) => (m.startsWith(":is(") || m.startsWith(":not(") || m.startsWith(":has(") || m.startsWith(":where(") ? m : "")).trim() || "*";
        const res = [];
        const walk = (rules, sheet) => {
          for (const r of rules) {
            if (r.selectorText !== undefined) {
              let hit = false;
              for (const s of r.selectorText.split(/,(?![^(]*\))/)) {
                try { if (document.querySelector(strip(s))) { hit = true; break; } } catch { hit = true; break; }
              }
              res.push([sheet, r.selectorText, r.cssText.length, hit]);
            } else if (r.cssRules) walk(r.cssRules, sheet);
          }
        };
        for (const sh of document.styleSheets) walk(sh.cssRules, (sh.href || "inline").split("/").pop());
        return res;
      });
      for (const [sheet, sel, size, hit] of used) {
        const key = sheet + "\t" + sel;
        usage[key] = usage[key] || { size, pages: [] };
        if (hit) usage[key].pages.push(p);
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  fs.writeFileSync(process.env.CSS_USAGE_OUT || "/tmp/css-usage.json", JSON.stringify(usage, null, 1));
  console.log("wrote", process.env.CSS_USAGE_OUT || "/tmp/css-usage.json");
})().catch((e) => { console.error(e); process.exit(2); });
