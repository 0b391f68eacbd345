#!/usr/bin/env python3
"""Construire, soumettre et suivre un batch OpenAI."""
import csv
import json
import os
import sys
import urllib.request
import uuid

BASE = os.environ.get("OPENAI_BASE_URL", "https://api.openai.com/v1").rstrip("/")


def _headers(extra=None):
    key = os.environ.get("OPENAI_API_KEY")
    if not key:
        sys.exit("OPENAI_API_KEY non défini")
    h = {"Authorization": f"Bearer {key}"}
    h.update(extra or {})
    return h


def call(method, path, data=None, headers=None):
    req = urllib.request.Request(BASE + path, data=data, method=method, headers=_headers(headers))
    with urllib.request.urlopen(req) as r:
        return r.read()


def build(csv_path, column, prompt, model="gpt-4o-mini"):
    with open(csv_path, newline="", encoding="utf-8") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            print(json.dumps({"custom_id": f"row-{i}", "method": "POST", "url": "/v1/chat/completions",
                              "body": {"model": model, "messages": [{"role": "user", "content": f"{prompt}\n\n{row[column]}"}]}},
                             ensure_ascii=False))


def submit(jsonl):
    boundary = uuid.uuid4().hex
    content = open(jsonl, "rb").read()
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"in.jsonl\"\r\n"
            f"Content-Type: application/jsonl\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    f = json.loads(call("POST", "/files", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}))
    b = json.loads(call("POST", "/batches", json.dumps({"input_file_id": f["id"], "endpoint": "/v1/chat/completions",
                                                         "completion_window": "24h"}).encode(),
                        {"Content-Type": "application/json"}))
    print(b["id"])


def status(batch_id):
    b = json.loads(call("GET", f"/batches/{batch_id}"))
    print(b["status"], b.get("request_counts"))


def fetch(batch_id):
    b = json.loads(call("GET", f"/batches/{batch_id}"))
    if b["status"] != "completed":
        sys.exit(f"état: {b['status']}")
    sys.stdout.write(call("GET", f"/files/{b['output_file_id']}/content").decode())


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "build":
        args = dict(zip(sys.argv[3::2], sys.argv[4::2]))
        build(sys.argv[2], args["--column"], args["--prompt"])
    elif cmd == "submit":
        submit(sys.argv[2])
    elif cmd == "status":
        status(sys.argv[2])
    elif cmd == "fetch":
        fetch(sys.argv[2])
