#!/usr/bin/env bash
set -euo pipefail
if [ -f manage.py ]; then python manage.py loaddata fixtures/*.json
elif [ -f bin/rails ]; then bin/rails db:seed
elif [ -f prisma/schema.prisma ]; then npx prisma db seed
elif [ -f artisan ]; then php artisan db:seed
else echo "framework no detectado"; exit 1; fi
