"""Benchmark: THE purchase-occasion query on DuckDB and on Spark over the same Parquet lines.

Synthetic order lines (several lines per order, refunds, some lines without an order id) are
written to Parquet; each engine aggregates them to one row per customer and day; the results
must match (same rows, revenue within 1e-9). Prints seconds per engine (Spark: session
start-up, first and second query separately), the customer-day rows that come back to the
driver, the day lines built from them, and the load average (other work slows every step).
Usage: .venv/bin/python scripts/benchmark_engines.py [n_lines] [--no-spark]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crm_logic import engines  # noqa: E402


def synthetic(n_lines: int, seed: int = 1) -> pl.DataFrame:
    """~10 lines per customer, 2.5 lines per order; 3% refund lines; 5% lines without id."""
    rng = np.random.default_rng(seed)
    n_orders = max(1, n_lines * 2 // 5)
    n_cust = max(1, n_lines // 10)
    order_cust = rng.integers(0, n_cust, n_orders)
    order_day = rng.integers(0, 900, n_orders)
    line_order = np.sort(rng.integers(0, n_orders, n_lines))
    amount = rng.lognormal(3.5, 0.8, n_lines)
    amount = np.where(rng.random(n_lines) < 0.03, -amount, amount)
    no_id = rng.random(n_lines) < 0.05
    return pl.DataFrame({
        "customer_id": pl.Series(order_cust[line_order]).cast(pl.String),
        "order_date": pl.Series(np.datetime64("2022-01-01", "D")
                                + order_day[line_order].astype("timedelta64[D]")).cast(pl.Date),
        "amount": amount,
        "order_id": pl.Series(line_order).cast(pl.String).set(pl.Series(no_id), None),
    })


def _timed(label: str, fn):  # noqa: ANN001, ANN202 - a tiny timing helper
    start = time.perf_counter()
    out = fn()
    print(f"{label:<34} {time.perf_counter() - start:8.2f} s", flush=True)
    return out


def main(argv: list[str]) -> int:
    n = int(next((a for a in argv if a.isdigit()), 2_000_000))
    print(f"{n:,} order lines; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="crm_bench_") as tmp:
        path = Path(tmp) / "lines.parquet"
        lines = synthetic(n)
        lines.write_parquet(path)
        print(f"customers {lines.get_column('customer_id').n_unique():,}")
        duck = _timed("duckdb: occasion table", lambda: engines.duckdb_occasions(path))
        print(f"customer-day rows to the driver     {duck.height:,}")
        day = _timed("day lines from the table", lambda: engines.day_lines(duck))
        print(f"day lines                           {day.height:,}")
        if "--no-spark" in argv:
            return 0
        spark = _timed("spark: session start-up", engines.spark_session)
        first = _timed("spark: occasion table (1st)",
                       lambda: engines.spark_occasions(path, spark=spark))
        _timed("spark: occasion table (2nd)", lambda: engines.spark_occasions(path, spark=spark))
        same = first.select("customer_id", "day", "lines", "orders", "is_purchase").equals(
            duck.select("customer_id", "day", "lines", "orders", "is_purchase"))
        diff = float((first["revenue"] - duck["revenue"]).abs().max() or 0.0)
        print(f"spark == duckdb: rows {same}, max revenue difference {diff:.1e}")
        spark.stop()
        return 0 if same and diff < 1e-9 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
