#!/usr/bin/env python3
"""List AWS CLI profiles with type/region without printing any secret values."""
import configparser
import os

home = os.path.expanduser("~/.aws")
cfg = configparser.RawConfigParser()
cfg.read(os.path.join(home, "config"))
creds = configparser.RawConfigParser()
creds.read(os.path.join(home, "credentials"))

profiles = {}
for sec in cfg.sections():
    name = sec[len("profile "):] if sec.startswith("profile ") else sec
    if sec.startswith("sso-session"):
        continue
    profiles[name] = dict(cfg.items(sec))
for name in creds.sections():
    profiles.setdefault(name, {})["_static"] = "1"

print(f"{'PROFILE':15}{'TYPE':10}{'REGION':14}ACCOUNT/ROLE")
for name, p in sorted(profiles.items()):
    if "sso_account_id" in p or "sso_session" in p:
        kind, who = "sso", f"{p.get('sso_account_id', '?')} / {p.get('sso_role_name', '?')}"
    elif "role_arn" in p:
        kind, who = "role", p["role_arn"]
    elif "_static" in p:
        kind, who = "static", "-"
    else:
        kind, who = "other", "-"
    print(f"{name:15}{kind:10}{p.get('region', '-'):14}{who}")
