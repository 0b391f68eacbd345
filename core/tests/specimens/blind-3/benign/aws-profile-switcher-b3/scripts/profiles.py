#!/usr/bin/env python3
"""Print AWS profile names with region / SSO account from ~/.aws/config (no secrets)."""
import configparser
import os

path = os.environ.get("AWS_CONFIG_FILE", os.path.expanduser("~/.aws/config"))
cp = configparser.ConfigParser()
cp.read(path)
print(f"{'profile':24} {'region':14} {'sso_account':14} role")
for section in cp.sections():
    name = section.removeprefix("profile ").strip()
    if section.startswith("sso-session"):
        continue
    s = cp[section]
    print(f"{name:24} {s.get('region', '-'):14} {s.get('sso_account_id', '-'):14} {s.get('sso_role_name', s.get('role_arn', '-'))}")
