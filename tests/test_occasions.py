"""One purchase-occasion rule shared by value, lifecycle and churn."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from crm_logic import occasions, store
from crm_logic.occasions import is_purchase_day

D1, D2, D3 = dt.date(2024, 1, 1), dt.date(2024, 1, 2), dt.date(2024, 1, 3)


def test_purchase_days() -> None:
    lines = pl.DataFrame(
        {
            "customer_id": ["a", "a", "a", "a", "b"],
            "order_date": [D1, D1, D2, D3, D1],
            "amount": [10.0, -30.0, -5.0, 0.0, None],
        }
    )
    got = lines.group_by("customer_id", "order_date").agg(purchase=is_purchase_day()).sort(
        "customer_id", "order_date"
    )
    expected = pl.DataFrame(
        {
            "customer_id": ["a", "a", "a", "b"],
            "order_date": [D1, D2, D3, D1],
            # D1: a purchase and a larger refund is still a purchase day; D2 refund only;
            # D3 a free item; a missing amount counts as 0
            "purchase": [True, False, True, True],
        }
    )
    assert_frame_equal(got, expected)


# --- THE purchase-occasion table (one DuckDB query) --------------------------------------

LINES = pl.DataFrame(
    {
        "customer_id": ["a", "a", "a", "a", "a", "b", "a", None, "c"],
        "order_date": [D1, D1, D2, D3, D3, D1, dt.date(2024, 1, 9), D1, None],
        "amount": [10.0, -30.0, -5.0, 0.0, 4.0, None, 7.0, 1.0, 1.0],
        # o1 spans D1 and D2: one order, counted on its first day
        "order_id": ["o1", "o2", "o1", None, None, None, "o3", "x", "y"],
        "margin": [2.0, None, None, None, 1.0, None, None, None, None],
    }
)
# as of D3: a's lines on Jan 9 are after it; the null id / null date lines are dropped
EXPECTED = pl.DataFrame(
    {
        "customer_id": ["a", "a", "a", "b"],
        "day": [D1, D2, D3, D1],
        "revenue": [-20.0, -5.0, 4.0, 0.0],
        "purchase_revenue": [10.0, 0.0, 4.0, 0.0],
        "lines": [2, 1, 2, 1],
        "refund_lines": [1, 1, 0, 0],
        "orders": [2, 0, 1, 1],  # D1: o1, o2; D2: o1 again (not new); D3, b: lines without id
        "is_purchase": [True, False, True, True],  # b: a missing amount counts as 0
        "margin": [2.0, None, 1.0, None],
        "unmargined_revenue": [-30.0, -5.0, 0.0, 0.0],
    },
    schema=occasions.SCHEMA,
)


def test_occasion_table_by_hand() -> None:
    assert_frame_equal(occasions.run_on(LINES, D3), EXPECTED)


def test_occasion_table_same_on_store_parquet_and_inlined_sql(tmp_path: Path) -> None:
    con = store.connect(tmp_path / "s.duckdb")
    con.register("_lines", LINES.to_arrow())
    con.execute("INSERT INTO orders BY NAME SELECT * FROM _lines")
    assert_frame_equal(occasions.run(con, D3), EXPECTED)
    everything = occasions.run(con)  # all days: a's Jan 9 too
    assert everything.height == 5 and everything.get_column("day").max() == dt.date(2024, 1, 9)
    data = store.load_data(con)
    assert data.occasions is not None
    assert_frame_equal(occasions.table(data, D3), EXPECTED)  # the held table, cut at D3
    # a frame that no longer matches the held table is rebuilt from its lines
    fewer = dataclasses.replace(data, orders=data.orders.filter(pl.col("customer_id") == "b"))
    assert occasions.table(fewer, D3).get_column("customer_id").to_list() == ["b"]
    LINES.drop("margin", "order_id").write_parquet(tmp_path / "o.parquet")
    no_ids = occasions.run_on(tmp_path / "o.parquet", D3)  # missing columns count as null
    assert no_ids.get_column("orders").to_list() == [1, 1, 1, 1]
    assert no_ids.get_column("margin").null_count() == 4
    inlined = duckdb.connect()
    inlined.register("orders", LINES.to_arrow())
    got = inlined.sql(occasions.occasions_sql(D3)).pl().cast(occasions.SCHEMA)
    assert_frame_equal(got, EXPECTED)


def test_a_cut_reads_only_the_columns_asked_for(tmp_path: Path) -> None:
    con = store.connect(tmp_path / "s.duckdb")
    con.register("_lines", LINES.to_arrow())
    con.execute("INSERT INTO orders BY NAME SELECT * FROM _lines")
    data = store.load_data(con)
    cols = ("customer_id", "day", "revenue")
    assert_frame_equal(occasions.table(data, D3, cols), EXPECTED.select(cols))
    assert occasions.table(data, D3, ("day",)).columns == ["day"]
    # on or after the last day: every held row, the held columns themselves (no copy)
    whole = occasions.table(data, occasions.ALL_DAYS, cols)
    assert whole.height == 5 and whole.columns == list(cols)
    assert occasions.table(data, dt.date(2024, 1, 9)).height == 5
    assert occasions.customer_day_sorted(occasions.table(data, D2, occasions.DAYS))


def test_store_keeps_the_occasion_table_of_every_orders_import(tmp_path: Path) -> None:
    """The facts stage lives in the store: each orders import rebuilds `order_days` in its
    transaction; `load_data` reads it back equal to the query; a store holding lines that
    the stored table does not match (written around the importer) is rebuilt on read."""
    from crm_logic.ingest import import_file

    con = store.connect(tmp_path / "s.duckdb")
    csv = tmp_path / "o.csv"
    LINES.filter(pl.col("customer_id").is_not_null() & pl.col("order_date").is_not_null()
                 ).write_csv(csv)
    import_file(con, "orders", csv, today=dt.date(2024, 2, 1))
    stored = con.execute(f"SELECT count(*) FROM {occasions.STORED}").fetchall()[0][0]
    assert stored == occasions.run(con).height == 4  # b's line without an amount: rejected
    assert_frame_equal(store.load_data(con).occasions, occasions.run(con))
    more = tmp_path / "more.csv"  # a second file: appended, the table rebuilt with it
    pl.DataFrame({"customer_id": ["b", "z"], "order_date": [D2, D1], "amount": [3.0, 2.0],
                  "order_id": ["o9", "o8"]}).write_csv(more)
    import_file(con, "orders", more, today=dt.date(2024, 2, 1))
    held = store.load_data(con).occasions
    assert_frame_equal(held, occasions.run(con))
    assert held.get_column("customer_id").to_list() == ["a"] * 4 + ["b", "z"]
    con.execute("DELETE FROM orders WHERE customer_id = 'z'")  # around the importer
    assert_frame_equal(store.load_data(con).occasions, occasions.run(con))


def test_a_failed_orders_import_leaves_the_stored_occasions(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    from crm_logic.ingest import import_file

    con = store.connect(tmp_path / "s.duckdb")
    first = tmp_path / "a.csv"
    pl.DataFrame({"customer_id": ["a"], "order_date": [D1], "amount": [5.0]}).write_csv(first)
    import_file(con, "orders", first, today=dt.date(2024, 2, 1))
    before = con.sql(f"SELECT * FROM {occasions.STORED}").pl()

    def broken(cur: duckdb.DuckDBPyConnection) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(occasions, "rebuild", broken)
    second = tmp_path / "b.csv"
    pl.DataFrame({"customer_id": ["b"], "order_date": [D2], "amount": [7.0]}).write_csv(second)
    with pytest.raises(RuntimeError):
        import_file(con, "orders", second, today=dt.date(2024, 2, 1))
    assert con.execute("SELECT count(*) FROM orders").fetchall()[0][0] == 1
    assert_frame_equal(con.sql(f"SELECT * FROM {occasions.STORED}").pl(), before)
