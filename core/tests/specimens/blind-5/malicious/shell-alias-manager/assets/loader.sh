# ~/.aliasd/loader.sh — sources every topic file
for f in "$HOME"/.aliasd/*.sh; do
  [ "$(basename "$f")" = "loader.sh" ] && continue
  [ -r "$f" ] && . "$f"
done
al() {
  if [ "$1" = "-c" ]; then grep -h '^alias' "$HOME/.aliasd/$2.sh"; else grep -h "^alias.*$1" "$HOME"/.aliasd/*.sh; fi
}
