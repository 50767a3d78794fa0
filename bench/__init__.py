"""Benchmark scripts: `passage bench NAME` or `python bench/NAME.py` (see docs/benchmarks.md)."""
