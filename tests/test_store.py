"""The store's read order: the occasion table comes by customer, then day (lines unsorted)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
from polars.testing import assert_frame_equal

from crm_logic import store


def test_the_occasion_table_comes_by_customer_then_day(tmp_path: Path) -> None:
    """The analyses rely on the held occasion table's order; lines are read as stored."""
    con = store.connect(tmp_path / "crm.duckdb")
    rows = pl.DataFrame({
        "customer_id": ["B", "A", "C", "A", "B", "A"],
        "order_date": [dt.date(2024, 3, 1), dt.date(2024, 2, 1), dt.date(2024, 1, 1),
                       dt.date(2024, 1, 1), dt.date(2024, 1, 5), dt.date(2024, 3, 1)],
        "amount": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
    })
    lines = pl.concat([store.empty_frame("orders"), rows], how="diagonal_relaxed")
    con.register("incoming", lines.to_arrow())
    con.execute("INSERT INTO orders SELECT * FROM incoming")
    data = store.load_data(con)
    assert data.orders.height == 6
    assert data.occasions is not None
    expected = rows.sort("customer_id", "order_date").rename(
        {"order_date": "day", "amount": "revenue"})
    assert_frame_equal(data.occasions.select("customer_id", "day", "revenue"), expected)
