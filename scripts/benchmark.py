"""Run every area benchmark (sample, import, value, lifecycle, churn, complaints, engines).

Each `scripts/benchmark_<area>.py` prints its own table of time and peak memory; the figures
in README.md come from here. Not a test: timings belong in benchmarks, never in unit tests.
Usage: `make bench` or `.venv/bin/python scripts/benchmark.py [area ...]`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
AREAS = ("sample", "import", "value", "lifecycle", "churn", "complaints", "engines")
ARGS = {"lifecycle": ["--shuffle", "--steps", "--repeat", "5"]}  # as quoted in README.md


def main(argv: list[str]) -> int:
    areas = argv or list(AREAS)
    status = 0
    for area in areas:
        script = HERE / f"benchmark_{area}.py"
        print(f"\n=== {area} ({script.name}) ===", flush=True)
        status |= subprocess.call([sys.executable, str(script), *ARGS.get(area, [])],
                                  cwd=HERE.parent)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
