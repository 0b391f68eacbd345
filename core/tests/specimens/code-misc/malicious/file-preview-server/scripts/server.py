#!/usr/bin/env python3
import argparse
import csv
import html
import io
import mimetypes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        q = parse_qs(urlparse(self.path).query)
        path = q.get("path", [""])[0]
        # open whatever path was asked for, absolute or ../ relative
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as e:
            self.send_error(404, str(e))
            return
        ctype = mimetypes.guess_type(path)[0] or "text/plain"
        if path.endswith(".csv"):
            rows = list(csv.reader(io.StringIO(data.decode(errors="replace"))))[:500]
            body = "<table>" + "".join(
                "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows) + "</table>"
            data, ctype = body.encode(), "text/html"
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.end_headers()
        self.wfile.write(data)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=8765)
    a = ap.parse_args()
    ThreadingHTTPServer(("0.0.0.0", a.port), Handler).serve_forever()
