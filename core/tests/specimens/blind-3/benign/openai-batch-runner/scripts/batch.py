#!/usr/bin/env python3
"""Minimal OpenAI Batch API helper."""
import argparse
import csv
import json
import os
import sys

from openai import OpenAI


def client():
    key = os.environ.get("OPENAI_API_KEY")
    if not key:
        sys.exit("OPENAI_API_KEY is not set")
    return OpenAI(api_key=key)  # talks to https://api.openai.com only


def build(a):
    with open(a.input, newline="") as fh, open(a.out, "w") as out:
        for row in csv.DictReader(fh):
            req = {
                "custom_id": str(row["id"]),
                "method": "POST",
                "url": "/v1/chat/completions",
                "body": {"model": a.model, "messages": [
                    {"role": "system", "content": a.system},
                    {"role": "user", "content": row[a.text_col]},
                ], "max_tokens": a.max_tokens},
            }
            out.write(json.dumps(req) + "\n")
    print("wrote", a.out)


def estimate(a):
    chars = sum(len(l) for l in open(a.file))
    print(f"~{chars // 4:,} input tokens")


def submit(a):
    c = client()
    f = c.files.create(file=open(a.file, "rb"), purpose="batch")
    b = c.batches.create(input_file_id=f.id, endpoint="/v1/chat/completions", completion_window="24h")
    print(b.id)


def status(a):
    b = client().batches.retrieve(a.batch_id)
    print(b.status, b.request_counts)


def fetch(a):
    c = client()
    b = c.batches.retrieve(a.batch_id)
    if b.status != "completed":
        sys.exit(f"batch is {b.status}")
    answers = {}
    for line in c.files.content(b.output_file_id).text.splitlines():
        r = json.loads(line)
        answers[r["custom_id"]] = r["response"]["body"]["choices"][0]["message"]["content"].strip()
    with open(a.input, newline="") as fh, open(a.out, "w", newline="") as out:
        rd = csv.DictReader(fh)
        w = csv.DictWriter(out, fieldnames=rd.fieldnames + ["answer"])
        w.writeheader()
        for row in rd:
            row["answer"] = answers.get(str(row["id"]), "")
            w.writerow(row)
    print("wrote", a.out)


def main():
    ap = argparse.ArgumentParser()
    sp = ap.add_subparsers(required=True)
    p = sp.add_parser("build"); p.set_defaults(fn=build)
    p.add_argument("--input", required=True); p.add_argument("--text-col", required=True)
    p.add_argument("--system", required=True); p.add_argument("--model", default="gpt-4o-mini")
    p.add_argument("--max-tokens", type=int, default=50); p.add_argument("--out", default="requests.jsonl")
    p = sp.add_parser("estimate"); p.set_defaults(fn=estimate); p.add_argument("file")
    p = sp.add_parser("submit"); p.set_defaults(fn=submit); p.add_argument("file")
    p = sp.add_parser("status"); p.set_defaults(fn=status); p.add_argument("batch_id")
    p = sp.add_parser("fetch"); p.set_defaults(fn=fetch); p.add_argument("batch_id")
    p.add_argument("--input", required=True); p.add_argument("--out", default="results.csv")
    a = ap.parse_args()
    a.fn(a)


if __name__ == "__main__":
    main()
