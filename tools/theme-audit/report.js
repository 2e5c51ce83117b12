// Prints, in Markdown, the tables of docs/theme-audit.md from out/lighthouse.json and out/axe.json
// (written by lighthouse.js and axe.js).
"use strict";
const fs = require("fs");
const path = require("path");
const { OUT, PAGES } = require("./common");

const read = (name) => JSON.parse(fs.readFileSync(path.join(OUT, name), "utf8"));
const lh = read("lighthouse.json");
const axe = read("axe.json");

console.log(`Lighthouse ${lh.lighthouse}, mobile (its default), ${lh.chromium}, ${lh.date}:\n`);
console.log("| page | URL | performance | accessibility | best practices | SEO |");
console.log("|---|---|---|---|---|---|");
for (const p of lh.pages) {
  const s = p.scores;
  console.log(`| ${p.label} | \`${p.path}\` | ${s.performance} | ${s.accessibility} | ${s["best-practices"]} | ${s.seo} |`);
}
console.log(`\naxe-core ${axe.axe} (WCAG 2.0–2.2 A and AA rules, and best practices), ${axe.date}:\n`);
console.log("| page | light, 375 px | light, 1280 px | dark, 375 px | dark, 1280 px |");
console.log("|---|---|---|---|---|");
const pages = [...new Set(axe.results.map((r) => r.page))];
for (const page of pages) {
  const cell = (scheme, width) => {
    const r = axe.results.find((x) => x.page === page && x.scheme === scheme && x.width === width);
    return r.violations.length ? r.violations.map((v) => v.id).join(", ") : "no violation";
  };
  const label = (PAGES.find((p) => p.name === page) || { label: page }).label;
  console.log(`| ${label} | ${cell("light", 375)} | ${cell("light", 1280)} | ${cell("dark", 375)} | ${cell("dark", 1280)} |`);
}
