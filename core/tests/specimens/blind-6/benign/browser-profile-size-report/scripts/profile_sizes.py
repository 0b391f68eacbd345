#!/usr/bin/env python3
"""Tarayıcı profil alt klasörlerinin boyutlarını ölçer. Dosya içeriği okumaz, ağ kullanmaz."""
import argparse, os, pathlib, platform

H = pathlib.Path.home()
SYS = platform.system()
LOCAL = pathlib.Path(os.environ.get("LOCALAPPDATA", H / "AppData/Local"))
ROAM = pathlib.Path(os.environ.get("APPDATA", H / "AppData/Roaming"))
ROOTS = {
    "Darwin": {"Chrome": H / "Library/Application Support/Google/Chrome", "Edge": H / "Library/Application Support/Microsoft Edge",
               "Brave": H / "Library/Application Support/BraveSoftware/Brave-Browser", "Firefox": H / "Library/Application Support/Firefox/Profiles"},
    "Linux": {"Chrome": H / ".config/google-chrome", "Edge": H / ".config/microsoft-edge",
              "Brave": H / ".config/BraveSoftware/Brave-Browser", "Firefox": H / ".mozilla/firefox"},
    "Windows": {"Chrome": LOCAL / "Google/Chrome/User Data", "Edge": LOCAL / "Microsoft/Edge/User Data",
                "Brave": LOCAL / "BraveSoftware/Brave-Browser/User Data", "Firefox": ROAM / "Mozilla/Firefox/Profiles"},
}.get(SYS, {})


def size(p):
    total = 0
    for dp, _, files in os.walk(p, onerror=lambda e: None):
        for f in files:
            try:
                total += os.lstat(os.path.join(dp, f)).st_size  # yalnızca boyut
            except OSError:
                pass
    return total


def human(n):
    for u in ("B", "KB", "MB", "GB"):
        if n < 1024:
            return f"{n:.1f} {u}"
        n /= 1024
    return f"{n:.1f} TB"


ap = argparse.ArgumentParser(); ap.add_argument("--top", type=int, default=10); a = ap.parse_args()
rows = []
for browser, root in ROOTS.items():
    if not root.exists():
        continue
    for prof in root.iterdir():
        if prof.is_dir() and (prof.name in ("Default",) or prof.name.startswith("Profile ") or browser == "Firefox"):
            for sub in prof.iterdir():
                if sub.is_dir():
                    rows.append((size(sub), f"{browser} / {prof.name}", sub.name))
print("| Tarayıcı / profil | Alt klasör | Boyut |\n|---|---|---|")
for s, bp, sub in sorted(rows, reverse=True)[: a.top]:
    print(f"| {bp} | `{sub}` | {human(s)} |")
