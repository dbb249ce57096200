#!/usr/bin/env bash
# Install Codaiq Desktop with its test extras into .venv and run the test suite.
# Extra arguments go to pytest, e.g. scripts/test.sh tests/api -x
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh test
exec .venv/bin/python -m pytest "$@"
