"""Line questions (`crm_logic.lines`): hand-computed answers, the same whether the lines are
held in memory or stay in the store, and a store changed after the read is refused."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from crm_logic import lines, store
from crm_logic.config import CrmConfig
from crm_logic.ingest import import_file
from crm_logic.plausibility import implausible_warning, stored_implausible_warning

D1, D2, D3 = dt.date(2024, 1, 5), dt.date(2024, 1, 6), dt.date(2024, 2, 1)
LINES = pl.DataFrame({
    "customer_id": ["A", "A", "A", "A", "B", "B", "B", "C"],
    "order_date": [D1, D1, D2, D3, D1, D1, D2, D2],
    "amount": [50.0, 30.0, -40.0, 500.0, 10.0, 10.0, 5.0, 1e12],
    "order_id": ["o1", "o1", "r1", "o2", None, None, "o3", "o4"],
    "product": ["p1", "p2", "p1", "p2", "p1", "p1", "p2", "p1"],
    "category": ["shoes", "bags", "shoes", "bags", "shoes", "hats", "hats", None],
})
CUSTOMERS = pl.DataFrame({"customer_id": ["A", "B", "C"], "sales_rep": ["r1", "r2", None]})


def _store(tmp_path: Path) -> store.CrmData:
    con = store.connect(tmp_path / "s.duckdb")
    LINES.write_csv(tmp_path / "o.csv")
    CUSTOMERS.write_csv(tmp_path / "c.csv")
    import_file(con, "customers", tmp_path / "c.csv", today=D3)
    import_file(con, "orders", tmp_path / "o.csv", today=D3)
    data = store.load_data(con, lines=False)
    con.close()
    return data


def _held(data: store.CrmData) -> store.CrmData:
    con = store.connect(data.store_path, read_only=True)
    held = store.load_data(con)
    con.close()
    return held


def test_answers_by_hand_in_the_store_and_in_memory(tmp_path: Path) -> None:
    data = _store(tmp_path)
    assert not data.lines_held and data.orders.height == 0
    assert data.counts()["orders"] == LINES.height
    held = _held(data)
    for d in (data, held):
        # A up to D1: shoes 50, bags 30; up to D2 shoes 50 - 40 = 10. B up to D1: shoes 10 =
        # hats 10 (a tie: alphabetical), hats 15 by D2. C: no category
        assert lines.top_categories(d, D1).rows() == [("A", "shoes"), ("B", "hats")]
        assert lines.top_categories(d, D2).rows() == [("A", "bags"), ("B", "hats")]
        assert dict(lines.order_counts(d, "product", D3).rows()) == {"p1": 3, "p2": 3}
        # p1: o1, B's D1 lines (one order, no id), o4; r1 is a refund. p2: o1, o2, o3
        assert dict(lines.order_counts(d, "product", D2, start=D2).rows()) == {"p1": 1,
                                                                              "p2": 1}
        assert dict(lines.order_counts(d, "sales_rep", D3).rows()) == {"r1": 2, "r2": 2}
        a = lines.customer_lines(d, "A", D2)
        assert a.get_column("amount").to_list() == [50.0, 30.0, -40.0]
        assert a.schema == pl.Schema(store.polars_schema("orders"))
    assert_frame_equal(lines.top_categories(data, D3), lines.top_categories(held, D3))


def test_implausible_amounts_the_same_either_way(tmp_path: Path) -> None:
    data = _store(tmp_path)
    cfg = CrmConfig(implausible_amount_quantile=0.5, implausible_amount_multiple=100.0)
    want = implausible_warning(LINES, cfg)
    assert want is not None and want["customers"] == ["C"] and want["rows"] == 1
    assert stored_implausible_warning(data, cfg, D3) == want
    assert stored_implausible_warning(_held(data), cfg, D3) == want
    assert stored_implausible_warning(data, cfg, D1) is None  # C's line is after D1


def test_a_store_changed_after_the_read_is_refused(tmp_path: Path) -> None:
    data = _store(tmp_path)
    con = store.connect(data.store_path)
    more = tmp_path / "more.csv"
    LINES.head(1).with_columns(pl.lit("Z").alias("customer_id")).write_csv(more)
    import_file(con, "orders", more, today=D3)
    con.close()
    with pytest.raises(lines.StoreChangedError):
        lines.top_categories(data, D3)
    fresh = dataclasses.replace(data, version=data.version + 1)
    assert "Z" in lines.top_categories(fresh, D3).get_column("customer_id").to_list()
