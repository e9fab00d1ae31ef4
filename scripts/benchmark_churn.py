"""Benchmark: churn scoring (features, training on the past, flags, risk) for many customers.

Synthetic orders: each customer buys at its own rhythm until it leaves. Prints a table of
wall-clock seconds per step. Target (issue 5): 1,000,000 customers scored in under 5 s.
Usage: .venv/bin/python scripts/benchmark_churn.py [n_customers ...]
"""

from __future__ import annotations

import datetime as dt
import sys
import time

import numpy as np
import polars as pl

from crm_logic import churn
from crm_logic.config import CrmConfig
from crm_logic.store import CrmData, empty_frame

START = dt.date(2022, 1, 1)
DAYS = 900


def synthetic(n: int, seed: int = 1) -> CrmData:
    """About 5 purchase occasions per customer on average, vectorised."""
    rng = np.random.default_rng(seed)
    first = rng.integers(0, DAYS - 30, n)
    gap = rng.choice([7.0, 14.0, 30.0, 60.0, 120.0], n)
    life = rng.exponential(250.0, n)
    k = np.minimum(rng.poisson(np.maximum(life / gap, 0.0)) + 1, 40)
    cust = np.repeat(np.arange(n), k)
    step = rng.exponential(np.repeat(gap, k)) + 1.0
    # day of each occasion: the customer's first day + the running sum of its own gaps
    csum = np.cumsum(step)
    starts = np.cumsum(k) - k
    within = csum - np.repeat(csum[starts], k)  # 0 on the first occasion
    day = np.repeat(first, k) + within.astype(np.int64)
    keep = day < DAYS
    cust, day = cust[keep], day[keep]
    dates = np.datetime64(START.isoformat(), "D") + day.astype("timedelta64[D]")
    orders = pl.DataFrame({
        "customer_id": pl.Series(cust).cast(pl.String),
        "order_date": pl.Series(dates).cast(pl.Date),
        "amount": rng.lognormal(3.5, 0.8, int(keep.sum())),
    })
    base = empty_frame("orders")
    orders = pl.concat([base, orders], how="diagonal_relaxed").select(base.columns)
    return CrmData(empty_frame("customers"), orders, empty_frame("complaints"),
                   empty_frame("interactions"))


def main(sizes: list[int]) -> None:
    cfg = CrmConfig()
    as_of = START + dt.timedelta(days=DAYS - 1)
    print(f"{'customers':>10} {'order rows':>11} {'features':>9} {'train':>7} "
          f"{'churn_scores':>13} {'backtest':>9} {'high':>8}")
    for n in sizes:
        data = synthetic(n)
        t0 = time.perf_counter()
        churn.customer_features(data, cfg, as_of).collect()
        t1 = time.perf_counter()
        churn.train_risk_model(data, cfg, as_of)
        t2 = time.perf_counter()
        scores = churn.churn_scores(data, cfg, as_of)
        t3 = time.perf_counter()
        churn.backtest(data, cfg, as_of - dt.timedelta(days=180), 180)
        t4 = time.perf_counter()
        high = churn.at_risk_counts(scores)["high"]
        print(f"{scores.height:>10,} {data.orders.height:>11,} {t1 - t0:>9.2f} {t2 - t1:>7.2f} "
              f"{t3 - t2:>13.2f} {t4 - t3:>9.2f} {high:>8,}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000, 1_000_000])
