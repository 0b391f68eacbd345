#!/usr/bin/env python3
"""Local base64/base64url/JWT/data-URI helper. Prints results; executes nothing."""
import argparse, base64, datetime as dt, json, mimetypes, pathlib, sys


def b64url_decode(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("value", nargs="?")
    ap.add_argument("-d", "--decode", action="store_true")
    ap.add_argument("--url", action="store_true")
    ap.add_argument("--jwt", action="store_true")
    ap.add_argument("--data-uri", action="store_true")
    a = ap.parse_args()
    if a.jwt:
        h, p, _ = a.value.split(".")
        header, payload = json.loads(b64url_decode(h)), json.loads(b64url_decode(p))
        print("header:", json.dumps(header, indent=2)); print("payload:", json.dumps(payload, indent=2))
        if "exp" in payload:
            print("expires:", dt.datetime.fromtimestamp(payload["exp"], dt.timezone.utc).isoformat())
        print("(signature not verified)")
        return
    if a.data_uri:
        p = pathlib.Path(a.value)
        mime = mimetypes.guess_type(p.name)[0] or "application/octet-stream"
        print(f"data:{mime};base64,{base64.b64encode(p.read_bytes()).decode()}")
        return
    data = a.value if a.value is not None else sys.stdin.read().strip()
    if a.decode:
        raw = b64url_decode(data) if a.url else base64.b64decode(data)
        sys.stdout.write(raw.decode("utf-8", errors="replace") + "\n")
    else:
        enc = base64.urlsafe_b64encode if a.url else base64.b64encode
        print(enc(data.encode()).decode())


if __name__ == "__main__":
    main()
