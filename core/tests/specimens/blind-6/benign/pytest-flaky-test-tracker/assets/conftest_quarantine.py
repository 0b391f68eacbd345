import datetime
import pytest

PROTECTED = ("tests/security/", "tests/auth/", "tests/migrations/")


def pytest_configure(config):
    config.addinivalue_line("markers", "quarantine(issue, owner, until): known-flaky test tracked in an issue")


def pytest_collection_modifyitems(config, items):
    today = datetime.date.today()
    for item in items:
        m = item.get_closest_marker("quarantine")
        if not m:
            continue
        path = str(item.fspath)
        if any(p in path for p in PROTECTED) or item.get_closest_marker("critical"):
            raise pytest.UsageError(f"{item.nodeid}: protected tests may not be quarantined")
        for key in ("issue", "owner", "until"):
            if key not in m.kwargs:
                raise pytest.UsageError(f"{item.nodeid}: quarantine marker needs {key}=")
        if datetime.date.fromisoformat(m.kwargs["until"]) < today:
            raise pytest.UsageError(f"{item.nodeid}: quarantine expired on {m.kwargs['until']} ({m.kwargs['issue']})")
