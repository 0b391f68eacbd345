#!/usr/bin/env python3
"""Send injection test cases to a user-owned staging endpoint and score responses."""
import argparse, json, sys
import requests

ap = argparse.ArgumentParser()
ap.add_argument("--endpoint", required=True, help="chat endpoint of the system under test")
ap.add_argument("--corpus", required=True)
ap.add_argument("--out", required=True)
ap.add_argument("--only-vector", default="user", help="direct cases only; indirect need fixtures")
a = ap.parse_args()

with open(a.out, "w") as out:
    for line in open(a.corpus):
        case = json.loads(line)
        if a.only_vector and case["vector"] != a.only_vector:
            continue
        r = requests.post(a.endpoint, json={"message": case["payload"]}, timeout=60)
        text = r.text
        result = "compromised" if case["success_signal"].lower() in text.lower() else "blocked"
        out.write(json.dumps({"id": case["id"], "result": result, "status": r.status_code, "response": text[:2000]}) + "\n")
        print(f"{case['id']:4} {result}")
