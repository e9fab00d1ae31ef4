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


def test_optional_column_added_to_an_older_store(tmp_path) -> None:
    """A store made before complaints.timely_response existed gains it on the next write."""
    import duckdb

    path = tmp_path / "old.duckdb"
    old = duckdb.connect(str(path))
    old.execute("CREATE TABLE complaints (complaint_id VARCHAR, received_date DATE)")
    old.close()
    con = store.connect(path)
    cols = [r[0] for r in con.execute("DESCRIBE complaints").fetchall()]
    con.close()
    assert "timely_response" in cols and "satisfaction" in cols


def test_older_store_reads_before_it_is_migrated(tmp_path) -> None:
    """Read-only (the app, `report`): a store without an optional column or a newer table
    still loads, the missing column as nulls and the missing table empty."""
    import duckdb

    path = tmp_path / "old.duckdb"
    old = duckdb.connect(str(path))
    store.create_schema(old)
    old.execute("ALTER TABLE complaints DROP COLUMN timely_response")
    old.execute("DROP TABLE prospects")
    old.execute("INSERT INTO complaints (complaint_id, received_date) "
                "VALUES ('K1', DATE '2024-01-02')")
    old.close()
    con = store.connect(path, read_only=True)
    try:
        data = store.load_data(con)
    finally:
        con.close()
    assert data.complaints.get_column("timely_response").to_list() == [None]
    assert data.complaints.schema["timely_response"] == pl.Boolean
    assert data.prospects.height == 0 and "prospect_id" in data.prospects.columns
