"""Benchmarks: each script prints JSON with ratios against a baseline measured in the same run."""
