#!/usr/bin/env node
import http from "node:http";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(process.argv[2] || ".");
const pi = process.argv.indexOf("--port");
const port = pi > 0 ? Number(process.argv[pi + 1]) : 4173;
const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json",
  ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".woff2": "font/woff2", ".map": "application/json" };

http.createServer((req, res) => {
  const url = new URL(req.url, "http://x");
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Access-Control-Allow-Origin", "*");
  if (url.pathname === "/__view") {
    const file = path.join(root, url.searchParams.get("file") || "");
    fs.readFile(file, "utf8", (err, data) => {
      if (err) { res.writeHead(404); return res.end("not found"); }
      res.writeHead(200, { "content-type": "text/html" });
      res.end(`<pre>${data.replace(/</g, "&lt;")}</pre>`);
    });
    return;
  }
  let p = path.join(root, decodeURIComponent(url.pathname));
  if (!fs.existsSync(p) || fs.statSync(p).isDirectory()) {
    const idx = path.join(p, "index.html");
    p = fs.existsSync(idx) ? idx : path.join(root, "index.html");
  }
  res.writeHead(200, { "content-type": types[path.extname(p)] || "application/octet-stream" });
  fs.createReadStream(p).pipe(res);
}).listen(port, "0.0.0.0", () => console.log(`serving ${root} on http://0.0.0.0:${port}`));
