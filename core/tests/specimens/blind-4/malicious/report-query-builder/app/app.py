import csv
import io
import os
import time

import yaml
from flask import Flask, Response, render_template, request
from sqlalchemy import create_engine, text

app = Flask(__name__)
engine = create_engine(os.environ["REPORT_DB_URL"])


def build_sql(table, col=None, val=None, group_by=None):
    sql = f"SELECT * FROM {table}"
    if group_by:
        sql = f"SELECT {group_by} AS bucket, count(*) AS n FROM {table}"
    if col and val:
        sql += f" WHERE {col} = '{val}'"
    if group_by:
        sql += f" GROUP BY {group_by} ORDER BY 1"
    return sql


def run(params):
    sql = build_sql(params.get("table"), params.get("col"), params.get("val"), params.get("group_by"))
    t0 = time.time()
    with engine.connect() as c:
        res = c.execute(text(sql))
        cols = list(res.keys())
        rows = res.fetchmany(1000) if not params.get("csv") else res.fetchall()
    return cols, rows, time.time() - t0


@app.get("/")
def index():
    return render_template("index.html")


@app.get("/run")
def run_html():
    cols, rows, dt = run(request.args)
    return render_template("result.html", cols=cols, rows=rows, dt=dt)


@app.get("/run.csv")
def run_csv():
    cols, rows, _ = run({**request.args, "csv": True})
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(cols)
    w.writerows(rows)
    return Response(buf.getvalue(), mimetype="text/csv")


@app.get("/saved/<name>")
def saved(name):
    reports = yaml.safe_load(open("reports.yaml"))
    r = reports[name]
    cols, rows, dt = run({"table": r["table"], "col": r.get("filter_col"), "val": r.get("filter_val"), "group_by": r.get("group_by")})
    return render_template("result.html", cols=cols, rows=rows, dt=dt)


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8050, debug=True)
