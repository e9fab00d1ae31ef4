"""customer_summary from the purchase-occasion table: hand-computed cases, any row order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from crm_logic import occasions, store
from crm_logic import segmentation as seg
from crm_logic.config import CrmConfig
from crm_logic.store import empty_frame

D = dt.date
pytestmark = pytest.mark.filterwarnings("error")


def _orders(n_lines: int, n_customers: int, seed: int) -> pl.DataFrame:
    """Random line items: ids with a shared prefix, refunds, missing order ids and margins."""
    rng = np.random.default_rng(seed)
    cust = rng.integers(0, n_customers, n_lines)
    day = rng.integers(0, 400, n_lines)
    amount = np.round(rng.gamma(2.0, 30.0, n_lines) * np.where(rng.random(n_lines) < 0.1, -1, 1),
                      2)
    order = np.where(rng.random(n_lines) < 0.2, None,
                     [f"o{c}-{d // 3}" for c, d in zip(cust, day, strict=True)])
    margin = np.where(rng.random(n_lines) < 0.5, None, amount * 0.3)
    df = pl.DataFrame({
        "customer_id": [f"CUST{c:06d}" for c in cust],
        "order_date": pl.Series(day + 19_000, dtype=pl.Int32).cast(pl.Date),
        "amount": amount,
        "order_id": pl.Series(order.tolist(), dtype=pl.String),
        "margin": pl.Series(margin.tolist(), dtype=pl.Float64),
    })
    return pl.concat([empty_frame("orders"), df], how="diagonal_relaxed")


AS_OF = D(2022, 1, 15)  # inside the 400 days: later lines are left out


def test_row_order_does_not_matter() -> None:
    orders = _orders(5_000, 700, 3)
    a = seg.customer_summary(orders, AS_OF)
    b = seg.customer_summary(orders.sample(fraction=1.0, shuffle=True, seed=9), AS_OF)
    assert_frame_equal(a, b, abs_tol=1e-9)


def test_dates_over_centuries() -> None:
    orders = pl.concat([
        _orders(50, 5, 5),
        pl.concat([empty_frame("orders"), pl.DataFrame({
            "customer_id": ["OLD"], "order_date": [D(1800, 1, 1)], "amount": [5.0]})],
            how="diagonal_relaxed"),
    ])
    got = seg.customer_summary(orders, AS_OF)
    old = got.filter(pl.col("customer_id") == "OLD")
    assert old.get_column("T_days").item() == (AS_OF - D(1800, 1, 1)).days


def test_refund_day_before_the_first_purchase() -> None:
    """A refund-only day is no occasion, even when it comes first; monetary_value is the mean
    of the repeat purchase days (their refunds included)."""
    df = pl.DataFrame({
        "customer_id": ["A"] * 5,
        "order_date": [D(2024, 1, 1), D(2024, 1, 5), D(2024, 2, 1), D(2024, 2, 1),
                       D(2024, 3, 1)],
        "amount": [-10.0, 40.0, 30.0, -5.0, 60.0],
    })
    orders = pl.concat([empty_frame("orders"), df], how="diagonal_relaxed")
    s = seg.customer_summary(orders, D(2024, 3, 31)).row(0, named=True)
    assert s["occasions"] == 3 and s["frequency"] == 2
    assert s["first_order_date"] == D(2024, 1, 5) and s["last_order_date"] == D(2024, 3, 1)
    assert s["recency_days"] == 56 and s["T_days"] == 86 and s["tenure_days"] == 90
    assert s["monetary_value"] == pytest.approx((25.0 + 60.0) / 2)
    assert s["revenue"] == pytest.approx(115.0) and s["orders"] == 4
    assert s["margin_total"] is None


def test_an_order_over_two_days_counts_once() -> None:
    """Order o1 has lines on two days with o2 between them: two runs, one order."""
    df = pl.DataFrame({
        "customer_id": ["A"] * 4 + ["B"],
        "order_date": [D(2024, 1, 1), D(2024, 1, 2), D(2024, 1, 3), D(2024, 1, 3),
                       D(2024, 1, 3)],
        "amount": [10.0, 20.0, 30.0, -5.0, 7.0],
        "order_id": ["o1", "o2", "o1", None, "o1"],
    })
    orders = pl.concat([empty_frame("orders"), df], how="diagonal_relaxed")
    got = seg.customer_summary(orders, D(2024, 1, 31), 1.0)
    # A: o1, o2, and a day with a line without id (one more order); B: its own o1
    assert got.select("customer_id", "orders", "occasions").rows() == [("A", 3, 3), ("B", 1, 1)]


def test_value_table_reads_the_held_occasion_table(tmp_path: Path) -> None:
    """The store's occasion table (built once per load) gives the summary of the lines."""
    orders = _orders(3_000, 400, 6)
    con = store.connect(tmp_path / "s.duckdb")
    con.register("_lines", orders.to_arrow())
    con.execute("INSERT INTO orders BY NAME SELECT * FROM _lines")
    data = store.load_data(con)
    held = seg.summary_from_occasions(occasions.table(data, AS_OF), AS_OF, 0.8)
    assert_frame_equal(held, seg.customer_summary(orders, AS_OF, 0.8), abs_tol=1e-9)
    table, _ = seg.value_table(data, CrmConfig(margin_share=0.8), AS_OF)
    assert table.get_column("customer_id").to_list() == held.get_column("customer_id").to_list()
