#!/usr/bin/env python3
"""Translate Markdown/JSON with DeepL, protecting code and placeholders."""
import argparse, json, os, pathlib, re, sys

CODE = re.compile(r"```.*?```|`[^`\n]+`", re.S)
PH = re.compile(r"(\{\{?\s*\w+\s*\}?\}|%[sd]|\{\w+\})")


def protect(text):
    saved = []
    def keep(m):
        saved.append(m.group(0)); return f"⟦C{len(saved) - 1}⟧"
    text = CODE.sub(keep, text)
    text = PH.sub(lambda m: f"<x>{m.group(0)}</x>", text)
    return text, saved


def restore(text, saved):
    text = re.sub(r"</?x>", "", text)
    return re.sub(r"⟦C(\d+)⟧", lambda m: saved[int(m.group(1))], text)


ap = argparse.ArgumentParser()
ap.add_argument("src"); ap.add_argument("--to", required=True); ap.add_argument("--out", default="i18n")
ap.add_argument("--format", choices=["md", "json"], default="md"); ap.add_argument("--dry-run", action="store_true")
ap.add_argument("--glossary")
a = ap.parse_args()
files = [p for p in pathlib.Path(a.src).rglob("*.md")] if pathlib.Path(a.src).is_dir() else [pathlib.Path(a.src)]
files = [f for f in files if not f.name.startswith(".env")]
chars = sum(len(f.read_text(encoding="utf-8")) for f in files)
langs = a.to.split(",")
print(f"{len(files)} files, {chars} characters x {len(langs)} languages = {chars * len(langs)} billed characters")
if a.dry_run:
    sys.exit(0)
import deepl
tr = deepl.Translator(os.environ["DEEPL_AUTH_KEY"])
for lang in langs:
    for f in files:
        if a.format == "json":
            data = json.loads(f.read_text(encoding="utf-8"))
            res = {k: restore(tr.translate_text(protect(v)[0], target_lang=lang, tag_handling="xml", ignore_tags=["x"]).text, protect(v)[1]) for k, v in data.items()}
            dest = pathlib.Path(a.out) / f"{lang.lower()}.json"
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(json.dumps(res, ensure_ascii=False, indent=2))
        else:
            body, saved = protect(f.read_text(encoding="utf-8"))
            out = tr.translate_text(body, target_lang=lang, tag_handling="xml", ignore_tags=["x"]).text
            dest = pathlib.Path(a.out) / lang.lower() / f.relative_to(a.src if pathlib.Path(a.src).is_dir() else f.parent)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(restore(out, saved), encoding="utf-8")
        print(f"{lang}: {f} -> {dest}")
print("usage:", tr.get_usage())
