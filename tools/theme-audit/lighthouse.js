// Lighthouse (mobile, its default) on each audited page, one page at a time.
// Writes out/lighthouse/<page>.json (the full reports) and out/lighthouse.json (the scores), prints
// the scores and every audit that is not passed. AUDIT_RUNS=3 runs each page three times and keeps
// the run with the median performance score (the machine's load makes it vary).
"use strict";
const { spawn } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { OUT, CHROMIUM, CHROMIUM_FLAGS, selectPages, serve, chromiumVersion } = require("./common");

const CLI = require.resolve("lighthouse/cli/index.js");
const RUNS = Math.max(1, Number(process.env.AUDIT_RUNS || 1));
const only = process.argv.slice(2);
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];

// Asynchronous: the site is served from this process, which must stay free to answer.
function lighthouse(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args],
      { stdio: "inherit", env: { ...process.env, CHROME_PATH: CHROMIUM } });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`lighthouse exited with ${code}`))));
  });
}

async function runOnce(url, file) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "chronique-lh-"));
  try {
    const flags = ["--headless=new", ...CHROMIUM_FLAGS, `--user-data-dir=${profile}`].join(" ");
    await lighthouse([url, "--quiet", "--output=json", `--output-path=${file}`,
      `--chrome-flags=${flags}`, `--only-categories=${CATEGORIES.join(",")}`]);
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

function scores(report) {
  return Object.fromEntries(CATEGORIES.map((c) => [c, Math.round(report.categories[c].score * 100)]));
}

function failures(report) {
  const ids = new Set(CATEGORIES.flatMap((c) => report.categories[c].auditRefs
    .filter((r) => c !== "performance" || r.weight > 0).map((r) => r.id)));
  return Object.values(report.audits)
    .filter((a) => ids.has(a.id) && a.score !== null && a.score < 1
      && !["informative", "manual", "notApplicable"].includes(a.scoreDisplayMode))
    .map((a) => `${a.id} (${a.score}${a.displayValue ? `, ${a.displayValue}` : ""})`);
}

(async () => {
  const server = await serve();
  const dir = path.join(OUT, "lighthouse");
  fs.mkdirSync(dir, { recursive: true });
  const results = [];
  try {
    for (const page of selectPages(only)) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) {
        const file = path.join(dir, `${page.name}${RUNS > 1 ? `.${i}` : ""}.json`);
        runs.push(await runOnce(server.base + page.path, file));
      }
      runs.sort((a, b) => a.categories.performance.score - b.categories.performance.score);
      const report = runs[Math.floor((runs.length - 1) / 2)];
      if (RUNS > 1) fs.writeFileSync(path.join(dir, `${page.name}.json`), JSON.stringify(report));
      const s = scores(report);
      const fails = failures(report);
      results.push({ ...page, scores: s, failing: fails,
        performanceRuns: runs.map((r) => Math.round(r.categories.performance.score * 100)) });
      console.log(`${page.name.padEnd(11)} perf ${s.performance}  a11y ${s.accessibility}  `
        + `bp ${s["best-practices"]}  seo ${s.seo}`);
      for (const f of fails) console.log(`    ${f}`);
    }
  } finally {
    server.close();
  }
  const summary = { date: new Date().toISOString(), chromium: chromiumVersion(),
    lighthouse: require("lighthouse/package.json").version, runs: RUNS, pages: results };
  fs.writeFileSync(path.join(OUT, "lighthouse.json"), JSON.stringify(summary, null, 2) + "\n");
  const bad = results.filter((r) => r.scores.accessibility < 100 || r.scores["best-practices"] < 100
    || r.scores.seo < 100 || r.scores.performance < 95);
  process.exitCode = bad.length ? 1 : 0;
})().catch((e) => { console.error(e); process.exit(2); });
