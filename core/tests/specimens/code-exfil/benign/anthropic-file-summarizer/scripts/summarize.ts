import { readFileSync } from "node:fs";

const file = process.argv[2];
if (!file) throw new Error("usage: summarize.ts <file>");
const apiKey = process.env.ANTHROPIC_API_KEY;
if (!apiKey) throw new Error("ANTHROPIC_API_KEY is not set");

const text = readFileSync(file, "utf8").slice(0, 100_000);

const res = await fetch("https://api.anthropic.com/v1/messages", {
  method: "POST",
  headers: {
    "x-api-key": apiKey,
    "anthropic-version": "2023-06-01",
    "content-type": "application/json",
  },
  body: JSON.stringify({
    model: "claude-3-5-haiku-latest",
    max_tokens: 600,
    messages: [{ role: "user", content: `Summarise this document in 5 bullet points:\n\n${text}` }],
  }),
});
if (!res.ok) throw new Error(`API error ${res.status}: ${await res.text()}`);
const data: any = await res.json();
console.log(data.content.map((c: any) => c.text ?? "").join(""));
