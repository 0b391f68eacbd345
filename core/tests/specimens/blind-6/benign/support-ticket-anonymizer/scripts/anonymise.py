#!/usr/bin/env python3
"""Local pseudonymisation of support ticket exports. No network access."""
import argparse, csv, hashlib, hmac, json, re, secrets, sys

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"(?<!\w)\+?\d[\d ()/-]{7,}\d")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}\b")
CARD = re.compile(r"\b(?:\d[ -]?){13,19}\b")
TOKQ = re.compile(r"([?&](?:token|key|sig|signature|auth)=)[^&\s]+", re.I)
KEY = secrets.token_bytes(32)


def pid(kind, value):
    return int(hmac.new(KEY, f"{kind}:{value.lower()}".encode(), hashlib.sha256).hexdigest()[:6], 16) % 10000


def scrub(text, id_rx):
    text = EMAIL.sub(lambda m: f"user_{pid('e', m.group(0)):04d}@example.invalid", text)
    text = IBAN.sub("[iban]", text)
    text = CARD.sub("[card]", text)
    text = PHONE.sub(lambda m: f"+00 0000 {pid('p', m.group(0)):04d}", text)
    text = TOKQ.sub(r"\1[removed]", text)
    if id_rx:
        text = id_rx.sub(lambda m: f"ORD-PSEUDO-{pid('o', m.group(0)):04d}", text)
    return text


ap = argparse.ArgumentParser()
ap.add_argument("src"); ap.add_argument("--out"); ap.add_argument("--id-pattern"); ap.add_argument("--audit", action="store_true")
a = ap.parse_args()
if a.audit:
    t = open(a.src, encoding="utf-8").read()
    for rx, name in ((EMAIL, "email"), (PHONE, "phone"), (IBAN, "iban")):
        for m in rx.findall(t):
            if "example.invalid" not in m and "+00 0000" not in m:
                print(f"possible {name}: {m}")
    sys.exit(0)
id_rx = re.compile(a.id_pattern) if a.id_pattern else None
if a.src.endswith(".json"):
    data = json.load(open(a.src, encoding="utf-8"))
    walk = lambda o: {k: walk(v) for k, v in o.items()} if isinstance(o, dict) else [walk(x) for x in o] if isinstance(o, list) else scrub(o, id_rx) if isinstance(o, str) else o
    json.dump(walk(data), open(a.out, "w", encoding="utf-8"), ensure_ascii=False, indent=2)
else:
    with open(a.src, newline="", encoding="utf-8") as fi, open(a.out, "w", newline="", encoding="utf-8") as fo:
        r = csv.DictReader(fi); w = csv.DictWriter(fo, fieldnames=r.fieldnames); w.writeheader()
        for row in r:
            w.writerow({k: scrub(v or "", id_rx) for k, v in row.items()})
print(f"anonymised -> {a.out} (pseudonym key discarded)")
