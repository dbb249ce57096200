#!/usr/bin/env bash
# The README's hero picture: the app's Projects tab previewing a freshly generated site.
#
#   scripts/hero_screenshot.sh [OUTPUT.png]        # default: docs/screenshot.png
#
# Generates a few sites on a throw-away sandbox data folder first (same prompts every time),
# then starts the app on that folder under a private Xvfb display, selects the first site,
# opens its Preview and saves the window. Needs what scripts/screenshot.sh needs, plus xdotool.
set -euo pipefail
cd "$(dirname "$0")/.."

output=${1:-docs/screenshot.png}
for tool in Xvfb xwininfo import xdotool curl; do
    command -v "$tool" >/dev/null 2>&1 || { echo "hero_screenshot.sh: '$tool' is missing" >&2; exit 2; }
done

home=$(mktemp -d "${TMPDIR:-/tmp}/codaiq-hero-XXXXXX")
sandbox_dir="$home/data/codaiq-desktop/sandbox"
mkdir -p "$sandbox_dir"
sandbox_pid=""
xvfb_pid=""
app_pid=""
cleanup() {
    for pid in "$app_pid" "$sandbox_pid"; do
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    if [ -n "$xvfb_pid" ]; then kill "$xvfb_pid" 2>/dev/null || true; wait "$xvfb_pid" 2>/dev/null || true; fi
    rm -rf "$home"
}
trap cleanup EXIT

# 1. Sites on the sandbox the app will use (its default key owns them).
.venv/bin/codaiq-desktop sandbox --data "$sandbox_dir" --port 0 --build-seconds 0.5 --ready-json \
    >"$home/sandbox.json" 2>"$home/sandbox.log" &
sandbox_pid=$!
for _ in $(seq 1 100); do [ -s "$home/sandbox.json" ] && break; sleep 0.1; done
base=$(.venv/bin/python -c "import json,sys; d=json.loads(open(sys.argv[1]).readline()); print(d['baseUrl'])" "$home/sandbox.json")
key=$(.venv/bin/python -c "import json,sys; d=json.loads(open(sys.argv[1]).readline()); print(d['apiKey'])" "$home/sandbox.json")
for prompt in "A yoga studio in Bristol with small classes and a free first class" \
              "Portfolio for a wedding photographer in Lisbon" \
              "A family-run Italian restaurant in Leeds with online booking"; do
    curl -sf -X POST "$base/generate" -H "X-API-Key: $key" -H "Content-Type: application/json" \
        -d "{\"prompt\": \"$prompt\"}" >/dev/null
done
sleep 3
kill -TERM "$sandbox_pid"; wait "$sandbox_pid" 2>/dev/null || true; sandbox_pid=""

# 2. The app on that folder, in a real X window.
display=""
for n in $(seq 161 220); do
    if [ ! -e "/tmp/.X$n-lock" ] && [ ! -e "/tmp/.X11-unix/X$n" ]; then display=":$n"; break; fi
done
Xvfb "$display" -screen 0 1440x900x24 -nolisten tcp -noreset >"$home/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 1 100); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.05; done
mkdir -p "$home/config/codaiq-desktop" "$home/state" "$home/cache" "$home/runtime"
chmod 700 "$home/runtime"
echo '{"accounts": [], "active": null}' >"$home/config/codaiq-desktop/accounts.json"
printf '[window]\nlastTab=projects\n' >"$home/config/codaiq-desktop/settings.ini"
export DISPLAY="$display" QT_QPA_PLATFORM=xcb
export HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" \
    XDG_STATE_HOME="$home/state" XDG_CACHE_HOME="$home/cache" XDG_RUNTIME_DIR="$home/runtime"
export PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring
export QTWEBENGINE_CHROMIUM_FLAGS="--disable-gpu --disable-logging"
[ "$(id -u)" = "0" ] && export QTWEBENGINE_DISABLE_SANDBOX=1
unset WAYLAND_DISPLAY CODAIQ_API_KEY CODAIQ_BASE_URL
setsid .venv/bin/codaiq-desktop >"$home/app-output.txt" 2>&1 &
app_pid=$!
find_window() {
    # The biggest mapped top-level window named "Codaiq ..." (no window manager: no decorations).
    window=$(xwininfo -root -children 2>/dev/null \
        | awk '/"Codaiq/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+x[0-9]+\+/) { split($i, g, /[x+]/); print g[1] * g[2], $1 } }' \
        | sort -n | tail -1 | cut -d' ' -f2)
}
window=""
for _ in $(seq 1 100); do
    find_window
    [ -n "$window" ] && break
    sleep 0.2
done
[ -n "$window" ] || { echo "hero_screenshot.sh: the app's window never appeared" >&2; cat "$home/app-output.txt" >&2; exit 1; }
sleep 8
find_window  # the main window, once it replaced any start-up window
# Find the restaurant (Ctrl+F, its name), select its website row, open the Preview tab.
xdotool mousemove --window "$window" 400 73 click 1
xdotool windowfocus "$window" 2>/dev/null || true
xdotool type --delay 40 "Nonna"
sleep 1
xdotool mousemove --window "$window" 120 154 click 1
sleep 1
xdotool mousemove --window "$window" 680 109 click 1
sleep 6
find_window
mkdir -p "$(dirname "$output")"
import -display "$display" -window "$window" "$output"
echo "$output ($(identify -format '%wx%h' "$output"))"
