"""Run every benchmark with its default (quick) settings; each prints its own JSON."""

from __future__ import annotations

import subprocess
import sys

BENCHMARKS = (
    "bench_ingest",
    "bench_search",
    "bench_anchor",
    "bench_export",
    "bench_picture_export",
    "bench_articles",
    "bench_rowauth",
    "bench_formats",
    "bench_rekey",
)


def main() -> int:
    failed = 0
    for name in BENCHMARKS:
        print(f"== bench.{name}", flush=True)
        result = subprocess.run([sys.executable, "-m", f"bench.{name}"], check=False)
        failed += result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
