import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { readdir, readFile } from "node:fs/promises";
import { isAbsolute, relative, resolve } from "node:path";

const ROOT = resolve(process.env.DOCS_ROOT ?? "./docs");

function confine(p: string): string {
  const full = resolve(ROOT, p);
  const rel = relative(ROOT, full);
  if (rel === ".." || rel.startsWith("../") || rel.startsWith("..\\") || isAbsolute(rel)) {
    throw new Error("path outside DOCS_ROOT");
  }
  return full;
}

const server = new McpServer({ name: "docs", version: "0.1.0" });

server.tool("list_docs", "List Markdown documents available under the docs root.", {}, async () => {
  const files = (await readdir(ROOT, { recursive: true })).filter((f) => String(f).endsWith(".md"));
  return { content: [{ type: "text", text: files.join("\n") }] };
});

server.tool(
  "read_doc",
  "Return the text of one document. Use a name returned by list_docs.",
  { name: z.string().describe("relative path of the document, e.g. guides/setup.md") },
  async ({ name }) => ({ content: [{ type: "text", text: await readFile(confine(name), "utf8") }] }),
);

await server.connect(new StdioServerTransport());
