"""Run the project's benchmarks: `make bench` (all) or `make bench BENCH_ARGS=tagging`.

Each benchmark lives in its own module with a `main(argv) -> int`; it prints its figures
and writes them as JSON under benchmarks/results/. Timings are only ever reported here,
never asserted in tests: the machine is shared and noisy.
"""

from __future__ import annotations

import importlib
import os
import sys

BENCHMARKS = ["ingest", "tagging", "dashboard", "soak"]


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")
    names = [a for a in argv if not a.startswith("-")] or BENCHMARKS
    options = [a for a in argv if a.startswith("-")]
    status = 0
    for name in names:
        if name not in BENCHMARKS:
            print(f"unknown benchmark {name!r}; choose from {', '.join(BENCHMARKS)}", file=sys.stderr)
            return 2
        try:
            module = importlib.import_module(f"benchmarks.{name}")
        except ModuleNotFoundError as exc:
            print(f"benchmark {name}: not available ({exc})", file=sys.stderr)
            status = 1
            continue
        print(f"== {name} ==", flush=True)
        status = module.main(options) or status
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
