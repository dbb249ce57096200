"""Speed and memory benchmarks. Run them all with ``python -m benchmarks``."""
