"""Benchmark: stages and patterns for many customers (target: 1,000,000 / 10,000,000 lines < 5 s).

Builds a synthetic order table with cheap NumPy (not the full sample generator): every customer
gets a start month, a relationship length, a rhythm and a basket; lines are drawn uniformly over
the relationship, some on the same day (line items), 3% of them refunds. Times
`customer_lifecycle` (and `stage_history`) and prints a table.

    .venv/bin/python scripts/benchmark_lifecycle.py [--customers N] [--lines M] [--repeat R]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crm_logic import store  # noqa: E402
from crm_logic.config import CrmConfig  # noqa: E402
from crm_logic.lifecycle import customer_lifecycle, stage_history  # noqa: E402

END = dt.date(2026, 6, 30)
YEARS = 4


def synthetic(n_customers: int, n_lines: int, seed: int = 1) -> store.CrmData:
    """Orders for `n_customers` with `n_lines` lines in total over the last YEARS years."""
    rng = np.random.default_rng(seed)
    end_day = (END - dt.date(1970, 1, 1)).days
    span_days = 365 * YEARS
    start = end_day - rng.integers(0, span_days, n_customers)
    length = np.minimum(rng.exponential(400, n_customers).astype(np.int64), end_day - start)
    weight = rng.lognormal(0, 0.8, n_customers)
    lines_per = rng.multinomial(n_lines - n_customers, weight / weight.sum()) + 1
    cust = np.repeat(np.arange(n_customers), lines_per)
    offset = (rng.random(n_lines) * (length[cust] + 1)).astype(np.int64)
    offset[np.cumsum(lines_per) - lines_per] = 0  # every customer's first line on its start
    day = start[cust] + offset
    amount = np.round(rng.lognormal(np.log(120), 0.7, n_lines), 2)
    refund = rng.random(n_lines) < 0.03
    amount[refund] *= -1
    churn_day = np.where(rng.random(n_customers) < 0.2, start + length + 30, -1)
    ids = pl.Series("customer_id", np.arange(n_customers)).cast(pl.String).str.zfill(8)
    orders = pl.DataFrame({
        "customer_id": ids.gather(cust),
        "order_date": pl.Series(day, dtype=pl.Int32).cast(pl.Date),
        "amount": amount,
    })
    orders = pl.concat([store.empty_frame("orders"), orders], how="diagonal")
    customers = pl.DataFrame({
        "customer_id": ids,
        "churn_date": pl.Series(churn_day.astype(np.int32)),
    }).with_columns(
        pl.when(pl.col("churn_date") >= 0).then(pl.col("churn_date")).cast(pl.Date)
    )
    customers = pl.concat([store.empty_frame("customers"), customers], how="diagonal")
    return store.CrmData(customers, orders, store.empty_frame("complaints"),
                         store.empty_frame("interactions"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--lines", type=int, default=10_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    t0 = time.perf_counter()
    data = synthetic(args.customers, args.lines)
    build = time.perf_counter() - t0
    cfg = CrmConfig()
    rows: list[tuple[str, str, float, str]] = [
        ("build synthetic data", f"{args.customers:,} customers / {args.lines:,} lines", build, ""),
    ]
    for period in ("month", "week", "quarter"):
        c = CrmConfig(lifecycle_period=period) if period != "month" else cfg
        times = []
        for _ in range(args.repeat if period == "month" else 1):
            t0 = time.perf_counter()
            life = customer_lifecycle(data, c, END)
            times.append(time.perf_counter() - t0)
        counts = life.group_by("lifecycle_pattern").len().sort("lifecycle_pattern")
        info = ", ".join(f"{k}={v:,}" for k, v in counts.iter_rows())
        target = "target < 5 s: " + ("met" if min(times) < 5 else "NOT met")
        rows.append((f"customer_lifecycle ({period})", info, min(times),
                     target if period == "month" else ""))
    t0 = time.perf_counter()
    hist = stage_history(data, cfg, END)
    rows.append(("stage_history (month)", f"{hist.height:,} customer-periods",
                 time.perf_counter() - t0, ""))

    print(f"{'step':<30} {'seconds':>8}  result")
    for step, info, sec, note in rows:
        print(f"{step:<30} {sec:>8.2f}  {info} {note}".rstrip())


if __name__ == "__main__":
    main()
