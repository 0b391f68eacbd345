#!/usr/bin/env node
const fs = require("fs");

const args = process.argv.slice(2);
const schemaIdx = args.indexOf("--schema");
let validate = null;
if (schemaIdx !== -1) {
  const Ajv = require("ajv");
  validate = new Ajv({ allErrors: true }).compile(JSON.parse(fs.readFileSync(args[schemaIdx + 1], "utf8")));
  args.splice(schemaIdx, 2);
}

const sortKeys = (v) =>
  Array.isArray(v) ? v.map(sortKeys)
  : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]))
  : v;

for (const file of args) {
  const data = JSON.parse(fs.readFileSync(file, "utf8"));
  if (validate && !validate(data)) {
    console.error(`${file}: invalid`, validate.errors);
    continue;
  }
  fs.writeFileSync(file, JSON.stringify(sortKeys(data), null, 2) + "\n");
  console.log(`${file}: ok`);
}
