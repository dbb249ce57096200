"""Speed and memory benchmarks. Run them all with ``python -m benchmarks``."""


def exit_status(rows: list[dict]) -> int:
    """A benchmark run on its own exits 1 when a row missed its target (``ok`` is False);
    rows with ``ok`` None are figures without a target and never count."""
    return 0 if all(row.get("ok") is not False for row in rows) else 1
