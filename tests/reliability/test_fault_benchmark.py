"""The fault-storm benchmark keeps working and keeps its promises on a small run."""

from __future__ import annotations

import random

import pytest

from benchmarks import reliability_faults
from codaiq_desktop.sandbox.faults import FaultRule, FaultSwitch


def test_the_three_fault_rules_split_the_rate_in_equal_parts() -> None:
    rules = [
        FaultRule(path=r["path"], kind=r["kind"], probability=r["probability"])
        for r in reliability_faults.fault_rules(0.3)
    ]
    switch = FaultSwitch(rng=random.Random(1))
    switch.replace(rules)
    draws = 60_000
    fired = [switch.pick("GET", "/api/project") for _ in range(draws)]
    for kind in ("error", "drop", "rate_limit"):
        share = sum(1 for rule in fired if rule is not None and rule.kind == kind) / draws
        assert share == pytest.approx(0.1, abs=0.01), kind


@pytest.mark.slow
def test_a_short_storm_loses_nothing_doubles_nothing_and_explains_every_failure(
    capsys: pytest.CaptureFixture[str],
) -> None:
    rows = reliability_faults.main(["--requests", "60", "--fault-rate", "0.3", "--concurrency", "4", "--seed", "3"])
    by_scenario = {row["scenario"]: row for row in rows}
    assert by_scenario["faults: calls ending in success or a clear error"]["ok"]
    assert by_scenario["faults: duplicate leads + sites on server"]["figure"] == "0 + 0"
    assert by_scenario["faults: acknowledged leads + sites missing"]["figure"] == "0 + 0"
    printed = capsys.readouterr().out
    assert "60 calls" in printed and "retries made by the client:" in printed
    injected = int(printed.split(" faulted requests")[0].rsplit("= ", 1)[1])
    assert injected > 0  # the storm really injected faults
    assert {"scenario", "figure", "target", "ok"} <= set(rows[0])
