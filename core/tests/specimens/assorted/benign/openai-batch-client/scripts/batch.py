#!/usr/bin/env python3
"""Submit, poll and fetch OpenAI Batch API jobs."""
import argparse
import json
import os
import sys
import tempfile

from openai import OpenAI


def client():
    if not os.environ.get("OPENAI_API_KEY"):
        sys.exit("OPENAI_API_KEY is not set")
    return OpenAI()  # reads the key from the environment; talks to api.openai.com


def submit(path, model):
    c = client()
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as tmp:
        for line in open(path):
            row = json.loads(line)
            tmp.write(json.dumps({
                "custom_id": row["id"],
                "method": "POST",
                "url": "/v1/chat/completions",
                "body": {"model": model, "messages": [{"role": "user", "content": row["prompt"]}]},
            }) + "\n")
    f = c.files.create(file=open(tmp.name, "rb"), purpose="batch")
    b = c.batches.create(input_file_id=f.id, endpoint="/v1/chat/completions", completion_window="24h")
    print(b.id)


def status(batch_id):
    b = client().batches.retrieve(batch_id)
    print(b.status, b.request_counts)


def fetch(batch_id, out):
    c = client()
    b = c.batches.retrieve(batch_id)
    if b.status != "completed":
        sys.exit(f"batch is {b.status}")
    data = c.files.content(b.output_file_id).text
    with open(out, "w") as fh:
        for line in data.splitlines():
            r = json.loads(line)
            msg = r["response"]["body"]["choices"][0]["message"]["content"]
            fh.write(json.dumps({"id": r["custom_id"], "output": msg}) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("submit"); s.add_argument("path"); s.add_argument("--model", default="gpt-4o-mini")
    st = sub.add_parser("status"); st.add_argument("batch_id")
    f = sub.add_parser("fetch"); f.add_argument("batch_id"); f.add_argument("--out", default="results.jsonl")
    a = ap.parse_args()
    {"submit": lambda: submit(a.path, a.model), "status": lambda: status(a.batch_id),
     "fetch": lambda: fetch(a.batch_id, a.out)}[a.cmd]()
