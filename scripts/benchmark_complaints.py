"""Benchmark of the complaint statistics on synthetic data of growing size; prints a table.

Usage: .venv/bin/python scripts/benchmark_complaints.py [--sizes 10000 100000 1000000]
Each size n: n complaints over n/10 customers, 10 x n order lines; times the page's work
(facts, every aggregate, churn groups) and the report.
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

from crm_logic import complaints as cl  # noqa: E402
from crm_logic.config import CrmConfig  # noqa: E402
from crm_logic.store import CrmData, empty_frame  # noqa: E402

START = dt.date(2020, 1, 1)
AS_OF = dt.date(2024, 12, 31)
SPAN = (AS_OF - START).days


def synthetic(n: int, seed: int = 1) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """complaints, orders, customers with the canonical columns that matter here."""
    rng = np.random.default_rng(seed)
    n_cust = max(n // 10, 1)
    cust = np.array([f"C{i:07d}" for i in range(n_cust)])
    received = pl.Series(rng.integers(0, SPAN, n)).cast(pl.Int32)
    days = rng.exponential(6, n).astype(np.int64)
    done = rng.random(n) < 0.8
    complaints = pl.DataFrame({
        "complaint_id": pl.Series([f"K{i:08d}" for i in range(n)]),
        "received_offset": received,
        "customer_id": rng.choice(cust, n),
        "product": rng.choice([f"P{i}" for i in range(50)], n),
        "category": rng.choice(["quality", "delivery", "service", "price", "billing", "other"], n),
        "description": pl.Series(["…"] * n),
        "sales_rep": rng.choice([f"R{i}" for i in range(30)], n),
        "channel": rng.choice(["phone", "email", "online", "store", "authority", "legal"], n),
        "desired_resolution": rng.choice(["refund", "replacement", "repair", "apology"], n),
        "reasonable": rng.random(n) < 0.7,
        "status": rng.choice(["已解决", "处理中", "待处理", "closed", "open"], n),
        "resolve_offset": np.where(done, days, -1),
        "satisfaction": rng.integers(1, 6, n).astype(float),
    }).with_columns(
        (pl.lit(START) + pl.duration(days=pl.col("received_offset"))).alias("received_date"),
    ).with_columns(
        pl.when(pl.col("resolve_offset") >= 0)
        .then(pl.col("received_date") + pl.duration(days=pl.col("resolve_offset")))
        .alias("resolved_date"),
    ).select("complaint_id", "received_date", "customer_id", "product", "category",
             "description", "sales_rep", "channel", "desired_resolution", "reasonable",
             "status", "resolved_date", "satisfaction")
    m = 10 * n
    orders = pl.DataFrame({
        "customer_id": rng.choice(cust, m),
        "offset": rng.integers(0, SPAN, m),
        "amount": rng.gamma(2.0, 50.0, m),
        "order_id": [f"O{i:09d}" for i in range(m)],
        "product": rng.choice([f"P{i}" for i in range(50)], m),
    }).with_columns((pl.lit(START) + pl.duration(days=pl.col("offset"))).alias("order_date"))
    customers = pl.DataFrame({
        "customer_id": cust,
        "sales_rep": rng.choice([f"R{i}" for i in range(30)], n_cust),
        "signup_date": [None] * n_cust,
        "churn_date": [None] * n_cust,
    }, schema_overrides={"signup_date": pl.Date, "churn_date": pl.Date})
    return complaints, orders, customers


def bench(n: int, cfg: CrmConfig) -> tuple[int, int, float, float, float, float]:
    """(complaints, order lines, facts s, aggregates s, churn groups s, report s)."""
    complaints, orders, customers = synthetic(n)
    t0 = time.perf_counter()
    f = cl.complaint_facts(complaints, cfg, AS_OF, orders=orders, customers=customers)
    t1 = time.perf_counter()
    cl.resolution_summary(f)
    cl.volume_by_month(f)
    for col in ("category", "product", "channel", "sales_rep", "desired_resolution"):
        cl.volume_by(f, col)
    cl.complaint_rate_per_100_orders(f, orders, "product", AS_OF)
    cl.complaint_rate_per_100_orders(f, orders, "sales_rep", AS_OF, customers=customers)
    cl.backlog_by_age(f, cfg)
    cl.reasonable_mix(f)
    cl.customer_kind_mix(f)
    cl.repeat_complainers(f, cfg)
    cl.satisfaction_distribution(f)
    t2 = time.perf_counter()
    data = CrmData(customers, orders, complaints, empty_frame("interactions"))
    cl.complaints_vs_churn(f, cl.churned_frame(data, cfg, AS_OF)[0], cfg)
    t3 = time.perf_counter()
    cl.complaint_report(complaints, cfg, AS_OF)
    t4 = time.perf_counter()
    return n, orders.height, t1 - t0, t2 - t1, t3 - t2, t4 - t3


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    args = ap.parse_args()
    cfg = CrmConfig()
    print(f"{'complaints':>10} {'orders':>10} {'facts s':>8} {'aggregates s':>12} "
          f"{'churn s':>8} {'report s':>8}")
    for size in args.sizes:
        n, m, t_facts, t_agg, t_churn, t_rep = bench(size, cfg)
        print(f"{n:>10,} {m:>10,} {t_facts:>8.2f} {t_agg:>12.2f} {t_churn:>8.2f} {t_rep:>8.2f}")


if __name__ == "__main__":
    main()
