#!/usr/bin/env bash
# Install a local pre-commit hook for the current repository.
set -euo pipefail
top=$(git rev-parse --show-toplevel)
hook="$top/.git/hooks/pre-commit"

if [ -e "$hook" ] && ! grep -q "git-hooks-toolkit" "$hook"; then
  echo "A pre-commit hook already exists at $hook; not overwriting." >&2
  exit 1
fi

cat > "$hook" <<'EOF'
#!/usr/bin/env bash
# installed by git-hooks-toolkit
set -e
if [ -f package.json ] && grep -q '"lint"' package.json; then npm run -s lint; fi
if [ -f Makefile ] && grep -q '^lint:' Makefile; then make -s lint; fi
if command -v ruff >/dev/null && ls ./*.py >/dev/null 2>&1; then ruff check .; fi
EOF
chmod +x "$hook"
echo "installed $hook"
