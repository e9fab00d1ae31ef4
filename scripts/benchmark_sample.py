"""Benchmark: the synthetic sample generator (target: 20,000 customers in under ~2 s).

Times `generate` for a few sizes (best of --repeat), writing the CSVs, and loading the
sample into a fresh store (`load_sample`, what `make run` does on an empty store). Also
prints how well the lifecycle classifier recovers the generator's truth (pattern of churned
customers, stage of active ones) as a check that the life curves are honest.

    .venv/bin/python scripts/benchmark_sample.py [--sizes 2000 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crm_logic import store  # noqa: E402
from crm_logic.sample import generate, load_sample, write_sample  # noqa: E402

END = dt.date(2026, 6, 30)


def _lifecycle_agreement(data: dict) -> str:
    """Share of truth recovered by crm_logic.lifecycle (if present), e.g. 'patterns 97.7%'."""
    try:
        import polars as pl

        from crm_logic.config import CrmConfig
        from crm_logic.lifecycle import customer_lifecycle
    except ImportError:
        return "lifecycle module not available"
    crm = store.CrmData(*(data[t] for t in store.TABLES))
    life = customer_lifecycle(crm, CrmConfig(), END)
    x = data["truth"].join(life, on="customer_id")
    churned = x.filter(pl.col("churned"))
    active = x.filter(~pl.col("churned"))
    pat = (churned["pattern"] == churned["lifecycle_pattern"]).fill_null(False).mean()
    stage = (active["stage"] == active["lifecycle_stage"]).fill_null(False).mean()
    return f"patterns {pat:.1%}, stages {stage:.1%} (lifecycle defaults)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[2_000, 20_000])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    rows: list[tuple[str, float, str]] = []
    for n in args.sizes:
        times = []
        data: dict = {}
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            data = generate(n_customers=n)
            times.append(time.perf_counter() - t0)
        counts = ", ".join(f"{t} {data[t].height:,}" for t in store.TABLES)
        note = " target < 2 s: " + ("met" if min(times) < 2 else "NOT met") if n == 20_000 else ""
        rows.append((f"generate {n:,}", min(times), counts + note))
        if n == max(args.sizes):
            rows.append((f"lifecycle check {n:,}", float("nan"), _lifecycle_agreement(data)))
            with tempfile.TemporaryDirectory() as tmp:
                t0 = time.perf_counter()
                write_sample(Path(tmp) / "csv", n_customers=n)
                rows.append((f"write_sample {n:,}", time.perf_counter() - t0, "5 CSV files"))
                con = store.connect(Path(tmp) / "crm.duckdb")
                try:
                    t0 = time.perf_counter()
                    line = load_sample(con, n_customers=n)
                    rows.append((f"load_sample {n:,}", time.perf_counter() - t0, line))
                except ImportError as exc:
                    rows.append((f"load_sample {n:,}", float("nan"), f"not available: {exc}"))
                finally:
                    con.close()

    print(f"{'step':<26} {'seconds':>8}  result")
    for step, sec, info in rows:
        print(f"{step:<26} {sec:>8.2f}  {info}")


if __name__ == "__main__":
    main()
