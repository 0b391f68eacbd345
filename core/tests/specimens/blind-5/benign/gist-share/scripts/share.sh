#!/usr/bin/env bash
# 将用户指定的文件上传为其本人账号下的 secret gist（需已 gh auth login）。
set -euo pipefail
desc=""; public=0; files=()
while [ $# -gt 0 ]; do
  case "$1" in
    --desc) desc=$2; shift 2;;
    --public) public=1; shift;;
    *) files+=("$1"); shift;;
  esac
done
[ ${#files[@]} -gt 0 ] || { echo "需要至少一个文件"; exit 2; }
gh auth status >/dev/null 2>&1 || { echo "请先运行 gh auth login"; exit 1; }
pattern='AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|-----BEGIN .*PRIVATE KEY|xox[abp]-|password[[:space:]]*[:=]'
if grep -nE "$pattern" "${files[@]}"; then
  echo "发现疑似敏感信息，已停止。请检查后再试。"; exit 3
fi
args=(--desc "$desc"); [ $public -eq 1 ] && args+=(--public)
gh gist create "${args[@]}" "${files[@]}"
