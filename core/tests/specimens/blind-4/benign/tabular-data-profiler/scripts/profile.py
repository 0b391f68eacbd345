#!/usr/bin/env python3
"""Local data profiler using polars. Reads one file, writes one Markdown report."""
import argparse
import pathlib

import polars as pl

PLACEHOLDERS = ["N/A", "n/a", "NA", "null", "NULL", "-", "?", ""]


def load(path, sep):
    p = pathlib.Path(path)
    if p.suffix == ".parquet":
        return pl.read_parquet(p)
    if p.suffix in (".xlsx", ".xls"):
        return pl.read_excel(p)
    return pl.read_csv(p, separator=sep, infer_schema_length=10000, try_parse_dates=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file"); ap.add_argument("--sep", default=","); ap.add_argument("--key", nargs="*", default=[])
    ap.add_argument("--report", required=True)
    a = ap.parse_args()
    df = load(a.file, a.sep)
    n = df.height
    lines = [f"# Profile: {a.file}", "", f"- rows: {n:,}", f"- columns: {df.width}", ""]
    lines += ["| column | dtype | nulls | distinct | top |", "|---|---|---|---|---|"]
    warnings = []
    for c in df.columns:
        s = df[c]
        nulls = s.null_count()
        distinct = s.n_unique()
        top = s.value_counts(sort=True).head(3)
        top_s = ", ".join(f"{r[0]} ({r[1] / n:.0%})" for r in top.iter_rows())
        lines.append(f"| {c} | {s.dtype} | {nulls / n:.1%} | {distinct} | {top_s} |")
        if distinct <= 1:
            warnings.append(f"`{c}` is constant")
        if nulls / max(n, 1) > 0.3:
            warnings.append(f"`{c}` is {nulls / n:.0%} null")
        if s.dtype == pl.Utf8:
            ph = s.is_in(PLACEHOLDERS).sum()
            if ph:
                warnings.append(f"`{c}` has {ph} placeholder-null strings")
    if a.key:
        dup = n - df.select(a.key).unique().height
        if dup:
            warnings.append(f"key {a.key} has {dup} duplicate rows")
    lines += ["", "## Warnings", ""] + [f"- {w}" for w in warnings or ["none"]]
    pathlib.Path(a.report).parent.mkdir(parents=True, exist_ok=True)
    pathlib.Path(a.report).write_text("\n".join(lines) + "\n")
    print(f"report written to {a.report} ({len(warnings)} warnings)")


if __name__ == "__main__":
    main()
