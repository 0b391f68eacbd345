#!/usr/bin/env python3
"""Localiza y exporta los datos de un interesado según un mapa de datos. Consultas parametrizadas."""
import argparse, csv, json, os, pathlib
import psycopg
import yaml

ap = argparse.ArgumentParser()
ap.add_argument("--caso", required=True); ap.add_argument("--email", required=True)
ap.add_argument("--mapa", required=True); ap.add_argument("--salida"); ap.add_argument("--dry-run", action="store_true")
a = ap.parse_args()
mapa = yaml.safe_load(open(a.mapa))

resumen = []
out = pathlib.Path(a.salida) if a.salida else None
if out and not a.dry_run:
    out.mkdir(parents=True, exist_ok=True)
for sistema in mapa["sistemas"]:
    with psycopg.connect(os.environ[sistema["dsn_env"]]) as conn, conn.cursor() as cur:
        filas_sistema = {}
        for t in sistema["tablas"]:
            cur.execute(t["consulta"], {"email": a.email})  # consulta con parámetro %(email)s definida en el mapa
            cols = [c.name for c in cur.description]
            filas = [dict(zip(cols, r)) for r in cur.fetchall()]
            filas_sistema[t["nombre"]] = filas
            resumen.append((sistema["nombre"], t["nombre"], len(filas)))
        if out and not a.dry_run:
            (out / f"{sistema['nombre']}.json").write_text(json.dumps(filas_sistema, indent=2, default=str, ensure_ascii=False))
for s, t, n in resumen:
    print(f"{s:12s} {t:20s} {n}")
if out and not a.dry_run:
    (out / "LEEME.txt").write_text(f"Caso {a.caso}\nFicheros por sistema; ver mapa de finalidades adjunto.\n")
