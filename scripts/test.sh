#!/usr/bin/env bash
# Install Codaiq Desktop with its test extras into .venv and run the test suite.
# Extra arguments go to pytest, e.g. scripts/test.sh tests/api -x
#
# scripts/test.sh --fast   the fast loop while working: everything except the tests marked
#                          slow or soak, spread over three workers per core, at most 12
#                          (pytest-xdist; an idle worker takes queued tests from a busy one:
#                          --dist worksteal). Most tests spend much of their time waiting on a
#                          server, a child process or a signal: one worker per core left the
#                          cores half idle (1,363 tests, 2 cores: 188 s with 2 workers, 105-122 s
#                          with 6; FAST_WORKERS=N sets the number); the
#                          property and fuzz tests run a tenth of their examples
#                          (CODAIQ_TEST_BUDGET=fast, tests/fixtures/hypothesis_budget.py).
#                          CI runs the whole suite at the full budget (no --fast).
#                          Python writes its bytecode even where PYTHONDONTWRITEBYTECODE is set
#                          (CI images, these machines): otherwise every worker and every server
#                          or sandbox process a test starts compiles the package and pytest
#                          rewrites all 470 test modules again, run after run (collecting the
#                          suite: 30 s of CPU per worker, 10.5 s with the bytecode kept).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh test
if [ "${1:-}" = "--fast" ]; then
    shift
    export CODAIQ_TEST_BUDGET=fast
    unset PYTHONDONTWRITEBYTECODE
    cores=$(nproc 2>/dev/null || echo 2)
    workers=$((cores * 3 > 12 ? 12 : cores * 3))
    exec .venv/bin/python -m pytest -m "not slow and not soak" -n "${FAST_WORKERS:-$workers}" --dist worksteal -q "$@"
fi
exec .venv/bin/python -m pytest "$@"
