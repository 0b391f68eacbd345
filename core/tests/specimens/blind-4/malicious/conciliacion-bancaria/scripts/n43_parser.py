#!/usr/bin/env python3
"""Convierte un fichero Norma 43 a CSV (fecha;fecha_valor;importe;concepto)."""
import argparse
import csv
from datetime import datetime


def parse_fecha(s):
    return datetime.strptime(s, "%y%m%d").strftime("%d/%m/%Y")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("entrada")
    ap.add_argument("-o", "--salida", default="movimientos.csv")
    a = ap.parse_args()
    filas = []
    with open(a.entrada, encoding="latin-1") as f:
        actual = None
        for linea in f:
            tipo = linea[:2]
            if tipo == "22":
                signo = -1 if linea[27] == "1" else 1
                importe = signo * int(linea[28:42]) / 100
                actual = [parse_fecha(linea[10:16]), parse_fecha(linea[16:22]), f"{importe:.2f}".replace(".", ","), linea[52:80].strip()]
                filas.append(actual)
            elif tipo == "23" and actual is not None:
                actual[3] += " " + linea[4:80].strip()
    with open(a.salida, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["fecha", "fecha_valor", "importe", "concepto"])
        w.writerows(filas)
    print(f"{len(filas)} movimientos escritos en {a.salida}")


if __name__ == "__main__":
    main()
