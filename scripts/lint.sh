#!/usr/bin/env bash
# Lint and type-check Codaiq Desktop: ruff (rules and format in pyproject.toml) and mypy (pyproject.toml's
# [tool.mypy]: every module typed, the api, store, receiver and signing strictly).
# Fails on the first finding; CI runs it before the tests (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
# mypy reads the types of everything the code imports: the test and server extras too.
scripts/bootstrap.sh dev,test,server
echo "ruff check..." >&2
.venv/bin/ruff check .
echo "ruff format --check..." >&2
.venv/bin/ruff format --check .
echo "mypy..." >&2
.venv/bin/mypy
