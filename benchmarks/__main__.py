"""Run every benchmark module and print their figures, then one summary table.

Each ``benchmarks/bench_*.py`` (and ``reliability_*.py``) is a script with a
``main() -> list[dict]`` that prints its own details and returns rows ``{"scenario", "figure", "target", "ok"}``
for the summary. Run one with ``python -m benchmarks.bench_sandbox``, all with
``python -m benchmarks`` (``--only sandbox,receiver`` to pick some).

A row's ``ok`` is ``True`` (target met), ``False`` (missed: ``NO`` in the table) or
``None`` (a figure for information, no target). The exit status is 1 when a benchmark
raised or any row missed its target, each named after the table; 0 otherwise.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import runpy
import sys
import time
import traceback
from pathlib import Path


def _discover() -> list[str]:
    here = Path(__file__).parent
    return sorted(
        info.name for info in pkgutil.iter_modules([str(here)]) if info.name.startswith(("bench_", "reliability_"))
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--only", help="comma-separated names, e.g. sandbox,receiver")
    args = parser.parse_args(argv)
    names = _discover()
    if args.only:
        wanted = {n.strip().removeprefix("bench_") for n in args.only.split(",")}
        names = [n for n in names if n.removeprefix("bench_") in wanted]
    summary: list[dict] = []
    errored: list[str] = []
    for name in names:
        print(f"\n=== {name} ===", flush=True)
        started = time.perf_counter()
        try:
            module = importlib.import_module(f"benchmarks.{name}")
            if hasattr(module, "main"):
                result = module.main()
                rows = result if isinstance(result, list) else []
            else:
                runpy.run_module(f"benchmarks.{name}", run_name="__main__")
                rows = []
        except Exception:  # noqa: BLE001 - a broken benchmark must not hide the others' figures
            traceback.print_exc()
            errored.append(name)
            rows = [{"scenario": name, "figure": "error", "target": "-", "ok": False, "raised": True}]
        print(f"({name} took {time.perf_counter() - started:.1f} s)")
        summary.extend(rows)
    if summary:
        width = max(len("scenario"), *(len(str(r["scenario"])) for r in summary))
        print("\n=== summary ===")
        print(f"{'scenario':<{width}}  {'figure':<28}  {'target':<20}  ok")
        for row in summary:
            mark = "yes" if row.get("ok") else ("-" if row.get("ok") is None else "NO")
            print(f"{row['scenario']:<{width}}  {str(row['figure']):<28}  {str(row['target']):<20}  {mark}")
    missed = [row for row in summary if row.get("ok") is not None and not row.get("ok") and not row.get("raised")]
    if errored:
        print(f"\nraised an error (traceback above): {', '.join(errored)}")
    if missed:
        print(f"\n{len(missed)} target(s) missed:")
        for row in missed:
            print(f"  {row['scenario']}: {row['figure']} (target {row['target']})")
    return 1 if errored or missed else 0


if __name__ == "__main__":
    sys.exit(main())
