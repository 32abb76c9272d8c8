"""Performance targets, measured by `make bench` (``python -m benchmarks``); never part of
the test suite. See ``benchmarks/__main__.py``."""
