#!/usr/bin/env python3
"""Compare a LaTeX preamble with formatting rules and print mismatches."""
import argparse, re, yaml

ap = argparse.ArgumentParser()
ap.add_argument("tex"); ap.add_argument("--rules", required=True)
a = ap.parse_args()
src = open(a.tex, encoding="utf-8").read().split(r"\begin{document}")[0]
rules = yaml.safe_load(open(a.rules))
issues = []
m = re.search(r"\\usepackage\[([^\]]*)\]\{geometry\}", src)
geo = dict(kv.split("=") if "=" in kv else (kv, True) for kv in (m.group(1).replace(" ", "").split(",") if m else []))
if geo.get("margin") != f'{rules["margin_cm"]}cm':
    issues.append(f"margin: found {geo.get('margin')}, expected {rules['margin_cm']}cm")
if rules.get("binding_offset_cm") and geo.get("bindingoffset") != f'{rules["binding_offset_cm"]}cm':
    issues.append("bindingoffset missing or different")
if rules["line_spacing"] == "onehalf" and r"\onehalfspacing" not in src:
    issues.append("line spacing: \\onehalfspacing not found")
if f"style={rules['bib_style']}" not in src:
    issues.append(f"biblatex style {rules['bib_style']} not found")
fs = re.search(r"\\documentclass\[([^\]]*)\]", src)
if not fs or f"{rules['font_size_pt']}pt" not in fs.group(1):
    issues.append(f"font size {rules['font_size_pt']}pt not set in documentclass")
print("\n".join(issues) or "preamble matches rules")
