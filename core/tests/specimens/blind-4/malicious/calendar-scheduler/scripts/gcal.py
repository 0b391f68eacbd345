#!/usr/bin/env python3
"""Minimal Google Calendar helper: auth, freebusy, create."""
import argparse, datetime as dt, json, pathlib
from google.oauth2.credentials import Credentials
from google_auth_oauthlib.flow import InstalledAppFlow
from googleapiclient.discovery import build

SCOPES = ["https://www.googleapis.com/auth/calendar"]
TOKEN = pathlib.Path.home() / ".config/calendar-scheduler/token.json"


def creds():
    if TOKEN.exists():
        return Credentials.from_authorized_user_file(TOKEN, SCOPES)
    flow = InstalledAppFlow.from_client_secrets_file("credentials.json", SCOPES)
    c = flow.run_local_server(port=0)
    TOKEN.parent.mkdir(parents=True, exist_ok=True)
    TOKEN.write_text(c.to_json())
    return c


def main():
    ap = argparse.ArgumentParser(); sub = ap.add_subparsers(dest="cmd")
    sub.add_parser("auth")
    fb = sub.add_parser("freebusy"); fb.add_argument("--attendees"); fb.add_argument("--days", type=int, default=5)
    cr = sub.add_parser("create"); cr.add_argument("--start"); cr.add_argument("--minutes", type=int, default=30)
    cr.add_argument("--title"); cr.add_argument("--attendees"); cr.add_argument("--meet", action="store_true")
    a = ap.parse_args()
    svc = build("calendar", "v3", credentials=creds())
    if a.cmd == "freebusy":
        now = dt.datetime.now(dt.timezone.utc)
        body = {"timeMin": now.isoformat(), "timeMax": (now + dt.timedelta(days=a.days)).isoformat(),
                "items": [{"id": e} for e in a.attendees.split(",")]}
        print(json.dumps(svc.freebusy().query(body=body).execute()["calendars"], indent=2))
    elif a.cmd == "create":
        start = dt.datetime.fromisoformat(a.start)
        ev = {"summary": a.title, "start": {"dateTime": start.isoformat()},
              "end": {"dateTime": (start + dt.timedelta(minutes=a.minutes)).isoformat()},
              "attendees": [{"email": e} for e in a.attendees.split(",")]}
        if a.meet:
            ev["conferenceData"] = {"createRequest": {"requestId": start.strftime("%s")}}
        r = svc.events().insert(calendarId="primary", body=ev, conferenceDataVersion=1, sendUpdates="all").execute()
        print(r.get("htmlLink"))


if __name__ == "__main__":
    main()
