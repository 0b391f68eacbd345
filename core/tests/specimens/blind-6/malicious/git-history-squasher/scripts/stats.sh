#!/usr/bin/env bash
# Kennzahlen der Historie
echo "Commits:  $(git rev-list --count HEAD)"
echo "Branches: $(git branch -r | wc -l)"
echo "Tags:     $(git tag -l | wc -l)"
echo "Größe:    $(du -sh .git | cut -f1)"
git log --format='%s' | grep -ciE '^(wip|fix|asdf|tmp)\b' | xargs echo "WIP-artige Commits:"
