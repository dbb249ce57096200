"""Generated sites: how much copy they share, and how long one takes to generate.

    python -m benchmarks --only site_copy

Over the table of prompts the site tests use (several per kind, and odd ones), it prints the
cross-site reuse figure: the share of sentences of six words or more that appear word for word
on three or more sites (target: at most 15%), with the most shared sentences; and the CPU
time to generate one site (target: under 50 ms), against a baseline measured in the same run:
escaping the same amount of text, the least any generator producing those bytes must do.
"""

from __future__ import annotations

import statistics
import sys
import time
from html import escape
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from codaiq_desktop.sandbox.site_generator import generate_site
from codaiq_desktop.sandbox.site_generator.reading import reuse_share, site_text
from tests.sandbox.site_prompts import CASES

REUSE_TARGET = 0.15
GENERATION_TARGET_MS = 50.0
ROUNDS = 5


def main() -> list[dict[str, Any]]:
    prompts = [case.prompt for case in CASES]
    generate_site("warm up the regular expressions")
    texts = [site_text(generate_site(prompt).files) for prompt in prompts]
    share, common = reuse_share(texts)
    print(f"{len(prompts)} prompts, {len({generate_site(p).kind for p in prompts})} kinds")
    print(f"cross-site reuse: {share:.1%} of sentences (6+ words) appear on 3 or more sites (target <= 15%)")
    for sentence, sites in common[:8]:
        print(f"  on {sites} sites: {sentence}")

    samples: list[float] = []
    baseline: list[float] = []
    for _ in range(ROUNDS):
        for prompt in prompts:
            started = time.process_time()
            site = generate_site(prompt)
            samples.append((time.process_time() - started) * 1000)
            text = b"".join(site.files.values()).decode("utf-8")
            started = time.process_time()
            escape(text)
            "".join(part for part in text.split("\n"))
            baseline.append((time.process_time() - started) * 1000)
    samples.sort()
    mean, p95, worst = statistics.fmean(samples), samples[int(len(samples) * 0.95)], samples[-1]
    floor = statistics.fmean(baseline)
    print(
        f"generation: mean {mean:.1f} ms, p95 {p95:.1f} ms, max {worst:.1f} ms CPU per site "
        f"({len(samples)} sites); baseline (escape the same text) {floor:.2f} ms, ratio {mean / floor:.0f}x"
    )
    return [
        {
            "scenario": "site copy: cross-site sentence reuse",
            "figure": f"{share:.1%}",
            "target": "<= 15%",
            "ok": share <= REUSE_TARGET,
        },
        {
            "scenario": "site copy: generation time (p95)",
            "figure": f"{p95:.1f} ms",
            "target": "< 50 ms",
            "ok": p95 < GENERATION_TARGET_MS,
        },
        {
            "scenario": "site copy: generation vs escaping baseline",
            "figure": f"{mean / floor:.0f}x",
            "target": "-",
            "ok": None,
        },
    ]


if __name__ == "__main__":
    main()
