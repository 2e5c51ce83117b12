// Shared by the audit scripts: the pages audited, Chromium's flags, and a tiny static server for
// the built site (public/), so that the scripts need nothing but `chronique build` before them.
"use strict";
const fs = require("fs");
const http = require("http");
const path = require("path");

const ROOT = path.resolve(__dirname, "..", "..");
const PUBLIC = path.resolve(process.env.AUDIT_PUBLIC || path.join(ROOT, "public"));
const OUT = path.resolve(process.env.AUDIT_OUT || path.join(__dirname, "out"));
const CHROMIUM = process.env.CHROME_PATH || "/usr/bin/chromium";

// One page of each kind the theme must design (issue 10's "Done when").
const PAGES = [
  { name: "home", label: "Accueil", path: "/" },
  { name: "breve", label: "Brève", path: "/breves/musique-attente/" },
  { name: "conte", label: "Conte (partie 2/3)", path: "/contes/conte-de-noel-2/" },
  { name: "decryptage", label: "Décryptage", path: "/decryptages/ca-m-agace-quand-on-promet-de-me-rappeler/" },
  { name: "auteur", label: "Autrice", path: "/auteurs/claire-morel/" },
  { name: "irritant", label: "Thème d'irritant", path: "/irritants/service-client/" },
];

// The pages named on the command line (`breve conte`), plus any path given (`/recherche/`);
// every page of PAGES when there is no argument.
function selectPages(args) {
  if (!args.length) return PAGES;
  return args.map((a) => PAGES.find((p) => p.name === a)
    || (a.startsWith("/") ? { name: a.replace(/\W+/g, "-").replace(/^-|-$/g, "") || "root", label: a, path: a } : null))
    .map((p, i) => {
      if (!p) throw new Error(`unknown page ${args[i]}: one of ${PAGES.map((x) => x.name).join(", ")}, or a path`);
      return p;
    });
}

// Without these, Chromium waits on the network for component updates, sync and the like.
const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
};

// Serves public/ like a plain static host: `dir/` is `dir/index.html`, `/404.html` otherwise.
// Set AUDIT_BASE_URL to audit a site served elsewhere instead.
function serve() {
  if (process.env.AUDIT_BASE_URL) {
    return Promise.resolve({ base: process.env.AUDIT_BASE_URL.replace(/\/$/, ""), close() {} });
  }
  if (!fs.existsSync(path.join(PUBLIC, "index.html"))) {
    throw new Error(`${PUBLIC}/index.html is missing: run \`cargo run --release -- build\` first`);
  }
  const server = http.createServer((req, res) => {
    let rel = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (rel.endsWith("/")) rel += "index.html";
    let file = path.join(PUBLIC, path.normalize(rel));
    let status = 200;
    if (!file.startsWith(PUBLIC) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      file = path.join(PUBLIC, "404.html");
      status = 404;
    }
    res.writeHead(status, {
      "Content-Type": TYPES[path.extname(file)] || "application/octet-stream",
    });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve({ base: `http://127.0.0.1:${server.address().port}`, close: () => server.close() });
    });
  });
}

function chromiumVersion() {
  try {
    return require("child_process")
      .execFileSync(CHROMIUM, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })
      .trim();
  } catch {
    return "unknown";
  }
}

// A PNG in at most `colors` colours (upng-js's quantizer): a third of the size for text on flat
// colours, and the same to the eye.
function quantize(png, colors = 256) {
  const UPNG = require("upng-js");
  const image = UPNG.decode(png);
  return Buffer.from(UPNG.encode(UPNG.toRGBA8(image), image.width, image.height, colors));
}

module.exports = { quantize, ROOT, PUBLIC, OUT, CHROMIUM, PAGES, CHROMIUM_FLAGS, selectPages, serve, chromiumVersion };
