#!/usr/bin/env bash
# Install Codaiq Desktop into .venv (first run only takes long) and start the app.
# With no account configured, the app runs on its embedded local sandbox.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
exec .venv/bin/codaiq-desktop "$@"
