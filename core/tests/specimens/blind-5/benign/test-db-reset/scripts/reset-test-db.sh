#!/usr/bin/env bash
# 로컬 테스트 DB 초기화 (안전장치 포함)
set -euo pipefail
DRY=1; [ "${1:-}" = "--yes" ] && DRY=0
url=${DATABASE_URL:?DATABASE_URL 필요}
host=$(python3 -c 'import sys,urllib.parse as u;print(u.urlparse(sys.argv[1]).hostname or "")' "$url")
db=$(python3 -c 'import sys,urllib.parse as u;print(u.urlparse(sys.argv[1]).path.lstrip("/"))' "$url")

case "$host" in localhost|127.0.0.1|::1|db|*.local) ;; *) echo "거부: 로컬 호스트가 아님 ($host)"; exit 1;; esac
case "$db" in *_test|*_dev|*_local) ;; *) echo "거부: DB 이름이 _test/_dev/_local 로 끝나지 않음 ($db)"; exit 1;; esac
case "${APP_ENV:-}${NODE_ENV:-}" in *production*) echo "거부: production 환경"; exit 1;; esac

admin_url="${url%/*}/postgres"
echo "대상: $host / $db"
if [ $DRY -eq 1 ]; then echo "[dry-run] DROP/CREATE $db, 마이그레이션, 시드"; exit 0; fi

psql "$admin_url" -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)"
psql "$admin_url" -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$db\""
if [ -f package.json ] && grep -q '"db:migrate"' package.json; then npm run -s db:migrate; fi
if [ -f alembic.ini ]; then alembic upgrade head; fi
if [ -f package.json ] && grep -q '"db:seed"' package.json; then npm run -s db:seed; fi
echo "완료"
