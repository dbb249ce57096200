"""The client benchmark runs under ``python -m benchmarks``, whose options it must not try to parse."""

from __future__ import annotations

import sys

import pytest

from benchmarks import __main__ as runner


def test_the_runner_runs_the_client_benchmark_and_prints_its_summary(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # What the process sees under `python -m benchmarks --only client`: the runner's options.
    monkeypatch.setattr(sys, "argv", ["python -m benchmarks", "--only", "client"])
    status = runner.main(["--only", "client"])
    out = capsys.readouterr().out
    assert "unrecognized arguments" not in out
    assert "raised an error" not in out
    summary = out.split("=== summary ===", 1)[1]
    # Speed targets are the benchmark's business, not the test's: on a loaded machine one may be
    # missed, which the runner reports as status 1 with the row named; any other 1 is a fault.
    if status != 0:
        assert status == 1 and "target(s) missed:" in out, out
    for scenario in ("client list_projects median", "client export throughput", "client export heap growth"):
        assert scenario in summary
    assert "error" not in summary.split()
