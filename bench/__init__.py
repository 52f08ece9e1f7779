"""Benchmarks: every hot path measured against its own ceiling, as ratios in one run.

``python -m bench`` (``make bench``) runs every script, prints one table and writes
``bench/results.json``. See docs/performance.md.
"""
