#!/usr/bin/env bash
# Take a screenshot of Codaiq Desktop in a real X window (Xvfb), as a person would see it.
#
#   scripts/screenshot.sh [OUTPUT.png] [SECONDS]        # default: tests/screenshots/codaiq-desktop.png, 8 s
#   APP=packaging/dist/codaiq-desktop/codaiq-desktop scripts/screenshot.sh bundle.png
#
# The app runs with QT_QPA_PLATFORM=xcb on a private Xvfb display, in a throw-away home
# (so no real settings or keys are touched), on its local sandbox; after SECONDS the app's
# window (or, if it cannot be found, the whole screen) is saved as a PNG.
#
# Environment:
#   APP         the command to run (default: .venv/bin/codaiq-desktop)
#   SCREEN      Xvfb screen geometry (default: 1440x900x24)
#   FIRST_RUN=1 start as a first run (shows the first-run question instead of the sandbox)
#   TAB=NAME    open on this tab (overview, generate, projects, leads, analytics, events)
#   THEME=dark  light or dark theme (default: the app's, which follows the system)
#   KEEP_HOME=1 keep the throw-away home (logs, data) and print where it is
#
# Needs (Debian/Ubuntu): sudo apt-get install xvfb x11-utils imagemagick \
#   libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 \
#   libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0 libegl1 libfontconfig1
set -euo pipefail
cd "$(dirname "$0")/.."

output=${1:-tests/screenshots/codaiq-desktop.png}
wait_seconds=${2:-8}
app=${APP:-.venv/bin/codaiq-desktop}
screen=${SCREEN:-1440x900x24}

for tool in Xvfb xwininfo import; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "screenshot.sh: '$tool' is missing; install: sudo apt-get install xvfb x11-utils imagemagick" >&2
        exit 2
    fi
done
if ! command -v "${app%% *}" >/dev/null 2>&1 && [ ! -x "${app%% *}" ]; then
    echo "screenshot.sh: no app at '$app' (run scripts/start.sh once, or set APP=...)" >&2
    exit 2
fi

# A display number nobody uses.
display=""
for n in $(seq 90 160); do
    if [ ! -e "/tmp/.X$n-lock" ] && [ ! -e "/tmp/.X11-unix/X$n" ]; then display=":$n"; break; fi
done
[ -n "$display" ] || { echo "screenshot.sh: no free X display number" >&2; exit 1; }

home=$(mktemp -d "${TMPDIR:-/tmp}/codaiq-screenshot-XXXXXX")
xvfb_pid=""
app_pid=""
cleanup() {
    if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
        kill -TERM "$app_pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL -- "-$app_pid" 2>/dev/null || kill -KILL "$app_pid" 2>/dev/null || true
    fi
    if [ -n "$xvfb_pid" ]; then kill "$xvfb_pid" 2>/dev/null || true; wait "$xvfb_pid" 2>/dev/null || true; fi
    if [ "${KEEP_HOME:-0}" = "1" ]; then echo "kept the app's home at $home"; else rm -rf "$home"; fi
}
trap cleanup EXIT

Xvfb "$display" -screen 0 "$screen" -nolisten tcp -noreset >"$home/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 1 100); do
    [ -e "/tmp/.X11-unix/X${display#:}" ] && break
    kill -0 "$xvfb_pid" 2>/dev/null || { echo "screenshot.sh: Xvfb failed:" >&2; cat "$home/xvfb.log" >&2; exit 1; }
    sleep 0.05
done

mkdir -p "$home/config/codaiq-desktop" "$home/data" "$home/state" "$home/cache" "$home/runtime"
chmod 700 "$home/runtime"
if [ "${FIRST_RUN:-0}" != "1" ]; then
    # No active account: the app starts on its local sandbox without the first-run question.
    echo '{"accounts": [], "active": null}' >"$home/config/codaiq-desktop/accounts.json"
fi
if [ -n "${TAB:-}" ]; then
    printf '[window]\nlastTab=%s\n' "$TAB" >>"$home/config/codaiq-desktop/settings.ini"
fi
if [ -n "${THEME:-}" ]; then
    printf '[appearance]\ntheme=%s\n' "$THEME" >>"$home/config/codaiq-desktop/settings.ini"
fi

export DISPLAY="$display" QT_QPA_PLATFORM=xcb
export HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" \
    XDG_STATE_HOME="$home/state" XDG_CACHE_HOME="$home/cache" XDG_RUNTIME_DIR="$home/runtime"
export PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring
export QTWEBENGINE_CHROMIUM_FLAGS="--disable-gpu --disable-logging"
[ "$(id -u)" = "0" ] && export QTWEBENGINE_DISABLE_SANDBOX=1
unset WAYLAND_DISPLAY CODAIQ_API_KEY CODAIQ_BASE_URL

setsid $app >"$home/app-output.txt" 2>&1 &
app_pid=$!
sleep "$wait_seconds"
if ! kill -0 "$app_pid" 2>/dev/null; then
    echo "screenshot.sh: the app exited before the screenshot; its output:" >&2
    cat "$home/app-output.txt" >&2
    exit 1
fi

mkdir -p "$(dirname "$output")"
# The biggest mapped top-level window named "Codaiq ..." (no window manager: no decorations).
window=$(xwininfo -display "$display" -root -children 2>/dev/null \
    | awk '/"Codaiq/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+x[0-9]+\+/) { split($i, g, /[x+]/); print g[1] * g[2], $1 } }' \
    | sort -n | tail -1 | cut -d' ' -f2)
if [ -n "$window" ]; then
    import -display "$display" -window "$window" "$output"
else
    echo "screenshot.sh: no 'Codaiq' window found; saving the whole screen" >&2
    import -display "$display" -window root "$output"
fi
echo "$output ($(identify -format '%wx%h' "$output"))"
