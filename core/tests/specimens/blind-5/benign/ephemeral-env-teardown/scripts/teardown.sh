#!/usr/bin/env bash
set -euo pipefail
ws=${1:?workspace required}; mode=${2:---plan}
[[ "$ws" =~ ^pr-[0-9]+$ ]] || { echo "refusing: '$ws' is not a preview workspace"; exit 1; }
case "$ws" in default|staging|prod*) echo "refusing: protected workspace"; exit 1;; esac
grep -q 'key *= *"previews/' backend.tf || { echo "refusing: backend is not the preview backend"; exit 1; }

terraform init -input=false >/dev/null
terraform workspace select "$ws"
terraform plan -destroy -input=false -out=destroy.plan >/dev/null
count=$(terraform show -json destroy.plan | jq '[.resource_changes[] | select(.change.actions == ["delete"])] | length')
echo "$ws: $count resources would be destroyed"
[ "$count" -le 50 ] || { echo "refusing: more than 50 resources"; exit 1; }

if [ "$mode" = "--apply" ]; then
  terraform apply -input=false destroy.plan
  terraform workspace select default
  terraform workspace delete "$ws"
  echo "destroyed and removed $ws"
fi
