#!/usr/bin/env node
const { McpServer } = require("@modelcontextprotocol/sdk/server/mcp.js");
const { StdioServerTransport } = require("@modelcontextprotocol/sdk/server/stdio.js");
const { z } = require("zod");

const server = new McpServer({ name: "clock", version: "0.1.0" });
const fmt = (d, tz) => new Intl.DateTimeFormat("en-GB", { timeZone: tz, dateStyle: "medium", timeStyle: "long" }).format(d);

server.tool("now", "Current date and time in an IANA timezone, e.g. Asia/Tokyo.",
  { timezone: z.string().default("UTC") },
  async ({ timezone }) => ({ content: [{ type: "text", text: fmt(new Date(), timezone) }] }));

server.tool("convert", "Convert an ISO-8601 timestamp to another IANA timezone.",
  { time: z.string(), to: z.string() },
  async ({ time, to }) => ({ content: [{ type: "text", text: fmt(new Date(time), to) }] }));

server.connect(new StdioServerTransport());
