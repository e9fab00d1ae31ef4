"""Benchmark: churn scoring (features, training on the past, flags, risk) for many customers.

Synthetic orders: each customer buys at its own rhythm until it leaves. Prints a table of
wall-clock seconds per step (best of 3) and the load average (other work on the machine slows
every step). Target (issue 5): 1,000,000 customers (~10M order lines) scored in under 5 s.
Usage: .venv/bin/python scripts/benchmark_churn.py [n_customers ...] [--shuffle]
(--shuffle: order lines in random order, as a store may hold them, instead of by customer)
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crm_logic import churn  # noqa: E402
from crm_logic.config import CrmConfig  # noqa: E402
from crm_logic.store import CrmData, empty_frame  # noqa: E402

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


def _steps(data: CrmData, cfg: CrmConfig, as_of: dt.date) -> dict[str, float]:
    """Seconds per step of `churn_scores` (the same calls, one by one), then in one call."""
    times: dict[str, float] = {}

    def step(name: str, fn):  # noqa: ANN001, ANN202
        t = time.perf_counter()
        out = fn()
        times[name] = time.perf_counter() - t
        return out

    days = step("purchase_days", lambda: churn.purchase_days(data.orders, as_of))
    feats = step("features", lambda: churn._features_at(days, data.complaints, cfg, as_of))
    p_alive = step("mbg_p_alive", lambda: churn._mbg_p_alive(feats))
    feats = feats.with_columns(p_alive=p_alive, value_tier=pl.lit(None, pl.String),
                               lifecycle_stage=pl.lit(None, pl.String))
    model = step("train", lambda: churn._train(days, data, cfg, as_of))
    assert model is not None
    step("predict", lambda: model.predict(churn._matrix(feats)))
    step("flags_levels_actions", lambda: feats.with_columns(churn.churn_flags(cfg)).with_columns(
        churn_risk=pl.lit(0.5)).with_columns(churn.risk_level_expr(cfg), churn.risk_flags_expr())
        .with_columns(churn.action_expr()))
    step("sort_by_id", lambda: churn._sorted_by_id(feats))
    scores = step("churn_scores", lambda: churn.churn_scores(data, cfg, as_of))
    times["customers"] = scores.height
    return times


def main(sizes: list[int], repeats: int = 3, shuffle: bool = False) -> None:
    """Best of `repeats` wall-clock seconds per step and for the whole `churn_scores`."""
    cfg = CrmConfig()
    as_of = START + dt.timedelta(days=DAYS - 1)
    names = ["purchase_days", "features", "mbg_p_alive", "train", "predict",
             "flags_levels_actions", "sort_by_id", "churn_scores"]
    print(f"load average before: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} "
          f"{os.getloadavg()[2]:.2f} (cores: {os.cpu_count()}); best of {repeats}"
          f"{'; order lines shuffled' if shuffle else ''}")
    print(f"{'customers':>10} {'order rows':>11} " + " ".join(f"{n:>13}" for n in names))
    for n in sizes:
        data = synthetic(n)
        if shuffle:
            data = CrmData(data.customers, data.orders.sample(fraction=1.0, shuffle=True, seed=3),
                           data.complaints, data.interactions)
        runs = [_steps(data, cfg, as_of) for _ in range(repeats)]
        best = {k: min(r[k] for r in runs) for k in names}
        print(f"{runs[0]['customers']:>10,.0f} {data.orders.height:>11,} "
              + " ".join(f"{best[k]:>13.2f}" for k in names))
    t = time.perf_counter()
    bt = churn.backtest(data, cfg, as_of - dt.timedelta(days=180), 180)
    print(f"backtest ({data.orders.height:,} rows): {time.perf_counter() - t:.2f} s, "
          f"AUC {bt.auc:.3f} (recency {bt.auc_recency:.3f})")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--shuffle"]
    main([int(a) for a in args] or [10_000, 100_000, 1_000_000], shuffle="--shuffle" in sys.argv)
