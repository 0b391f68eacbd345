// Types for spm-plugin.js (spm:plugin@0.2.0), for editors and `tsc --checkJs`.

export const API_VERSION: "0.2.0";

export type Severity = "info" | "low" | "medium" | "high" | "critical";

export interface SkillFile { path: string; size: bigint; text?: string }
export interface SkillPackage {
  author: string; name: string; version: string; description: string; license?: string;
  tags: string[]; permissions: string[]; manifestJson: string; publisher: string;
  packedSize: bigint; files: SkillFile[];
}
export interface PreviousVersion { version: string; files: SkillFile[] }
export interface Finding {
  ruleId: string; category: string; severity: Severity; message: string; file?: string; line?: number;
}
export interface PluginInfo { name: string; version: string; description: string }
export type Decision = { tag: "allow" } | { tag: "deny"; val: string };
export type AuthResult =
  | { tag: "not-mine" }
  | { tag: "authenticated"; val: { name: string; scopes: string[] } }
  | { tag: "denied"; val: string };
export type EventKind = "published" | "yanked" | "unyanked" | "blocked" | "approved" | "removed";
export interface RegistryEvent {
  kind: EventKind; author: string; name: string; version: string; actor: string;
  safetyStatus: string; reason?: string; at: bigint;
}
export interface HttpResponse { status: number; headers: [string, string][]; body: Uint8Array }

export function config(key: string, fallback?: string): string | undefined;
export function configList(key: string): string[];
export function configParse<T = number>(key: string, parse?: (text: string) => T, fallback?: T): T | undefined;
export function configEntries(): [string, string][];
export function now(): number;
export function debug(message: string): void;
export function info(message: string): void;
export function warn(message: string): void;
export function error(message: string): void;
export function textFiles(pkg: SkillPackage): Generator<[string, string]>;
export function changedTextFiles(pkg: SkillPackage, previous?: PreviousVersion): Generator<[string, string]>;
export function fetch(method: string, url: string, headers?: [string, string][], body?: string | Uint8Array): HttpResponse;
export function lineOf(text: string, offset: number): number;
export function finding(ruleId: string, message: string, file?: string, line?: number, severity?: Severity | string, category?: string): Finding;
export function pluginInfo(name: string, version: string, description: string): PluginInfo;
export function eventJson(event: RegistryEvent): string;
export function allow(): Decision;
export function deny(reason: string): Decision;
export function notMine(): AuthResult;
export function authenticated(name: string, scopes: string[]): AuthResult;
export function denied(reason: string): AuthResult;
export function globMatch(pattern: string, name: string): boolean;
