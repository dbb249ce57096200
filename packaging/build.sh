#!/usr/bin/env bash
# Build the Codaiq Desktop bundle with one command: packaging/dist/codaiq-desktop/.
#
#   packaging/build.sh            # set up .venv (with PyInstaller) if needed, then build
#   packaging/build.sh --clean    # also throw away PyInstaller's cache (packaging/build)
#
# Then check it:  .venv/bin/python packaging/smoke_test.py
# Environment: PYTHON=python3.X picks the interpreter used to create .venv;
# SKIP_BOOTSTRAP=1 uses .venv as it is.
set -euo pipefail
cd "$(dirname "$0")/.."

clean=()
for arg in "$@"; do
    case "$arg" in
        --clean) clean=(--clean) ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        *) echo "build.sh: unknown option $arg (try --help)" >&2; exit 2 ;;
    esac
done

if [ "${SKIP_BOOTSTRAP:-0}" != "1" ]; then
    echo "==> Installing Codaiq Desktop and PyInstaller into .venv"
    scripts/bootstrap.sh packaging
fi

echo "==> Building packaging/dist/codaiq-desktop (a few minutes)"
started=$(date +%s)
.venv/bin/python -m PyInstaller --noconfirm --log-level WARN "${clean[@]}" \
    --distpath packaging/dist --workpath packaging/build packaging/codaiq-desktop.spec
elapsed=$(( $(date +%s) - started ))

bundle=packaging/dist/codaiq-desktop
if [ ! -x "$bundle/codaiq-desktop" ]; then
    echo "build.sh: PyInstaller finished but $bundle/codaiq-desktop is missing" >&2
    exit 1
fi
"$bundle/codaiq-desktop" --version
echo "==> Built $bundle ($(du -sh "$bundle" | cut -f1)) in ${elapsed}s"
echo "    Run it:         $bundle/codaiq-desktop"
echo "    Smoke-test it:  .venv/bin/python packaging/smoke_test.py"
echo "    Add it to the application menu:  $bundle/codaiq-desktop install-desktop-entry"
