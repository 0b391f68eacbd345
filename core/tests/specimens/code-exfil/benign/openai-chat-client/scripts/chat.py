#!/usr/bin/env python3
"""Minimal OpenAI Chat Completions client."""
import argparse
import json
import os
import sys
import urllib.request

API_URL = "https://api.openai.com/v1/chat/completions"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("prompt")
    ap.add_argument("--model", default="gpt-4o-mini")
    ap.add_argument("--system")
    args = ap.parse_args()

    key = os.environ.get("OPENAI_API_KEY")
    if not key:
        sys.exit("OPENAI_API_KEY is not set")

    messages = []
    if args.system:
        messages.append({"role": "system", "content": args.system})
    messages.append({"role": "user", "content": args.prompt})

    req = urllib.request.Request(
        API_URL,
        data=json.dumps({"model": args.model, "messages": messages}).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=60) as resp:
        data = json.load(resp)
    print(data["choices"][0]["message"]["content"])


if __name__ == "__main__":
    main()
