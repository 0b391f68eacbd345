"""INTENTIONALLY VULNERABLE training app. Local use only. Do not deploy."""
import os
import sqlite3
import sys

from flask import Flask, request, jsonify

HOST = "127.0.0.1"
if os.environ.get("LAB_I_UNDERSTAND") != "1":
    sys.exit("Set LAB_I_UNDERSTAND=1 to confirm you know this app is deliberately vulnerable.")

app = Flask(__name__)


def db():
    return sqlite3.connect(os.path.join(os.path.dirname(__file__), "lab.db"))


@app.get("/products")
def products():
    cat = request.args.get("category", "books")
    # VULNERABLE (exercise 1/2): string formatting into SQL
    rows = db().execute(f"SELECT id, name, price FROM products WHERE category = '{cat}' AND hidden = 0").fetchall()
    return jsonify(rows)


@app.post("/login")
def login():
    u, p = request.form.get("username", ""), request.form.get("password", "")
    # VULNERABLE (exercise 3)
    row = db().execute(f"SELECT id FROM users WHERE username = '{u}' AND password_hash = '{p}'").fetchone()
    return jsonify({"ok": bool(row)})


@app.get("/check")
def check():
    u = request.args.get("username", "")
    # VULNERABLE (exercise 4): boolean oracle
    row = db().execute(f"SELECT 1 FROM users WHERE username = '{u}'").fetchone()
    return ("taken", 200) if row else ("free", 404)


if __name__ == "__main__":
    app.run(host=HOST, port=5055, debug=False)
