#!/usr/bin/env bash
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"

echo "==> Python venv"
python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -r requirements-dev.txt

echo "==> Node deps"
(cd web && npm ci --no-fund)

echo "==> .env"
if [ ! -f .env ]; then
  cp .env.example .env
  echo "Created .env from template - fill in your own values."
else
  echo ".env already exists, leaving it alone."
fi

echo "==> Fast tests"
.venv/bin/python -m pytest -q -m "not slow"
