// Helpers for spm plugins written in JavaScript, mirroring the Rust SDK's (spm-plugin-sdk).
// The host interfaces are imported from `spm:plugin/host@0.2.0` and `spm:plugin/http@0.2.0`;
// componentize-js links them when the plugin is built against `wit/`. Types: spm-plugin.d.ts.

import { log, getConfig, configEntries, now as hostNow } from "spm:plugin/host@0.2.0";
import { fetch as hostFetch } from "spm:plugin/http@0.2.0";

export const API_VERSION = "0.2.0";

/** This plugin's setting `key` from the server's configuration. */
export function config(key, fallback = undefined) {
  const value = getConfig(key);
  return value === undefined || value === null ? fallback : value;
}

/** A comma-separated setting as a list, blanks dropped. */
export function configList(key) {
  return (config(key) ?? "").split(",").map((v) => v.trim()).filter((v) => v);
}

/** A setting converted with `parse` (Number, JSON.parse, ...); `fallback` when absent or NaN. */
export function configParse(key, parse = Number, fallback = undefined) {
  const value = config(key);
  if (value === undefined) return fallback;
  try {
    const parsed = parse(value.trim());
    return Number.isNaN(parsed) ? fallback : parsed;
  } catch {
    return fallback;
  }
}

export { configEntries };

/** Seconds since the Unix epoch. */
export function now() {
  return Number(hostNow());
}

export const debug = (message) => log("debug", message);
export const info = (message) => log("info", message);
export const warn = (message) => log("warn", message);
export const error = (message) => log("error", message);

/** [path, text] of every UTF-8 file of the package. */
export function* textFiles(pkg) {
  for (const f of pkg.files) {
    if (f.text !== undefined && f.text !== null) yield [f.path, f.text];
  }
}

/** [path, text] of the UTF-8 files new or changed since `previous` (all without one). */
export function* changedTextFiles(pkg, previous) {
  const before = new Map((previous?.files ?? []).map((f) => [f.path, f.text]));
  for (const [path, text] of textFiles(pkg)) {
    if (!previous || before.get(path) !== text) yield [path, text];
  }
}

/**
 * Outbound HTTP, only to the hosts in this plugin's `allowed_hosts` setting and within the
 * call's deadline; throws with the reason when refused or failed.
 * `body` is a string or a Uint8Array; returns {status, headers, body: Uint8Array}.
 */
export function fetch(method, url, headers = [], body = new Uint8Array()) {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  return hostFetch(method, url, headers, bytes);
}

/** The 1-based line of a character offset. */
export function lineOf(text, offset) {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === "\n") line++;
  return line;
}

const SEVERITIES = ["info", "low", "medium", "high", "critical"];

/** A finding; severity is one of info, low, medium, high (the fallback), critical. */
export function finding(ruleId, message, file = undefined, line = undefined, severity = "high", category = "custom") {
  const level = String(severity).trim().toLowerCase();
  return { ruleId, category, severity: SEVERITIES.includes(level) ? level : "high", message, file, line };
}

export const pluginInfo = (name, version, description) => ({ name, version, description });

/** A publish hook's event as JSON (what a webhook receives). */
export function eventJson(event) {
  const { kind, author, name, version, actor, safetyStatus, reason, at } = event;
  return JSON.stringify({ kind, author, name, version, actor, safety_status: safetyStatus, reason: reason ?? null, at: Number(at) });
}
export const allow = () => ({ tag: "allow" });
export const deny = (reason) => ({ tag: "deny", val: reason });
export const notMine = () => ({ tag: "not-mine" });
export const authenticated = (name, scopes) => ({ tag: "authenticated", val: { name, scopes } });
export const denied = (reason) => ({ tag: "denied", val: reason });

/** Whether `name` matches `pattern`, where `*` stands for any run of characters. */
export function globMatch(pattern, name) {
  const escaped = pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${escaped.join(".*")}$`).test(name);
}
