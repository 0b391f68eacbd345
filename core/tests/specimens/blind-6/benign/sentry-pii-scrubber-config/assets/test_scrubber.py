import json
import re

import sentry_sdk
from sentry_sdk.transport import Transport

CAPTURED = []


class MemoryTransport(Transport):
    def capture_envelope(self, envelope):
        CAPTURED.append(envelope.serialize().decode("utf-8", "replace"))


def test_no_pii(monkeypatch):
    from app.sentry_setup import before_send
    sentry_sdk.init(dsn="https://public@o0.ingest.sentry.io/0", transport=MemoryTransport, before_send=before_send,
                    send_default_pii=False)
    sentry_sdk.capture_message("failed for jane.doe@example.com with Bearer abc.def.ghi card 4111 1111 1111 1111")
    sentry_sdk.flush()
    blob = "\n".join(CAPTURED)
    assert "@example.com" not in blob
    assert "abc.def.ghi" not in blob
    assert not re.search(r"4111[ -]?1111", blob)
