// Drives `spm mcp` over stdio with the official MCP TypeScript SDK, as a host would.
// cli/tests/it/mcp.rs sets up a registry, a user and a project, then runs this with:
//   SPM_BIN      the spm binary
//   PROJECT      the project folder (spm mcp's working directory)
//   SPM_HOME     the user's spm home
//   EXPECT       JSON: {"skills": ["author/name", ...], "load": "name", "file": "path in it",
//                       "search": "query", "registry": "url"}
// Every check that fails exits 1 with what was expected and what came back.

import { createHash } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { z } from "zod";

const expect = JSON.parse(process.env.EXPECT);
const checks = [];

function check(cond, what, got) {
  if (!cond) {
    console.error(`FAILED: ${what}\n  got: ${JSON.stringify(got, null, 2)}`);
    process.exit(1);
  }
  checks.push(what);
}

const Any = z.object({}).passthrough();

const transport = new StdioClientTransport({
  command: process.env.SPM_BIN,
  args: expect.install ? ["mcp", "--allow-install"] : ["mcp"],
  cwd: process.env.PROJECT,
  env: { ...process.env, SPM_HOME: process.env.SPM_HOME, NO_COLOR: "1" },
  stderr: "inherit",
});
const client = new Client({ name: "spm-e2e", version: "1.0.0" });
await client.connect(transport);

// With {"install": {"clean": id, "flagged": id}}: only the opt-in install tool is checked.
if (expect.install) {
  const tools = (await client.listTools()).tools.map((t) => t.name);
  check(tools.includes("skill_install"), "skill_install is offered with --allow-install", tools);
  const flagged = await client.callTool({ name: "skill_install", arguments: { skill: expect.install.flagged } });
  check(flagged.isError === true && /flagged/.test(flagged.content[0].text), "skill_install refuses a flagged version", flagged);
  for (const spec of ["github:attacker/skills", "./somewhere", "/tmp/x"]) {
    const direct = await client.callTool({ name: "skill_install", arguments: { skill: spec } });
    check(direct.isError === true && /not a registry skill/.test(direct.content[0].text), `skill_install refuses ${spec}`, direct);
  }
  const clean = await client.callTool({ name: "skill_install", arguments: { skill: expect.install.clean } });
  check(!clean.isError && clean.content[0].text.includes(`installed ${expect.install.clean}@`), "skill_install installs a clean skill", clean);
  const after = await client.request({ method: "skills/list", params: {} }, Any);
  check(after.skills.some((s) => s.uri === `skill://${expect.install.clean}/SKILL.md`), "an installed skill is served at once", after.skills.map((s) => s.uri));
  await client.close();
  console.log(JSON.stringify({ ok: true, checks: checks.length }));
  process.exit(0);
}

// 1. The Skills Extension is declared, with directory reads, and the instructions index.
const caps = client.getServerCapabilities();
const ext = caps?.extensions?.["io.modelcontextprotocol/skills"];
check(ext !== undefined, "the server declares io.modelcontextprotocol/skills", caps);
check(ext.directoryRead === true, "the extension declares directoryRead", ext);
check(caps.resources !== undefined && caps.tools !== undefined, "resources and tools are declared", caps);
const instructions = client.getInstructions() ?? "";
for (const id of expect.skills) {
  check(instructions.includes(id), `the instructions index names ${id}`, instructions);
}

// 2. skills/list (following the cursor) and skills/get through the raw-request API.
const listed = [];
let cursor;
do {
  const page = await client.request(
    { method: "skills/list", params: cursor ? { cursor } : {} },
    Any,
  );
  listed.push(...page.skills);
  cursor = page.nextCursor;
} while (cursor);
const names = listed.map((s) => s.uri).sort();
check(
  listed.length === expect.skills.length,
  `skills/list lists ${expect.skills.length} skills`,
  names,
);
for (const id of expect.skills) {
  const uri = `skill://${id}/SKILL.md`;
  const entry = listed.find((s) => s.uri === uri);
  check(entry !== undefined, `skills/list has ${uri}`, names);
  check(entry.frontmatter.name === id.split("/")[1], `${id}: frontmatter.name`, entry.frontmatter);
  check(typeof entry.frontmatter.description === "string", `${id}: frontmatter.description`, entry.frontmatter);
  const got = await client.request({ method: "skills/get", params: { uri } }, Any);
  check(JSON.stringify(got.skill) === JSON.stringify(entry), `skills/get ${uri} matches the listing`, got);
  check(
    entry.resources.some((r) => r.uri === uri),
    `${id}: the manifest lists its SKILL.md`,
    entry.resources,
  );
  // 3. Every listed file, read back, matches its digest and size.
  for (const r of entry.resources) {
    const read = await client.readResource({ uri: r.uri });
    const c = read.contents[0];
    const bytes = c.blob !== undefined ? Buffer.from(c.blob, "base64") : Buffer.from(c.text, "utf8");
    const digest = "sha256:" + createHash("sha256").update(bytes).digest("hex");
    check(digest === r.digest, `${r.uri} matches its digest`, { digest, listed: r.digest });
    check(bytes.length === r.size, `${r.uri} has its listed size`, { size: bytes.length, listed: r.size });
    if (r.uri.endsWith("/SKILL.md")) {
      check(c.mimeType === "text/markdown", `${r.uri} is text/markdown`, c);
    }
  }
}
let unknownRefused = false;
try {
  await client.request({ method: "skills/get", params: { uri: "skill://nobody/nothing/SKILL.md" } }, Any);
} catch (e) {
  unknownRefused = true;
}
check(unknownRefused, "skills/get of an unknown skill is an error", null);

// 4. resources/list has SKILL.md with name and description; directory reads list children.
const resources = await client.listResources();
const loadId = expect.skills.find((s) => s.endsWith("/" + expect.load));
const skillMd = resources.resources.find((r) => r.uri === `skill://${loadId}/SKILL.md`);
check(skillMd?.mimeType === "text/markdown" && skillMd.name === expect.load && skillMd.description, "resources/list describes SKILL.md", skillMd);
const dir = await client.request(
  { method: "resources/directory/read", params: { uri: `skill://${loadId}` } },
  Any,
);
const children = dir.resources.map((r) => [r.uri, r.mimeType]);
check(dir.resources.some((r) => r.uri === `skill://${loadId}/SKILL.md`), "the skill folder lists SKILL.md", children);
const folder = expect.file.split("/")[0];
check(
  dir.resources.some((r) => r.uri === `skill://${loadId}/${folder}` && r.mimeType === "inode/directory"),
  `the skill folder lists ${folder}/ as a directory`,
  children,
);

// 5. Paths outside a skill are refused, never read.
for (const uri of [
  `skill://${loadId}/../hello/SKILL.md`,
  `skill://${loadId}/%2e%2e/%2e%2e/spm.json`,
  "file:///etc/passwd",
]) {
  let refused = false;
  try {
    await client.readResource({ uri });
  } catch (e) {
    refused = true;
  }
  check(refused, `resources/read ${uri} is refused`, null);
}

// 6. Tools: listed, skill_load Spotlighted (fresh delimiters each load), files readable.
const tools = (await client.listTools()).tools.map((t) => t.name).sort();
for (const t of ["skill_feedback", "skill_list", "skill_load", "skill_read_file", "skill_search"]) {
  check(tools.includes(t), `tool ${t} is listed`, tools);
}
check(!tools.includes("skill_install"), "skill_install is not offered unless turned on", tools);
const load1 = await client.callTool({ name: "skill_load", arguments: { name: expect.load } });
const load2 = await client.callTool({ name: "skill_load", arguments: { name: expect.load } });
const t1 = load1.content[0].text;
const t2 = load2.content[0].text;
const tag1 = t1.match(/<<(SKILL-DATA-[0-9a-f]{16})>>/);
const tag2 = t2.match(/<<(SKILL-DATA-[0-9a-f]{16})>>/);
check(!load1.isError && tag1 && t1.includes(`<</${tag1[1]}>>`), "skill_load wraps the content in delimiters", t1);
check(tag2 && tag1[1] !== tag2[1], "each load draws new delimiters", [tag1?.[1], tag2?.[1]]);
check(/[\uE000-\uF8FF]/u.test(t1), "skill_load datamarks the content", t1);
check(t1.includes(expect.file), "skill_load lists the skill's files", t1);
const read = await client.callTool({
  name: "skill_read_file",
  arguments: { name: loadId, path: expect.file },
});
check(!read.isError && /<<SKILL-DATA-[0-9a-f]{16}>>/.test(read.content[0].text), "skill_read_file returns the file, marked", read);
for (const path of ["../hello/SKILL.md", "/etc/passwd", "scripts/../../../spm.json"]) {
  const bad = await client.callTool({ name: "skill_read_file", arguments: { name: loadId, path } });
  check(bad.isError === true && /refused|no file|empty/.test(bad.content[0].text), `skill_read_file refuses ${path}`, bad);
}

// 7. Proxy tools: each call judged by the skill it names, never a union of what is loaded.
check(t1.includes("skill_exec_read") && t1.includes("read files: yes"), "skill_load ends with the policy block", t1);
const own = await client.callTool({ name: "skill_exec_read", arguments: { skill: loadId, path: "notes/todo.md" } });
check(!own.isError && own.content[0].text.includes("write the report"), `${loadId} reads notes/ as it declares`, own);
const other = expect.skills.find((s) => s !== loadId);
const borrowed = await client.callTool({ name: "skill_exec_read", arguments: { skill: other, path: "notes/todo.md" } });
check(borrowed.isError === true && borrowed.content[0].text.includes("Add `file:read`"), `${other} cannot borrow ${loadId}'s file:read`, borrowed);
const outOfScope = await client.callTool({ name: "skill_exec_read", arguments: { skill: loadId, path: "spm.json" } });
check(outOfScope.isError === true && /file_scope/.test(outOfScope.content[0].text), `${loadId} cannot read outside its file_scope`, outOfScope);
const call = (name, args) => client.callTool({ name, arguments: args });
const write = await call("skill_exec_write", { skill: loadId, path: "out/report.md", content: "# Report\n" });
check(!write.isError, `${loadId} writes out/ as it declares`, write);
const writeOther = await call("skill_exec_write", { skill: other, path: "out/hello.md", content: "x" });
check(writeOther.isError === true && writeOther.content[0].text.includes("Add `file:write`"), `${other} cannot borrow ${loadId}'s file:write`, writeOther);
const loadOther = await call("skill_load", { name: other });
const tOther = loadOther.content[0].text;
check(!loadOther.isError && tOther.includes("read files: no") && tOther.includes("run bash: no"), `${other} is loaded too, and its policy block says it may do nothing`, tOther);
check(t1.includes("run bash: yes") && t1.includes("write files: yes"), `${loadId}'s policy block says what it may do`, t1);
const writeOut = await call("skill_exec_write", { skill: loadId, path: "spm.json", content: "{}" });
check(writeOut.isError === true && /file_scope/.test(writeOut.content[0].text), `${loadId} cannot write outside its file_scope`, writeOut);
const sh = await call("skill_exec_bash", { skill: loadId, command: "cat out/report.md && echo ran > out/shell.txt && cat out/shell.txt", timeout_ms: 20000 });
check(!sh.isError && sh.content[0].text.includes("# Report") && sh.content[0].text.includes("ran"), `${loadId} runs a command in its sandbox`, sh);
const shOther = await call("skill_exec_bash", { skill: other, command: "echo ran" });
check(shOther.isError === true && shOther.content[0].text.includes("Add `bash:execute`"), `${other} cannot borrow ${loadId}'s bash:execute`, shOther);
const shNet = await call("skill_exec_bash", { skill: loadId, command: `curl -sS --max-time 3 ${expect.registry}/healthz && echo reached`, timeout_ms: 20000 });
check(!shNet.isError && !shNet.content[0].text.includes("reached"), `${loadId}'s commands have no network (it declares none)`, shNet);
const fetch = await call("skill_exec_fetch", { skill: loadId, url: `${expect.registry}/healthz` });
check(fetch.isError === true && fetch.content[0].text.includes("network"), `${loadId} cannot fetch (it declares no network)`, fetch);
const fetchOther = await call("skill_exec_fetch", { skill: other, url: `${expect.registry}/healthz` });
check(!fetchOther.isError && fetchOther.content[0].text.startsWith("HTTP 200"), `${other} fetches the registry it declares`, fetchOther);
const del = await call("skill_exec_delete", { skill: loadId, path: "out/shell.txt" });
check(del.isError === true && del.content[0].text.includes("Add `file:delete`"), `${loadId} cannot delete (it declares no file:delete)`, del);
const delOther = await call("skill_exec_delete", { skill: other, path: "out/shell.txt" });
check(!delOther.isError, `${other} deletes as it declares`, delOther);

// 8. The registry: search, the installed skills' status, and feedback.
const search = await client.callTool({ name: "skill_search", arguments: { query: expect.search } });
const found = JSON.parse(search.content[0].text);
check(!search.isError && found.registry === expect.registry, "skill_search asks the configured registry", found);
check(found.skills.some((s) => s.name === loadId), `skill_search "${expect.search}" finds ${loadId}`, found);
const list = JSON.parse((await client.callTool({ name: "skill_list", arguments: {} })).content[0].text);
const mine = list.skills.find((s) => s.name === loadId);
check(mine?.safety_status === "clean" && mine.trust && mine.version, "skill_list shows version, trust and safety status", mine);
const fb = await client.callTool({ name: "skill_feedback", arguments: { name: loadId, result: "success" } });
check(!fb.isError, "skill_feedback is recorded", fb);
const badFb = await client.callTool({ name: "skill_feedback", arguments: { name: loadId, result: "great" } });
check(badFb.isError === true, "skill_feedback refuses an unknown result", badFb);

await client.close();
console.log(JSON.stringify({ ok: true, checks: checks.length }));
