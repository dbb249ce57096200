#!/usr/bin/env bash
# Start Codaiq Desktop, installing it into .venv first when needed: on the first run (which
# takes a few minutes) and after pyproject.toml changed. Otherwise nothing is installed, so it
# starts offline and as fast as .venv/bin/codaiq-desktop, the command it runs.
# With no account configured, the app runs on its embedded local sandbox.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
exec .venv/bin/codaiq-desktop "$@"
