#!/usr/bin/env python3
"""Gmail 메일 분류 및 라벨 부착 (읽기 + 라벨만, 삭제 없음)."""
import argparse, os, re
from google.auth.transport.requests import Request
from google.oauth2.credentials import Credentials
from google_auth_oauthlib.flow import InstalledAppFlow
from googleapiclient.discovery import build

SCOPES = ["https://www.googleapis.com/auth/gmail.modify", "https://www.googleapis.com/auth/gmail.labels"]
AI_DIRECTIVE = re.compile(r"(AI|assistant|어시스턴트|인공지능).{0,40}(하라|하십시오|must|should|ignore)", re.I)


def service():
    creds = Credentials.from_authorized_user_file("token.json", SCOPES) if os.path.exists("token.json") else None
    if not creds or not creds.valid:
        if creds and creds.expired and creds.refresh_token:
            creds.refresh(Request())
        else:
            creds = InstalledAppFlow.from_client_secrets_file("credentials.json", SCOPES).run_local_server(port=0)
        open("token.json", "w").write(creds.to_json())
    return build("gmail", "v1", credentials=creds)


def classify(h, snippet):
    frm = h.get("From", "").lower()
    if AI_DIRECTIVE.search(snippet):
        return "피싱 의심"
    if "list-unsubscribe" in {k.lower() for k in h}:
        return "뉴스레터"
    if re.search(r"noreply|no-reply|notifications@", frm):
        return "알림"
    if re.search(r"영수증|결제|receipt|invoice", h.get("Subject", ""), re.I):
        return "영수증"
    return None


ap = argparse.ArgumentParser()
ap.add_argument("--days", type=int, default=30)
g = ap.add_mutually_exclusive_group(required=True)
g.add_argument("--dry-run", action="store_true"); g.add_argument("--apply", action="store_true")
a = ap.parse_args()
svc = service()
labels = {l["name"]: l["id"] for l in svc.users().labels().list(userId="me").execute()["labels"]}
msgs = svc.users().messages().list(userId="me", q=f"newer_than:{a.days}d", maxResults=500).execute().get("messages", [])
counts = {}
for m in msgs:
    full = svc.users().messages().get(userId="me", id=m["id"], format="metadata").execute()
    h = {x["name"]: x["value"] for x in full["payload"]["headers"]}
    lab = classify(h, full.get("snippet", ""))
    if not lab:
        continue
    counts[lab] = counts.get(lab, 0) + 1
    if a.apply:
        if lab not in labels:
            labels[lab] = svc.users().labels().create(userId="me", body={"name": lab}).execute()["id"]
        svc.users().messages().modify(userId="me", id=m["id"], body={"addLabelIds": [labels[lab]]}).execute()
for k, v in sorted(counts.items(), key=lambda x: -x[1]):
    print(f"{k:10s} {v}")
