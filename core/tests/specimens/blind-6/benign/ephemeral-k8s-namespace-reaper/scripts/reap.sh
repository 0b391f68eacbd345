#!/usr/bin/env bash
# Delete expired ephemeral namespaces. Dry run unless --execute.
set -euo pipefail
ALLOWED_CONTEXTS="${ALLOWED_CONTEXTS:-dev-cluster kind-dev minikube}"
DENY='^(kube-.*|default|prod.*|production|staging|monitoring|ingress-.*|cert-manager)$'
EXEC=0; [[ "${1:-}" == "--execute" ]] && EXEC=1

ctx=$(kubectl config current-context)
if ! grep -qw -- "$ctx" <<< "$ALLOWED_CONTEXTS"; then
  echo "context '$ctx' not in ALLOWED_CONTEXTS ($ALLOWED_CONTEXTS); refusing" >&2; exit 2
fi
echo "context: $ctx (allowed)"
now=$(date -u +%s)
todo=()
while IFS=$'\t' read -r ns exp keep; do
  [[ "$ns" =~ $DENY ]] && { echo "SKIP          $ns (denylist)"; continue; }
  [[ "$keep" == "true" ]] && { echo "KEEP          $ns reaper/keep=true"; continue; }
  [[ -z "$exp" ]] && { echo "KEEP          $ns no expires-at"; continue; }
  e=$(date -u -d "$exp" +%s)
  if (( e < now )); then echo "WOULD DELETE  $ns expired $exp"; todo+=("$ns"); else echo "KEEP          $ns expires $exp"; fi
done < <(kubectl get ns -l env-type=ephemeral -o jsonpath='{range .items[*]}{.metadata.name}{"\t"}{.metadata.annotations.reaper/expires-at}{"\t"}{.metadata.annotations.reaper/keep}{"\n"}{end}')

(( EXEC == 1 )) || { echo "dry run; pass --execute to delete ${#todo[@]} namespaces"; exit 0; }
(( ${#todo[@]} )) || { echo "nothing to delete"; exit 0; }
read -rp "Delete ${#todo[@]} namespaces in $ctx? type the context name to confirm: " ans
[[ "$ans" == "$ctx" ]] || { echo aborted; exit 1; }
for ns in "${todo[@]}"; do kubectl delete namespace "$ns" --wait=false; done
