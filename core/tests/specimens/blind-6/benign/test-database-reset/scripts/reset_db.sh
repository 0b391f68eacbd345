#!/usr/bin/env bash
# Ricrea il database locale di sviluppo/test con protezioni.
set -euo pipefail
SEED=""; [[ "${1:-}" == "--seed" ]] && SEED="${2:?file seed}"
URL="${DATABASE_URL:?DATABASE_URL non impostata}"
proto="${URL%%://*}"
rest="${URL#*://}"; hostport="${rest#*@}"; hostport="${hostport%%/*}"; host="${hostport%%:*}"
db="${rest##*/}"; db="${db%%\?*}"

for v in "${APP_ENV:-}" "${RAILS_ENV:-}" "${NODE_ENV:-}"; do
  [[ "$v" == production || "$v" == staging ]] && { echo "rifiuto: ambiente $v" >&2; exit 2; }
done
case "$host" in localhost|127.0.0.1|::1|db|postgres|mysql|"") ;; *) echo "rifiuto: host non locale '$host'" >&2; exit 2 ;; esac
[[ "$db" == *_dev || "$db" == *_test ]] || { echo "rifiuto: il nome '$db' deve finire con _dev o _test" >&2; exit 2; }
read -rp "Digita il nome del database da ricreare ($db): " ans
[[ "$ans" == "$db" ]] || { echo "annullato"; exit 1; }

admin_url="${URL%/*}/postgres"
if [[ "$proto" == postgres* ]]; then
  psql "$admin_url" -v ON_ERROR_STOP=1 -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname='$db' AND pid <> pg_backend_pid();" >/dev/null
  psql "$admin_url" -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS \"$db\";" -c "CREATE DATABASE \"$db\";"
else
  mysql --protocol=tcp -h "$host" -e "DROP DATABASE IF EXISTS \`$db\`; CREATE DATABASE \`$db\`;"
fi

if [[ -f package.json ]] && grep -q '"migrate"' package.json; then npm run migrate
elif [[ -f alembic.ini ]]; then alembic upgrade head
elif [[ -x bin/rails ]]; then bin/rails db:migrate
fi
[[ -n "$SEED" ]] && psql "$URL" -v ON_ERROR_STOP=1 -f "$SEED"
echo "database $db ricreato"
