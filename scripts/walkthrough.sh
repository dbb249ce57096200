#!/usr/bin/env bash
# A new user's first hour, replayed end to end, with screenshots to look at afterwards.
#
#   scripts/walkthrough.sh [OUTPUT_DIR]      # default: tests/screenshots/walkthrough
#
# From a fresh clone of this repository's committed HEAD, in a throw-away home, on a private
# Xvfb display with no window manager (as root if run as root, like a container), it:
#   1. runs the README's set-up command, ./scripts/start.sh (installs into the clone's .venv,
#      then starts the app), and answers the first-run question (local sandbox);
#   2. generates a site from a prompt in the Generate tab (keyboard: Alt+D, type, Ctrl+Enter)
#      and waits for the build and the preview that opens by itself;
#   3. edits the SEO title in Projects > Details (Alt+D, Alt+S, type, Ctrl+S);
#   4. exports the site as a ZIP (Ctrl+E, the file dialog);
#   5. sends a lead through the site's own form endpoint, as a visitor would, and waits for it
#      to reach the app's inbox;
#   6. stops the app with SIGTERM, expecting exit status 0,
# then checks: the app never died and logged no traceback, the exported ZIP's index.html has
# the new title and no file in it holds a loopback URL, the lead is in the inbox.
# Every step leaves a PNG in OUTPUT_DIR; a failed step says which, and the screenshots show why.
#
# Input goes through xdotool as a person's would (keys, the keyboard shortcuts the app
# offers); results are read from the app's own files (the sandbox's and the inbox's SQLite).
#
# Environment:
#   REPO=PATH   repository to clone (default: the one this script is in; uncommitted changes are not in a clone)
#   KEEP=1      keep the work folder (the clone with its .venv, the home, the logs) and print where
#   SCREEN      Xvfb screen geometry (default 1440x900x24)
#
# Needs: git, Xvfb, xdotool, imagemagick (import), iproute2 (ss); scripts/install-system-deps.sh installs them.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
repo="${REPO:-$here}"
out="${1:-$here/tests/screenshots/walkthrough}"
screen="${SCREEN:-1440x900x24}"
prompt="A bakery in Leeds with a wedding cake page and an order form"
new_title="Crumb Bakery Leeds - Wedding cakes baked to order"

for tool in git Xvfb xdotool import ss; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "walkthrough: '$tool' is missing (run scripts/install-system-deps.sh)" >&2
        exit 2
    fi
done

mkdir -p "$out"
rm -f "$out"/*.png
work=$(mktemp -d "${TMPDIR:-/tmp}/codaiq-walkthrough-XXXXXX")
home="$work/home"
clone="$work/codaiq-desktop"
export_zip="$work/exported-site.zip"
xvfb_pid=""
app_pid=""
step_name="setting up"
shots=0

say() { printf '[walkthrough %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
fail() {
    say "FAILED while $step_name: $*"
    shot "failure" || true
    if [ -f "$work/app-output.txt" ]; then
        say "last lines of the app's output:"
        tail -n 30 "$work/app-output.txt" >&2 || true
    fi
    exit 1
}
step() { step_name="$*"; say "$*"; }

cleanup() {
    if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
        kill -TERM "$app_pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL -- "-$app_pid" 2>/dev/null || kill -KILL "$app_pid" 2>/dev/null || true
    fi
    if [ -n "$xvfb_pid" ]; then kill "$xvfb_pid" 2>/dev/null || true; wait "$xvfb_pid" 2>/dev/null || true; fi
    if [ "${KEEP:-0}" = "1" ]; then say "kept the work folder at $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# Poll a shell condition until it holds (or fail after $2 seconds, naming $3).
wait_for() {
    local condition=$1 seconds=$2 what=$3 deadline
    deadline=$(($(date +%s) + seconds))
    until eval "$condition"; do
        if [ "$(date +%s)" -ge "$deadline" ]; then fail "timed out after ${seconds}s waiting for $what"; fi
        if [ -n "$app_pid" ] && ! kill -0 "$app_pid" 2>/dev/null; then fail "the app exited (it should not have)"; fi
        sleep 0.5
    done
}

# --- the display ---------------------------------------------------------------------------
display=""
for n in $(seq 170 250); do
    if [ ! -e "/tmp/.X$n-lock" ] && [ ! -e "/tmp/.X11-unix/X$n" ]; then display=":$n"; break; fi
done
[ -n "$display" ] || fail "no free X display number"
Xvfb "$display" -screen 0 "$screen" -nolisten tcp -noreset >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
wait_for '[ -e "/tmp/.X11-unix/X${display#:}" ]' 20 "Xvfb"
export DISPLAY="$display"

shot() {
    shots=$((shots + 1))
    local file
    file="$out/$(printf '%02d' "$shots")-$1.png"
    import -display "$display" -window root "$file" 2>/dev/null && say "screenshot $file"
}

# The app's biggest top-level window (Qt may replace the native window, e.g. when the
# preview's web view first appears, so it is looked up again every time).
main_window() {
    xdotool search --onlyvisible --name '^Codaiq Desktop$' 2>/dev/null | while read -r id; do
        geometry=$(xdotool getwindowgeometry "$id" 2>/dev/null | awk '/Geometry/ {print $2}')
        [ -n "$geometry" ] && echo "$(( ${geometry%x*} * ${geometry#*x} )) $id"
    done | sort -n | tail -1 | cut -d' ' -f2
}
# Keys to the main window, as typed: the pointer rests on its menu bar, the window has focus.
keys() {
    local window
    window=$(main_window)
    [ -n "$window" ] || fail "the main window is gone"
    xdotool mousemove --window "$window" 400 12 2>/dev/null || true
    xdotool windowfocus --sync "$window" 2>/dev/null || true
    sleep 0.2
    xdotool key --delay 120 "$@"
    sleep 0.5
}
type_text() { xdotool type --delay 15 "$1"; sleep 0.3; }
# A mapped (visible) window whose title matches; dialogs may have hidden namesakes.
visible_window() { xdotool search --onlyvisible --name "$1" 2>/dev/null | tail -1; }
# Give a window the keyboard focus, then send it input as typed (XTEST, not synthetic events).
in_window() {
    local window=$1
    shift
    [ -n "$window" ] || fail "the window for '$*' is gone"
    xdotool windowfocus --sync "$window" 2>/dev/null || true
    sleep 0.2
    xdotool "$@"
    sleep 0.3
}

# --- 1. a fresh clone, the README's command --------------------------------------------------
step "cloning $repo"
git clone --quiet "$repo" "$clone"
mkdir -p "$home"/{config,data,state,cache,runtime}
chmod 700 "$home/runtime"
# pip's cache is the real one: the clone's first install needs no download already made.
pip_cache="$(python3 -m pip cache dir 2>/dev/null || true)"
[ -n "$pip_cache" ] && export PIP_CACHE_DIR="$pip_cache"
export HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" \
    XDG_STATE_HOME="$home/state" XDG_CACHE_HOME="$home/cache" XDG_RUNTIME_DIR="$home/runtime"
export QT_QPA_PLATFORM=xcb PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring
# Nothing from a test or a developer's shell: the app must manage on its own (root included).
unset QTWEBENGINE_DISABLE_SANDBOX QTWEBENGINE_CHROMIUM_FLAGS WAYLAND_DISPLAY CODAIQ_API_KEY CODAIQ_BASE_URL

step "running ./scripts/start.sh in the clone (first run: installs into its .venv)"
(cd "$clone" && setsid ./scripts/start.sh >"$work/app-output.txt" 2>&1) &
app_pid=$!
app_data="$home/data/codaiq-desktop"
app_log() { cat "$home"/state/codaiq-desktop/log/*.log 2>/dev/null || true; }
wait_for '[ -n "$(visible_window "^Welcome to Codaiq")" ]' 1200 "the first-run question"
sleep 1
shot "first-run-question"

step "choosing the local sandbox"
in_window "$(visible_window "^Welcome to Codaiq")" key Return
wait_for '[ -z "$(visible_window "^Welcome to Codaiq")" ]' 30 "the first-run question to close"

py="$clone/.venv/bin/python"
sandbox_db="$app_data/sandbox/sandbox.sqlite3"
# The sandbox child's pid (its data folder lock) and the port it listens on.
sandbox_root() {
    local pid port
    pid=$(cat "$app_data/sandbox/sandbox.lock" 2>/dev/null || true)
    [ -n "$pid" ] || return 1
    port=$(ss -ltnpH 2>/dev/null | grep "pid=$pid," | awk '{print $4}' | sed 's/.*://' | head -1)
    [ -n "$port" ] || return 1
    echo "http://127.0.0.1:$port"
}
wait_for 'sandbox_root >/dev/null' 60 "the local sandbox to listen"
root_url=$(sandbox_root)
say "the sandbox listens at $root_url"
sleep 2
shot "started-on-the-sandbox"

# --- 2. generate ------------------------------------------------------------------------------
tab_key() { "$py" -c "from codaiq_desktop.ui.shell.main_window import TABS; print([t.key for t in TABS].index('$1') + 1)"; }
step "generating a site: \"$prompt\""
keys "ctrl+$(tab_key generate)"
keys alt+d
type_text "$prompt"
shot "prompt-typed"
keys ctrl+Return
# The build: the sandbox's own database says when it is ready.
website_field() {  # website_field SQL-EXPRESSION: of the one website (empty until there is one)
    "$py" - "$sandbox_db" "$1" <<'EOF' 2>/dev/null
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
row = db.execute(f"SELECT {sys.argv[2]} FROM websites ORDER BY created_at LIMIT 1").fetchone()
print("" if row is None or row[0] is None else row[0])
EOF
}
wait_for '[ "$(website_field "json_extract(metadata, '"'"'$.buildStatus'"'"')")" = "ready" ]' 120 "the build to be ready"
website_id=$(website_field id)
say "website $website_id is built"
# The preview opens by itself in Projects once the build is ready.
sleep 6
shot "preview-after-build"

# --- 3. SEO title -----------------------------------------------------------------------------
step "editing the SEO title to \"$new_title\""
keys "ctrl+$(tab_key projects)"
keys alt+d
sleep 1
shot "details"
keys alt+s ctrl+a
type_text "$new_title"
keys ctrl+s
wait_for '[ "$(website_field "json_extract(metadata, '"'"'$.seoTitle'"'"')")" = "$new_title" ]' 30 "the new SEO title to reach the sandbox"
sleep 1
shot "seo-title-saved"
keys alt+p
sleep 4
shot "preview-after-save"

# --- 4. export --------------------------------------------------------------------------------
step "exporting the site to $export_zip"
keys ctrl+e
wait_for '[ -n "$(visible_window "^Export website as ZIP$")" ]' 30 "the export file dialog"
sleep 1
shot "export-dialog"
in_window "$(visible_window "^Export website as ZIP$")" key ctrl+a
xdotool type --delay 15 "$export_zip"
xdotool key Return
wait_for '[ -s "$export_zip" ] && [ -n "$(visible_window "^Export finished$")" ]' 60 "the exported ZIP and its confirmation"
sleep 1
shot "export-finished"
in_window "$(visible_window "^Export finished$")" key Escape

# --- 5. a lead --------------------------------------------------------------------------------
step "sending a lead through the site's form, as a visitor would"
lead_status=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$root_url/sites/$website_id/lead" \
    --data-urlencode "name=Jane Walker" --data-urlencode "email=jane.walker@example.com" \
    --data-urlencode "message=Could you bake a three-tier cake for 14 June?" 2>/dev/null || true)
case "$lead_status" in 2??|3??) ;; *) fail "the site's lead form answered $lead_status" ;; esac
inbox_leads() {
    "$py" - "$app_data/store.sqlite3" <<'EOF' 2>/dev/null || echo 0
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
print(db.execute("SELECT count(*) FROM leads WHERE email = 'jane.walker@example.com'").fetchone()[0])
EOF
}
wait_for '[ "$(inbox_leads)" = "1" ]' 60 "the lead in the app's inbox"
sleep 1
shot "lead-received"
keys "ctrl+$(tab_key leads)"
sleep 1
shot "leads-tab"

# --- 6. stop ----------------------------------------------------------------------------------
step "closing the app (SIGTERM)"
kill -0 "$app_pid" 2>/dev/null || fail "the app is not running any more"
# start.sh ran in a subshell and exec'd the app: the subshell's one child is the app.
app_python=$(pgrep -P "$app_pid" | head -1 || true)
[ -n "$app_python" ] || fail "cannot find the app's process"
kill -TERM "$app_python"
status=0
wait "$app_pid" || status=$?
app_pid=""
[ "$status" = "0" ] || fail "the app exited with status $status"

# --- checks -----------------------------------------------------------------------------------
step "checking the log, the exported ZIP and the inbox"
if app_log | grep -q "Traceback"; then
    app_log | grep -n -A5 "Traceback" | head -40 >&2
    fail "the app's log holds a traceback"
fi
if grep -q "Running as root without --no-sandbox" "$work/app-output.txt"; then fail "Chromium refused to run as root"; fi
"$py" - "$export_zip" "$new_title" <<'EOF' || fail "the exported ZIP is wrong (see above)"
import re, sys, zipfile

path, title = sys.argv[1], sys.argv[2]
archive = zipfile.ZipFile(path)
names = archive.namelist()
index = next((n for n in names if n.rsplit("/", 1)[-1] == "index.html" and n.count("/") <= 1), None)
problems = []
if index is None:
    problems.append(f"no index.html at the root: {names[:10]}")
else:
    html = archive.read(index).decode("utf-8", "replace")
    found = re.search(r"<title>(.*?)</title>", html, re.S)
    import html as html_module
    shown = html_module.unescape(found.group(1).strip()) if found else None
    if shown != title:
        problems.append(f"index.html's <title> is {shown!r}, not {title!r}")
loopback = re.compile(rb"(127\.0\.0\.1|localhost|\[::1\]|0\.0\.0\.0)(:\d+)?", re.I)
for name in names:
    match = loopback.search(archive.read(name))
    if match:
        problems.append(f"{name} holds a loopback address: {match.group(0).decode()}")
for problem in problems:
    print("walkthrough:", problem, file=sys.stderr)
print(f"walkthrough: the ZIP holds {len(names)} files; index.html is titled {title!r}" if not problems else "", file=sys.stderr)
sys.exit(1 if problems else 0)
EOF
say "PASSED: generated, previewed, edited the SEO title, exported, received a lead; $shots screenshots in $out"
