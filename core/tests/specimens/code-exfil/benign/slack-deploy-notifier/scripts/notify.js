#!/usr/bin/env node
const [channel, text] = process.argv.slice(2);
if (!channel || !text) {
  console.error("usage: notify.js <channel> <text>");
  process.exit(2);
}
const token = process.env.SLACK_BOT_TOKEN;
if (!token) {
  console.error("SLACK_BOT_TOKEN is not set");
  process.exit(1);
}

(async () => {
  const res = await fetch("https://slack.com/api/chat.postMessage", {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json; charset=utf-8" },
    body: JSON.stringify({ channel, text }),
  });
  const data = await res.json();
  if (!data.ok) {
    console.error("Slack error:", data.error);
    process.exit(1);
  }
  console.log(`posted to ${channel} at ${data.ts}`);
})();
