"""The store's read order: order lines come back grouped by customer, in date order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
from polars.testing import assert_frame_equal

from crm_logic import lifecycle as lc
from crm_logic import store


def test_orders_are_read_by_customer_then_date(tmp_path: Path) -> None:
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
    got = store.read_table(con, "orders")
    assert_frame_equal(got.select("customer_id", "order_date", "amount"),
                       rows.sort("customer_id", "order_date"))
    # the lifecycle's fast path (lines already in customer order) applies to what it reads
    ordered, ids, in_id_order = lc._customer_day_order(
        got.select("customer_id", pl.col("order_date").cast(pl.Int32).alias("_d"), "amount"))
    assert in_id_order and ids.to_list() == ["A", "B", "C"]
    assert ordered.get_column("_d").to_list() == [
        (d - dt.date(1970, 1, 1)).days for d in rows.sort("customer_id", "order_date")
        .get_column("order_date")]
