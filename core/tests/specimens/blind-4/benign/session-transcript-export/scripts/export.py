#!/usr/bin/env python3
"""Export a JSONL session log to Markdown/HTML on local disk, optionally redacted."""
import argparse, html, json, pathlib, re

PATTERNS = [
    (re.compile(r"sk-[A-Za-z0-9_-]{20,}"), "[REDACTED_KEY]"),
    (re.compile(r"gh[pousr]_[A-Za-z0-9]{20,}"), "[REDACTED_KEY]"),
    (re.compile(r"AKIA[0-9A-Z]{16}"), "[REDACTED_KEY]"),
    (re.compile(r"Bearer\s+[A-Za-z0-9._-]+"), "Bearer [REDACTED]"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"), "[email]"),
    (re.compile(r"/(Users|home)/[^/\s]+/"), "~/"),
]


def redact(s):
    for p, r in PATTERNS:
        s = p.sub(r, s)
    return s


def text_of(content):
    if isinstance(content, str):
        return content
    return "\n".join(c.get("text", "") for c in content if isinstance(c, dict) and c.get("type") == "text")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("log"); ap.add_argument("-o", required=True)
    ap.add_argument("--redact", action="store_true"); ap.add_argument("--no-tools", action="store_true"); ap.add_argument("--html", action="store_true")
    a = ap.parse_args()
    out = [f"# Session export: {pathlib.Path(a.log).stem}", ""]
    for line in open(a.log, encoding="utf-8"):
        try:
            ev = json.loads(line)
        except json.JSONDecodeError:
            continue
        msg = ev.get("message") or {}
        role = msg.get("role")
        if role not in ("user", "assistant"):
            continue
        body = text_of(msg.get("content", ""))
        if not body and a.no_tools:
            continue
        if a.redact:
            body = redact(body)
        out.append(f"**{role.title()}:** {body}\n")
    text = "\n".join(out)
    if a.html:
        text = "<!doctype html><meta charset=utf-8><pre style='white-space:pre-wrap'>" + html.escape(text) + "</pre>"
    pathlib.Path(a.o).expanduser().write_text(text, encoding="utf-8")
    print("written", a.o)


if __name__ == "__main__":
    main()
