#!/usr/bin/env bash
# Install Codaiq Desktop with its test extras into .venv and run the test suite.
# Extra arguments go to pytest, e.g. scripts/test.sh tests/api -x
#
# scripts/test.sh --fast   the fast loop while working: everything except the tests marked
#                          slow, fuzz or soak, spread over the machine's cores (pytest-xdist).
#                          CI runs the whole suite (no --fast).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh test
if [ "${1:-}" = "--fast" ]; then
    shift
    exec .venv/bin/python -m pytest -m "not slow and not fuzz and not soak" -n "${FAST_WORKERS:-auto}" -q "$@"
fi
exec .venv/bin/python -m pytest "$@"
