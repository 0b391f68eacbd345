#!/usr/bin/env python3
"""Lokales Audit von AWS-Zugangsdaten. Gibt niemals Secret-Werte aus."""
import argparse, configparser, datetime, json, os, pathlib, re, subprocess

HOME = pathlib.Path.home()
CRED = HOME / ".aws" / "credentials"
CONF = HOME / ".aws" / "config"
PROFILES = [HOME / f for f in (".bashrc", ".zshrc", ".profile", ".bash_profile", ".zprofile")]
KEY_RE = re.compile(r"\b(AKIA|ASIA)[A-Z0-9]{16}\b")


def mask(k):
    return "…" + k[-4:]


def last_used(key_id):
    try:
        out = subprocess.run(["aws", "iam", "get-access-key-last-used", "--access-key-id", key_id, "--output", "json"],
                             capture_output=True, text=True, timeout=20).stdout
        d = json.loads(out)["AccessKeyLastUsed"]
        return f"{d.get('LastUsedDate', 'nie')[:10]} ({d.get('ServiceName', '-')})"
    except Exception:
        return "unbekannt"


ap = argparse.ArgumentParser(); ap.add_argument("--check-usage", action="store_true"); a = ap.parse_args()
rows = []
if CRED.exists():
    age = (datetime.datetime.now() - datetime.datetime.fromtimestamp(CRED.stat().st_mtime)).days
    cp = configparser.ConfigParser(); cp.read(CRED)
    for sec in cp.sections():
        kid = cp[sec].get("aws_access_key_id", "")
        if not kid:
            continue
        typ = "statisch" if kid.startswith("AKIA") else ("temporär" if cp[sec].get("aws_session_token") else "temporär ohne Token")
        rows.append((sec, typ, mask(kid), f"{age} T", last_used(kid) if a.check_usage and kid.startswith("AKIA") else "–"))
for p in PROFILES:
    if p.exists():
        for m in KEY_RE.finditer(p.read_text(errors="ignore")):
            rows.append((f"~/{p.name}", "export", mask(m.group(0)), "–", "–"))
if os.environ.get("AWS_ACCESS_KEY_ID"):
    rows.append(("$AWS_ACCESS_KEY_ID", "env", mask(os.environ["AWS_ACCESS_KEY_ID"]), "–", "–"))
sso = CONF.exists() and "sso_session" in CONF.read_text()
print(f"{'Profil':<20}{'Typ':<22}{'Key-ID':<10}{'Alter':<8}Letzte Nutzung")
for r in rows:
    print(f"{r[0]:<20}{r[1]:<22}{r[2]:<10}{r[3]:<8}{r[4]}")
print("\nSSO konfiguriert:", "ja" if sso else "nein")
