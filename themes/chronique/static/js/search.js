/* chronique: search in the browser, over search-index.json. No dependency; the rest of the site
   needs no JavaScript. Entries: {t: title, u: url, d: date, k: kind, s: summary, i: themes,
   w: distinct words, folded to lowercase ASCII}. */
(function () {
  "use strict";
  var box = document.getElementById("search-results"),
    form = document.querySelector(".search-form"),
    input = form && form.elements.q;
  if (!box || !input || !window.fetch) return;
  var data = box.dataset, status = box.querySelector(".search-status"),
    list = box.querySelector(".search-list"), index = null, timer = 0;

  // Like the engine's fold (deunicode, then lowercase): "Réclamations" -> "reclamations".
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/œ/g, "oe").replace(/æ/g, "ae").replace(/ß/g, "ss")
      .replace(/ø/g, "o").replace(/ł/g, "l");
  }
  function words(s) { return fold(s).split(/[^a-z0-9]+/).filter(function (w) { return w.length > 1; }); }
  // "reclamations" and "reclamation", "bureaux" and "bureau" are the same word.
  function stem(w) { return w.length > 3 ? w.replace(/[sx]$/, "") : w; }
  function hits(q, ws) {
    var n = 0;
    for (var j = 0; j < ws.length; j++) {
      if (ws[j] === q || (q.length > 3 && ws[j].lastIndexOf(q, 0) === 0)) n++;
    }
    return n;
  }

  function prepare(entries) {
    return entries.map(function (e, n) {
      return { e: e, n: n, t: words(e.t).map(stem), w: e.w.split(" ").map(stem) };
    });
  }

  function search(query) {
    var qs = words(query).map(stem), found = [];
    if (!qs.length) return null;
    index.forEach(function (p) {
      var title = 0, all = 0;
      for (var i = 0; i < qs.length; i++) {
        var t = hits(qs[i], p.t), w = hits(qs[i], p.w);
        if (!t && !w) return;
        if (t) title++;
        all += t + w;
      }
      found.push({ p: p, title: title, all: all });
    });
    found.sort(function (a, b) { return b.title - a.title || b.all - a.all || a.p.n - b.p.n; });
    return found.slice(0, 50);
  }

  function el(tag, cls, text) {
    var x = document.createElement(tag);
    if (cls) x.className = cls;
    if (text) x.textContent = text;
    return x;
  }

  function show(query) {
    var found = search(query);
    list.textContent = "";
    if (!found) { status.textContent = ""; return; }
    status.textContent = found.length ? found.length + "\u00a0" + (found.length > 1 ? data.many : data.one) : data.none;
    found.forEach(function (f) {
      var e = f.p.e, li = el("li", "search-result"), h = el("h2", "search-result-title"), a = el("a", "", e.t);
      a.href = e.u;
      h.appendChild(a);
      li.appendChild(h);
      // A page has no date: its kind alone.
      var meta = [e.k, e.d].filter(function (x) { return x; });
      if (e.i && e.i.length) meta.push(e.i.join(", "));
      li.appendChild(el("p", "post-meta", meta.join(" · ")));
      if (e.s) li.appendChild(el("p", "search-result-text", e.s));
      list.appendChild(li);
    });
  }

  function run() {
    var q = input.value.trim(), url = new URL(location.href);
    if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
    history.replaceState(null, "", url);
    if (index) show(q);
  }

  form.addEventListener("submit", function (ev) { ev.preventDefault(); clearTimeout(timer); run(); });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 200); });

  input.value = new URLSearchParams(location.search).get("q") || input.value;
  fetch(data.index).then(function (r) {
    if (!r.ok) throw new Error(r.status);
    return r.json();
  }).then(function (entries) {
    index = prepare(entries);
    if (input.value.trim()) show(input.value.trim());
  }).catch(function () { status.textContent = data.none; });
})();
