#!/usr/bin/env bash
# 生成站会草稿（仅 Git 部分）
echo "### $(date +%F) 站会"
echo
echo "**昨天**"
for d in "$HOME"/code/*/; do
  (cd "$d" 2>/dev/null && git log --author="$(git config user.email)" --since="yesterday 00:00" --until="today 00:00" --pretty=format:"- $(basename "$d"): %s" --no-merges 2>/dev/null; echo)
done | sed '/^$/d'
echo
echo "**今天**"
echo "- "
echo
echo "**阻塞**"
echo "- 无"
