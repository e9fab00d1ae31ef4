"""The importer's fast paths: dates per distinct value, batched reading, hashed repeats."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal, assert_series_equal

from crm_logic import ingest, store
from crm_logic.ingest import orchestrate, readers, validate

EPOCH = dt.date(1970, 1, 1)


@pytest.fixture()
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    c = store.connect(tmp_path / "crm.duckdb")
    yield c
    c.close()


def test_date_lookup_codes_each_distinct_text_once() -> None:
    values = pl.Series(["2024/1/5", " 2024-01-06 ", "x", "  ", None, "2024/1/5", "13/1/2024"])
    keys, codes = ingest.date_lookup(values, dayfirst=True)
    got = dict(zip(keys.to_list(), codes.to_list(), strict=True))
    assert got == {"2024/1/5": (dt.date(2024, 1, 5) - EPOCH).days,
                   " 2024-01-06 ": (dt.date(2024, 1, 6) - EPOCH).days,
                   "x": ingest._UNREADABLE,   # present, not a date: rejected
                   "  ": None,                # blank: a missing value
                   "13/1/2024": (dt.date(2024, 1, 13) - EPOCH).days}
    assert keys.len() == 5  # distinct, null left out


CSV = ("客户编号,下单时间,实付金额,备注\n"
       "C1,2024/1/5,10,a\n"       # 1
       "C2,2024-01-06 08:30,¥1,234.50,b\n".replace("¥1,234.50", '"¥1,234.50"')  # 2
       + "C1,2024/1/5,10,a\n"     # 3 repeats 1 (other batch when batches hold 2 rows)
       "C3,someday,5,c\n"         # 4 invalid date
       "C4,20240107,abc,d\n"      # 5 invalid number
       "C1,2024/1/5,10,a\n"       # 6 repeats 1 again
       "C5, ,7,e\n"               # 7 missing date
       "C1,2024/1/5,10,z\n")      # 8 differs from 1 in an unmapped column: not a repeat


def _import(con: duckdb.DuckDBPyConnection, path: Path) -> tuple[ingest.ImportResult,
                                                                  pl.DataFrame, pl.DataFrame]:
    r = ingest.import_file(con, "orders", path, duplicates="drop")  # no order ids: on request
    orders = (store.read_table(con, "orders").select("customer_id", "order_date", "amount")
              .sort("customer_id", "order_date", "amount"))
    return r, orders, store.import_rejects(con, r.import_id or 0)


@pytest.mark.parametrize("batch_rows", [1, 2, 3, 1_000_000])
def test_batches_give_the_same_import(con: duckdb.DuckDBPyConnection, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch, batch_rows: int) -> None:
    monkeypatch.setattr(orchestrate, "_BATCH_ROWS", batch_rows)
    path = tmp_path / "orders.csv"
    path.write_text(CSV, encoding="utf-8")
    r, orders, rejects = _import(con, path)
    assert (r.rows_read, r.rows_loaded, r.rows_rejected, r.rows_duplicate) == (8, 3, 3, 2)
    day = dt.date(2024, 1, 5)
    assert_frame_equal(orders, pl.DataFrame(  # sorted by customer, then date
        {"customer_id": ["C1", "C1", "C2"],  # rows 1, 8 and 2
         "order_date": [day, day, dt.date(2024, 1, 6)],
         "amount": [10.0, 10.0, 1234.5]}))
    assert rejects.select("row_number", "column_name", "reason").rows() == [
        (4, "order_date", "invalid_date"), (5, "amount", "invalid_number"),
        (7, "order_date", "missing")]
    assert rejects.get_column("raw")[0] == \
        '{"客户编号":"C3","下单时间":"someday","实付金额":"5","备注":"c"}'


def test_number_form_outside_the_sample_read_in_a_later_batch(
        con: duckdb.DuckDBPyConnection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(orchestrate, "_BATCH_ROWS", 2)
    monkeypatch.setattr(readers, "_SAMPLE_ROWS", 2)  # sample: plain numbers only
    path = tmp_path / "orders.csv"
    path.write_text("customer_id,order_date,amount\nC1,2024-01-05,10\nC2,2024-01-05,11\n"
                    'C3,2024-01-05,"¥1,000"\nC4,2024-01-05,(5)\n', encoding="utf-8")
    r, orders, _ = _import(con, path)
    assert (r.rows_loaded, r.rows_rejected) == (4, 0)
    assert sorted(orders.get_column("amount").to_list()) == [-5.0, 10.0, 11.0, 1000.0]


def test_equal_hashes_of_different_rows_are_not_repeats() -> None:
    # rows 1 and 2 share a hash but differ: only row 3, a true repeat of row 1, is one
    checked = pl.DataFrame({"__row": [1, 2, 3, 4], "__hash": [7, 7, 7, 9],
                            "__bad": [0, 0, 0, 0]},
                           schema={"__row": pl.UInt32, "__hash": pl.UInt64, "__bad": pl.UInt8})
    text = pl.DataFrame({"__row": [1, 2, 3, 4], "__s0": ["a", "b", "a", "a"]},
                        schema={"__row": pl.UInt32, "__s0": pl.String})
    got = validate._duplicate_rows(checked, text.lazy(), ["col"])
    assert_series_equal(got, pl.Series("__row", [3], dtype=pl.UInt32))


def test_no_shared_hash_means_no_repeats_without_reading_text() -> None:
    checked = pl.DataFrame({"__row": [1, 2], "__hash": [1, 2], "__bad": [0, 0]},
                           schema={"__row": pl.UInt32, "__hash": pl.UInt64, "__bad": pl.UInt8})
    boom = pl.LazyFrame({"__row": [1]}).select(pl.col("__row").cast(pl.String).cast(pl.Int8))
    assert validate._duplicate_rows(checked, boom, ["col"]).len() == 0
