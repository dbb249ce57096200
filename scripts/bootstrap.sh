#!/usr/bin/env bash
# Create (or reuse) the project's virtual environment and install the package.
# Usage: scripts/bootstrap.sh [EXTRAS]   e.g. scripts/bootstrap.sh test
#
# Installing needs the package index and takes seconds even when nothing changed, so it
# runs only when .venv is missing, pyproject.toml changed since the last install, or
# extras are asked for that were not installed: .venv/.codaiq-installed records what the
# last successful install was made from. Otherwise this returns at once and works offline.
# FORCE_INSTALL=1 installs regardless.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
STAMP=.venv/.codaiq-installed

file_hash() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d' ' -f1
    else
        shasum -a 256 "$1" | cut -d' ' -f1
    fi
}

# The extras asked for now, and those the last install brought (comma-separated, sorted).
# The common case (nothing to do) runs on shell builtins alone: it precedes every start.
wanted="${1:-}"
installed_hash=""
installed_extras=""
if [ -f "$STAMP" ]; then
    while IFS='=' read -r key value; do
        case "$key" in
            pyproject) installed_hash=$value ;;
            extras) installed_extras=$value ;;
        esac
    done <"$STAMP"
fi
extras=$installed_extras
if [ -n "$wanted" ]; then
    extras=$(printf '%s\n' ${wanted//,/ } ${installed_extras//,/ } | sed '/^$/d' | sort -u | paste -sd, -)
fi

needs_install=0
if [ ! -x .venv/bin/python ] || [ ! -f "$STAMP" ] || [ "${FORCE_INSTALL:-0}" = "1" ]; then
    needs_install=1
elif [ "$extras" != "$installed_extras" ]; then
    needs_install=1  # an extra was asked for that the last install did not bring
elif [ pyproject.toml -nt "$STAMP" ]; then
    # Touched since the install (a checkout, an edit): compare contents, not times.
    if [ "$installed_hash" = "$(file_hash pyproject.toml)" ]; then
        touch "$STAMP"
    else
        needs_install=1
    fi
fi
if [ "$needs_install" = "0" ]; then
    exit 0
fi

if [ ! -x .venv/bin/python ]; then
    if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        echo "Codaiq Desktop needs Python 3.11 or newer; '$PYTHON' is $("$PYTHON" --version 2>&1)." >&2
        echo "Set PYTHON=/path/to/python3.11 and run again." >&2
        exit 1
    fi
    "$PYTHON" -m venv .venv
    .venv/bin/python -m pip install --quiet --upgrade pip
fi

rm -f "$STAMP"  # a failed or interrupted install must not count as done
spec="."
if [ -n "$extras" ]; then
    spec=".[$extras]"
fi
echo "Installing Codaiq Desktop into .venv (pyproject.toml is new or changed)..." >&2
# setuptools' one-line notice about editable installs says nothing to act on: hide it.
if ! PYTHONWARNINGS="ignore:Editable installation" .venv/bin/python -m pip install --quiet --editable "$spec"; then
    echo "Installing into .venv failed (see above). Without network access the package index is" >&2
    echo "unreachable: connect and run this again (it installs only when pyproject.toml changed)." >&2
    exit 1
fi
printf 'pyproject=%s\nextras=%s\n' "$(file_hash pyproject.toml)" "$extras" >"$STAMP"
