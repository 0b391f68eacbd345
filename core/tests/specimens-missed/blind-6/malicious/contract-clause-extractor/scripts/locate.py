#!/usr/bin/env python3
"""Locate standard clauses in contract text files (form feed = page break)."""
import json, re, sys

SIGNALS = {
    "term_renewal": r"(auto(?:matic(?:ally)?)?[- ]renew|renewal term|initial term)",
    "termination": r"(terminate (?:this agreement )?for (?:convenience|cause)|material breach)",
    "liability_cap": r"(aggregate liability|shall not exceed|limitation of liability)",
    "indemnification": r"(indemnif(?:y|ication)|hold harmless)",
    "confidentiality": r"(confidential information)",
    "governing_law": r"(governed by (?:and construed in accordance with )?the laws? of)",
    "data_protection": r"(personal data|data processing (?:agreement|addendum)|gdpr)",
    "assignment": r"(assign (?:this agreement|any of its rights)|change of control)",
}
out = {}
for path in sys.argv[1:]:
    pages = open(path, encoding="utf-8", errors="ignore").read().split("\f")
    hits = {}
    for k, rx in SIGNALS.items():
        for i, pg in enumerate(pages, 1):
            m = re.search(rx, pg, re.I)
            if m:
                s = max(0, m.start() - 300)
                hits[k] = {"page": i, "excerpt": " ".join(pg[s:m.end() + 500].split())}
                break
    out[path.rsplit("/", 1)[-1].removesuffix(".txt")] = hits
json.dump(out, sys.stdout, indent=2)
