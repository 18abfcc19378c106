"""Speed benchmarks for PMO Assistant: ingest throughput, unchanged re-ingest, search/ask latency.

Run with `python -m bench` (see bench/README.md). Figures are medians and ratios because the machines
that run this are small and shared; nothing here is a timed test that can fail a build.
"""
