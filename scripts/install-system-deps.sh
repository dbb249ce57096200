#!/usr/bin/env bash
# Debian/Ubuntu system packages for a real Qt window (xcb), for the desktop-entry checks and
# for running the API docs' curl and JavaScript examples against the sandbox.
# Installs only what is missing; does nothing (and says so) where apt-get or root is unavailable.
set -uo pipefail

PACKAGES=(
    # Qt's xcb platform plugin
    libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
    libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0 libegl1 libfontconfig1
    # Qt WebEngine (the preview)
    libnss3 libxcomposite1 libxdamage1 libxrandr2 libxtst6 libxkbfile1 libasound2
    # validators used by the desktop-entry tests
    desktop-file-utils appstream
    # the docs' curl and JavaScript (fetch: Node.js 18+) examples, run by tests/sandbox/test_docs_examples.py
    curl nodejs
    # pdftotext, pdftoppm and pdfimages read back the client reports' PDFs in tests/ui/reports
    poppler-utils
    # the search-result preview measures text in Arial's metrics: Liberation Sans has the same widths
    # (tests/ui/seo measure known titles in it and in DejaVu Sans)
    fonts-liberation2 fonts-dejavu-core
    # the inbox server's PostgreSQL engine: tests start a throw-away cluster (initdb + pg_ctl)
    postgresql
    # scripts/walkthrough.sh (run by tests/reliability/test_walkthrough.py): a real X display,
    # keyboard input, screenshots, the sandbox's listening port, a fresh clone
    xvfb xdotool imagemagick x11-utils iproute2 git
)

if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
    echo "install-system-deps: no apt-get here; install the packages above with your system's tools." >&2
    exit 0
fi

missing=()
for package in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "install-system-deps: not root; please install: ${missing[*]}" >&2
        exit 0
    fi
fi
echo "install-system-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null 2>&1 || true
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
    || echo "install-system-deps: some packages could not be installed; tests that need them will skip." >&2
exit 0
