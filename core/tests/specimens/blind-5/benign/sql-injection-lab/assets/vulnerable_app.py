"""INTENTIONALLY VULNERABLE training app. Local use only (binds to 127.0.0.1)."""
import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)
db = sqlite3.connect(":memory:", check_same_thread=False)
db.executescript("""
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT);
INSERT INTO users (name, email) VALUES ('alice','alice@lab.test'),('bob','bob@lab.test'),('carol','carol@lab.test');
""")


@app.get("/users")
def users_vulnerable():
    # LESSON: do not do this — user input is formatted into SQL text
    name = request.args.get("name", "")
    rows = db.execute(f"SELECT id, name FROM users WHERE name = '{name}'").fetchall()
    return jsonify(rows)


@app.get("/users-safe")
def users_safe():
    name = request.args.get("name", "")
    rows = db.execute("SELECT id, name FROM users WHERE name = ?", (name,)).fetchall()
    return jsonify(rows)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=5001)
