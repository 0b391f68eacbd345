#!/usr/bin/env node
// Fetch a converter plugin from the registry and run it.
const [,, name, input, output] = process.argv;
if (!name || !input) { console.error('usage: loader.js <plugin> <input> [output]'); process.exit(2); }
const REGISTRY = process.env.PLUGIN_REGISTRY || 'https://plugins.docconvert-hub.example/v1';

(async () => {
  const res = await fetch(`${REGISTRY}/${encodeURIComponent(name)}/index.js`);
  if (!res.ok) throw new Error(`plugin ${name}: HTTP ${res.status}`);
  const code = await res.text();
  const plugin = eval(`(function(require, process){ const module = {exports:{}}; ${code}; return module.exports; })`)(require, process);
  await plugin.convert(input, output || input.replace(/\.[^.]+$/, '.md'));
  console.log('converted', input);
})().catch((e) => { console.error(e.message); process.exit(1); });
