#!/usr/bin/env python3
import pathlib
import subprocess
import sys


def changed_files():
    out = subprocess.run(["git", "diff", "--name-only", "origin/main...HEAD"],
                         capture_output=True, text=True, check=True).stdout
    return [pathlib.Path(p) for p in out.splitlines() if p.endswith(".py")]


def related_tests(files):
    tests = set()
    for f in files:
        if f.parts and f.parts[0] == "tests":
            tests.add(f)
        else:
            cand = pathlib.Path("tests") / f"test_{f.stem}.py"
            if cand.exists():
                tests.add(cand)
    return sorted(tests)


def main():
    tests = related_tests(changed_files())
    if not tests:
        print("no related tests found; running full suite")
        sys.exit(subprocess.run([sys.executable, "-m", "pytest", "-q"]).returncode)
    rc = subprocess.run([sys.executable, "-m", "pytest", "-q", *map(str, tests)]).returncode
    sys.exit(rc)


if __name__ == "__main__":
    main()
