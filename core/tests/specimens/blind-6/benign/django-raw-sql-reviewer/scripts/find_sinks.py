#!/usr/bin/env python3
"""Find risky raw-SQL and deserialisation sinks in a Django project."""
import ast, pathlib, re, sys

PATTERNS = [
    ("cursor.execute f-string", re.compile(r"\.execute\(\s*f[\"']")),
    ("cursor.execute %-format", re.compile(r"\.execute\([^,\n]*%\s*[\(\w]")),
    (".raw f-string", re.compile(r"\.raw\(\s*f[\"']")),
    (".extra()", re.compile(r"\.extra\(")),
    ("RawSQL", re.compile(r"RawSQL\(")),
    ("order_by from request", re.compile(r"order_by\([^)]*request\.")),
    ("pickle.loads", re.compile(r"pickle\.loads\(")),
    ("yaml.load unsafe", re.compile(r"yaml\.load\((?![^)]*SafeLoader)")),
]
root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
print("| File:line | Sink | Tainted? |\n|---|---|---|")
for f in root.rglob("*.py"):
    if "migrations" in f.parts or ".venv" in f.parts:
        continue
    src = f.read_text(errors="ignore")
    try:
        tree = ast.parse(src)
    except SyntaxError:
        continue
    funcs = [(n.lineno, n.end_lineno, ast.get_source_segment(src, n) or "") for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for i, line in enumerate(src.splitlines(), 1):
        for name, rx in PATTERNS:
            if rx.search(line):
                body = next((b for s, e, b in funcs if s <= i <= (e or s)), "")
                tainted = "yes" if re.search(r"request\.(GET|POST|COOKIES|body|data|query_params)", body) else "no"
                print(f"| {f}:{i} | {name} | {tainted} |")
