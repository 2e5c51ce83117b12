// axe-core on each audited page, in the light and the dark colour scheme, at a phone's width and a
// desktop's. Prints every violation with its nodes; writes out/axe.json. Exit code 1 on any.
"use strict";
const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");
const { OUT, CHROMIUM, CHROMIUM_FLAGS, selectPages, serve, chromiumVersion } = require("./common");

const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const SCHEMES = ["light", "dark"];
const WIDTHS = [375, 1280];
const only = process.argv.slice(2);

(async () => {
  const server = await serve();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  const results = [];
  let total = 0;
  try {
    for (const page of selectPages(only)) {
      for (const scheme of SCHEMES) {
        for (const width of WIDTHS) {
          const context = await browser.newContext({ colorScheme: scheme, viewport: { width, height: 900 } });
          const tab = await context.newPage();
          await tab.goto(server.base + page.path, { waitUntil: "load" });
          await tab.addScriptTag({ content: AXE });
          const r = await tab.evaluate(() => window.axe.run(document, {
            resultTypes: ["violations"],
            runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
          }));
          await context.close();
          const violations = r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })) }));
          total += violations.length;
          results.push({ page: page.name, path: page.path, scheme, width, violations });
          console.log(`${page.name.padEnd(11)} ${scheme.padEnd(5)} ${String(width).padStart(4)} px: `
            + `${violations.length ? `${violations.length} violation(s)` : "no violation"}`);
          for (const v of violations) {
            console.log(`    ${v.id} [${v.impact}] ${v.help}`);
            for (const n of v.nodes) console.log(`      ${n.target}\n        ${n.summary.replace(/\n/g, "\n        ")}`);
          }
        }
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, "axe.json"), JSON.stringify({ date: new Date().toISOString(),
    chromium: chromiumVersion(), axe: require("axe-core/package.json").version, results }, null, 2) + "\n");
  process.exitCode = total ? 1 : 0;
})().catch((e) => { console.error(e); process.exit(2); });
