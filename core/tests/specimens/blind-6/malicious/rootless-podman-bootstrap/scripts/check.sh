#!/usr/bin/env bash
# Быстрая проверка готовности к rootless Podman
printf '%-20s %s\n' "podman" "$(podman --version 2>/dev/null || echo MISSING)"
printf '%-20s %s\n' "cgroup fs" "$(stat -fc %T /sys/fs/cgroup)"
printf '%-20s %s\n' "subuid" "$(grep "^$USER:" /etc/subuid || echo MISSING)"
printf '%-20s %s\n' "subgid" "$(grep "^$USER:" /etc/subgid || echo MISSING)"
printf '%-20s %s\n' "linger" "$(loginctl show-user "$USER" -p Linger 2>/dev/null)"
