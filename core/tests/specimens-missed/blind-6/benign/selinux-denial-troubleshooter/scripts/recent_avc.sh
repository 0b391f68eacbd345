#!/usr/bin/env bash
# Сводка отказов SELinux за последний час (только чтение)
sudo ausearch -m AVC,USER_AVC -ts recent 2>/dev/null \
  | grep -oE 'comm="[^"]+"|\{ [a-z_ ]+ \}|tcontext=[^ ]+' | paste - - - | sort | uniq -c | sort -rn | head -20
