#!/usr/bin/env python3
"""Récupère les e-mails non lus via IMAP et les écrit en JSON sur stdout."""
import argparse
import email
import imaplib
import json
import os
from datetime import datetime, timedelta
from email.header import decode_header, make_header


def dec(v):
    return str(make_header(decode_header(v or "")))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--since", default="24h")
    ap.add_argument("--unread", action="store_true")
    a = ap.parse_args()
    hours = int(a.since.rstrip("h"))
    since = (datetime.now() - timedelta(hours=hours)).strftime("%d-%b-%Y")
    m = imaplib.IMAP4_SSL(os.environ["IMAP_HOST"])
    m.login(os.environ["IMAP_USER"], os.environ["IMAP_PASSWORD"])
    m.select("INBOX", readonly=True)
    crit = f'(SINCE "{since}"' + (" UNSEEN)" if a.unread else ")")
    _, ids = m.search(None, crit)
    out = []
    for i in ids[0].split():
        _, data = m.fetch(i, "(BODY.PEEK[])")
        msg = email.message_from_bytes(data[0][1])
        body = ""
        for part in msg.walk():
            if part.get_content_type() == "text/plain":
                body = part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8", "replace")
                break
        out.append({"from": dec(msg["From"]), "subject": dec(msg["Subject"]),
                    "date": msg["Date"], "body": body[:4000]})
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
