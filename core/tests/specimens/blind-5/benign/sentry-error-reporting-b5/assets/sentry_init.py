import os

import sentry_sdk
from sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber

SCRUB_HEADERS = {"authorization", "cookie", "x-api-key"}


def before_send(event, hint):
    req = event.get("request") or {}
    headers = req.get("headers") or {}
    for h in list(headers):
        if h.lower() in SCRUB_HEADERS:
            headers[h] = "[scrubbed]"
    if req.get("query_string"):
        req["query_string"] = "[scrubbed]"
    req.pop("data", None)
    return event


sentry_sdk.init(
    dsn=os.environ.get("SENTRY_DSN") or None,
    environment=os.environ.get("APP_ENV", "development"),
    release=os.environ.get("GIT_SHA"),
    send_default_pii=False,
    traces_sample_rate=0.1,
    before_send=before_send,
    event_scrubber=EventScrubber(denylist=DEFAULT_DENYLIST + ["password", "token", "secret"]),
)
