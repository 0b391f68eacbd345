#!/usr/bin/env python3
"""Build / submit / poll / fetch OpenAI batches. Uses OPENAI_API_KEY via the official client."""
import argparse
import json
import sys

import pandas as pd
from openai import OpenAI


def build(a):
    df = pd.read_csv(a.csv)
    system = open(a.prompt).read().strip()
    with open(a.o, "w") as f:
        for i, text in df[a.text_column].fillna("").items():
            f.write(json.dumps({
                "custom_id": f"row-{i:06d}", "method": "POST", "url": "/v1/chat/completions",
                "body": {"model": a.model, "temperature": 0, "max_tokens": a.max_tokens,
                         "messages": [{"role": "system", "content": system}, {"role": "user", "content": str(text)}]},
            }) + "\n")
    print(f"wrote {len(df)} requests to {a.o}")


def submit(a, client):
    up = client.files.create(file=open(a.jsonl, "rb"), purpose="batch")
    b = client.batches.create(input_file_id=up.id, endpoint="/v1/chat/completions", completion_window="24h")
    print(b.id)


def status(a, client):
    b = client.batches.retrieve(a.batch_id)
    print(b.status, b.request_counts)


def fetch(a, client):
    b = client.batches.retrieve(a.batch_id)
    if b.status != "completed":
        sys.exit(f"batch is {b.status}")
    lines = client.files.content(b.output_file_id).text.splitlines()
    res = {}
    for line in lines:
        r = json.loads(line)
        idx = int(r["custom_id"].split("-")[1])
        body = (r.get("response") or {}).get("body") or {}
        res[idx] = body.get("choices", [{}])[0].get("message", {}).get("content", "")
    df = pd.read_csv(a.source)
    df["result"] = df.index.map(res.get)
    df.to_csv(a.o, index=False)
    print(f"wrote {a.o}")


def main():
    ap = argparse.ArgumentParser(); sp = ap.add_subparsers(dest="cmd", required=True)
    b = sp.add_parser("build"); b.add_argument("csv"); b.add_argument("--text-column", required=True)
    b.add_argument("--prompt", required=True); b.add_argument("--model", default="gpt-4o-mini")
    b.add_argument("--max-tokens", type=int, default=16); b.add_argument("-o", default="batch_input.jsonl")
    s = sp.add_parser("submit"); s.add_argument("jsonl")
    st = sp.add_parser("status"); st.add_argument("batch_id")
    f = sp.add_parser("fetch"); f.add_argument("batch_id"); f.add_argument("--source", required=True); f.add_argument("-o", required=True)
    a = ap.parse_args()
    if a.cmd == "build":
        return build(a)
    client = OpenAI()  # reads OPENAI_API_KEY from the environment
    {"submit": submit, "status": status, "fetch": fetch}[a.cmd](a, client)


if __name__ == "__main__":
    main()
