"""Benchmark of the value backtest and intervals (issue 18 item 4) and of the two ways to
get parameter uncertainty (delta method vs bootstrap over customers).

A generated occasion summary of N customers (default 250,000): BG/NBD purchases and
Gamma-Gamma spend simulated in days over 730 days of calibration and 365 of holdout.
Timed (wall and process CPU, best of --repeat):
- backtest: fits at the cut-off (BG/NBD, MBG/NBD, Gamma-Gamma), the value table at the
  cut-off (predictions and intervals), both models' holdout scores, calibration and tier
  tables (`backtest_from_table`);
- intervals alone (`value_intervals` on every customer);
- delta method vs bootstrap (--boot resamples of customers, refit BG/NBD and Gamma-Gamma,
  total predicted revenue) on --boot-customers customers: time and the standard deviation
  of the total that each gives.

    .venv/bin/python scripts/benchmark_value_trust.py [--customers 250000] [--boot 40]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crm_logic import models  # noqa: E402
from crm_logic import segmentation as seg  # noqa: E402
from crm_logic.config import CrmConfig  # noqa: E402
from crm_logic.store import CrmData, empty_frame  # noqa: E402
from crm_logic.value.backtest import backtest_from_table  # noqa: E402
from crm_logic.value.intervals import value_intervals  # noqa: E402

CUT = dt.date(2024, 12, 31)


def simulate(n: int, seed: int = 1) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(summary at the cut-off in SUMMARY_COLUMNS, holdout actuals) for n customers."""
    rng = np.random.default_rng(seed)
    span, horizon = 730.0, 365.0
    first = np.floor(rng.uniform(0.0, span, n))
    T = span - first
    lam, drop, nu = rng.gamma(0.6, 1 / 40.0, n), rng.beta(0.8, 2.5, n), rng.gamma(4.0, 1 / 60, n)
    x, last, spend, hold_n, hold_r = (np.zeros(n) for _ in range(5))
    first_spend = rng.gamma(6.0, 1.0 / nu)
    t = np.zeros(n)
    alive = np.ones(n, dtype=bool)
    for _ in range(300):
        if not alive.any():
            break
        t = t + rng.exponential(1.0 / lam)
        z = rng.gamma(6.0, 1.0 / nu)
        cal, hold = alive & (t < T), alive & (t >= T) & (t < T + horizon)
        x += cal
        last = np.where(cal, np.floor(t), last)
        spend += np.where(cal, z, 0.0)
        hold_n += hold
        hold_r += np.where(hold, z, 0.0)
        alive &= (t < T + horizon) & (rng.random(n) >= drop)
    ids = [f"C{i:07d}" for i in range(n)]
    day = np.datetime64(CUT) - T.astype("timedelta64[D]")
    revenue = first_spend + spend
    summary = pl.DataFrame({
        "customer_id": ids, "first_order_date": day,
        "last_order_date": day + last.astype("timedelta64[D]"),
        "orders": (x + 1).astype(np.int64), "occasions": (x + 1).astype(np.int64),
        "frequency": x.astype(np.int64), "recency_days": last.astype(np.int64),
        "T_days": T.astype(np.int64), "tenure_days": T.astype(np.int64),
        "days_since_last": (T - last).astype(np.int64), "revenue": revenue,
        "margin_total": np.full(n, np.nan), "historic_value": revenue,
        "monetary_value": np.where(x > 0, spend / np.maximum(x, 1), np.nan),
    }).with_columns(pl.col("first_order_date").cast(pl.Date), pl.col("last_order_date")
                    .cast(pl.Date), pl.col("margin_total").fill_nan(None),
                    pl.col("monetary_value").fill_nan(None)).select(seg.SUMMARY_COLUMNS)
    actual = pl.DataFrame({"customer_id": ids, "actual_purchases": hold_n,
                           "actual_revenue": hold_r})
    return summary, actual


def timed(fn, repeat: int) -> tuple[float, float, object]:  # type: ignore[no-untyped-def]
    best_wall = best_cpu = float("inf")
    out = None
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        out = fn()
        best_wall = min(best_wall, time.perf_counter() - w)
        best_cpu = min(best_cpu, time.process_time() - c)
    return best_wall, best_cpu, out


def backtest(summary: pl.DataFrame, actual: pl.DataFrame) -> dict:
    cfg = dataclasses.replace(CrmConfig(), horizon_days=365)
    data = CrmData(*(empty_frame(t) for t in ("customers", "orders", "complaints",
                                              "interactions")))
    fits = seg.fit_models(summary)
    table, fits = seg.value_table(data, cfg, CUT, fits=fits, summary=summary, intervals=False)
    return backtest_from_table(table, fits, actual, cfg, {"models": {}})


def arrays(summary: pl.DataFrame) -> tuple[np.ndarray, ...]:
    return tuple(summary.get_column(c).cast(pl.Float64).fill_null(np.nan).to_numpy()
                 for c in ("frequency", "recency_days", "T_days", "monetary_value"))


def delta_vs_bootstrap(n: int, boot: int) -> None:
    summary, _ = simulate(n, seed=7)
    x, t_x, T, m = arrays(summary)

    def delta() -> tuple[float, float]:
        bg, gg = models.fit_bgnbd(x, t_x, T), models.fit_gamma_gamma(x, m)
        pop = gg.population_mean()
        spend = models.gg_expected_spend(gg, x, m, fallback=pop)
        iv = value_intervals(bg, gg, 365.0, x, t_x, T, m, spend, fallback=pop)
        return iv.total, iv.total_sd_param

    w_d, c_d, (total, sd_delta) = timed(delta, 1)
    rng = np.random.default_rng(3)
    totals = []
    w = time.perf_counter()
    c = time.process_time()
    for _ in range(boot):
        i = rng.integers(0, n, n)
        bg, gg = models.fit_bgnbd(x[i], t_x[i], T[i]), models.fit_gamma_gamma(x[i], m[i])
        spend = models.gg_expected_spend(gg, x, m, fallback=gg.population_mean())
        totals.append(float((models.bgnbd_expected_purchases(bg, 365.0, x, t_x, T)
                             * spend).sum()))
    w_b, c_b = time.perf_counter() - w, time.process_time() - c
    print(f"\nparameter uncertainty of the total, {n:,} customers (fit included):")
    print(f"  delta method: sd {sd_delta:,.0f} ({sd_delta / total:.2%} of {total:,.0f}); "
          f"{w_d:.2f} s wall, {c_d:.2f} s cpu")
    print(f"  bootstrap x{boot}: sd {np.std(totals, ddof=1):,.0f} "
          f"({np.std(totals, ddof=1) / total:.2%}); {w_b:.2f} s wall, {c_b:.2f} s cpu "
          f"({w_b / boot:.2f} s per resample)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=250_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--boot", type=int, default=40)
    ap.add_argument("--boot-customers", type=int, default=50_000)
    args = ap.parse_args()
    summary, actual = simulate(args.customers)
    print(f"{args.customers:,} customers, {int(summary['frequency'].sum()):,} repeat "
          f"occasions before the cut-off")
    w, c, out = timed(lambda: backtest(summary, actual), args.repeat)
    print(f"backtest (fits + value table with intervals + scores): {w:.2f} s wall, "
          f"{c:.2f} s cpu")
    print(f"  predicted/actual purchases {out['purchases_ratio']:.3f}, "  # type: ignore[index]
          f"coverage {out['coverage']:.1%}, spearman {out['spearman']:.2f}")  # type: ignore[index]
    x, t_x, T, m = arrays(summary)
    bg, gg = models.fit_bgnbd(x, t_x, T), models.fit_gamma_gamma(x, m)
    spend = models.gg_expected_spend(gg, x, m, fallback=gg.population_mean())
    w, c, _ = timed(lambda: value_intervals(bg, gg, 365.0, x, t_x, T, m, spend),
                    args.repeat)
    print(f"intervals alone: {w:.2f} s wall, {c:.2f} s cpu")
    if args.boot:
        delta_vs_bootstrap(args.boot_customers, args.boot)


if __name__ == "__main__":
    main()
