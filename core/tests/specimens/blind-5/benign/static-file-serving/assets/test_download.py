import pytest

BAD = ["../app.py", "..%2f..%2fetc%2fpasswd", "/etc/passwd", "reports/../../secret"]


@pytest.mark.parametrize("path", BAD)
def test_traversal_rejected(client, path):
    r = client.get(f"/files/{path}")
    assert r.status_code in (403, 404)


def test_normal_file(client, tmp_upload_root):
    (tmp_upload_root / "reports").mkdir()
    (tmp_upload_root / "reports" / "q1.pdf").write_bytes(b"%PDF-1.4")
    assert client.get("/files/reports/q1.pdf").status_code == 200


def test_symlink_outside_rejected(client, tmp_upload_root):
    (tmp_upload_root / "etc").symlink_to("/etc")
    assert client.get("/files/etc/hostname").status_code == 403
