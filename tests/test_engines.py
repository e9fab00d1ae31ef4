"""`--orders` Parquet and the DuckDB engine: the occasion table by hand, day lines that keep
every figure, and `report --orders X` equal to importing X into the store."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest

from crm_logic import engines, store
from crm_logic.cli import main

D1, D2, D3 = dt.date(2024, 1, 5), dt.date(2024, 1, 6), dt.date(2024, 2, 1)


def _lines() -> pl.DataFrame:
    """A: two orders on D1 (one with a refund line, margins on some lines), order o2 goes on
    into D2, a refund-only day D3 with two return invoices; B: lines without an id."""
    return pl.DataFrame({
        "customer_id": ["A", "A", "A", "A", "A", "A", "A", "B", "B", "B", None],
        "order_date": [D1, D1, D1, D2, D2, D3, D3, D1, D1, D2, D1],
        "amount": [100.0, -30.0, 50.0, 20.0, 0.0, -10.0, -5.0, 8.0, 2.0, 0.0, 99.0],
        "order_id": ["o1", "o1", "o2", "o2", "o2", "r1", "r2", None, None, None, "x"],
        "margin": [40.0, None, 10.0, None, None, -4.0, None, None, None, None, None],
    })


def _write(df: pl.DataFrame, path: Path) -> Path:
    df.write_parquet(path)
    return path


def test_occasion_table_by_hand(tmp_path: Path) -> None:
    occ = engines.duckdb_occasions(_write(_lines(), tmp_path / "o.parquet"))
    assert occ.select("customer_id", "day").rows() == [("A", D1), ("A", D2), ("A", D3),
                                                       ("B", D1), ("B", D2)]
    a1, a2, a3, b1, b2 = occ.iter_rows(named=True)
    assert (a1["revenue"], a1["purchase_revenue"], a1["lines"], a1["refund_lines"],
            a1["orders"], a1["is_purchase"], a1["margin"], a1["unmargined_revenue"]) == \
        (120.0, 150.0, 3, 1, 2, True, 50.0, -30.0)
    assert (a2["revenue"], a2["orders"], a2["is_purchase"], a2["margin"]) == (20.0, 0, True,
                                                                             None)
    assert (a3["revenue"], a3["orders"], a3["is_purchase"], a3["margin"],
            a3["unmargined_revenue"]) == (-15.0, 2, False, -4.0, -5.0)
    assert (b1["revenue"], b1["orders"], b2["orders"], b2["is_purchase"]) == (10.0, 1, 1, True)


def test_day_lines_keep_every_figure(tmp_path: Path) -> None:
    occ = engines.duckdb_occasions(_write(_lines(), tmp_path / "o.parquet"))
    lines = engines.day_lines(occ)
    assert lines.schema == pl.Schema(store.polars_schema("orders"))
    again = engines.duckdb_occasions(_write(lines, tmp_path / "d.parquet"))
    same = ["customer_id", "day", "revenue", "is_purchase", "margin", "unmargined_revenue"]
    assert again.select(same).equals(occ.select(same))
    per_customer = [occ.group_by("customer_id").agg(pl.col("orders").sum()).sort("customer_id")
                    for occ in (occ, again)]
    assert per_customer[0].equals(per_customer[1])
    # fewer lines than the source: a few per customer-day
    assert lines.height <= 2 * occ.height


def test_dates_may_be_timestamps(tmp_path: Path) -> None:
    src = _lines().with_columns(pl.col("order_date").cast(pl.Datetime("us"))
                                + pl.duration(hours=23))
    occ = engines.duckdb_occasions(_write(src, tmp_path / "ts.parquet"))
    ref = engines.duckdb_occasions(_write(_lines(), tmp_path / "d.parquet"))
    assert occ.equals(ref)


def test_folder_and_quantity_times_price(tmp_path: Path) -> None:
    folder = tmp_path / "lake" / "year=2024"
    folder.mkdir(parents=True)
    df = _lines().drop("amount").with_columns(quantity=pl.lit(2.0),
                                              unit_price=_lines()["amount"] / 2)
    _write(df.head(5), folder / "a.parquet")
    _write(df.tail(6), folder / "b.parquet")
    occ = engines.duckdb_occasions(tmp_path / "lake")
    ref = engines.duckdb_occasions(_write(_lines(), tmp_path / "d.parquet"))
    assert occ.equals(ref)


def _report(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_report_from_parquet_equals_report_from_store(
        sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    con = store.connect(sample_db, read_only=True)
    parquet = engines.store_parquet(con, tmp_path)
    con.close()
    base = _report(capsys, "--db", str(sample_db), "report")
    lake = _report(capsys, "--db", str(sample_db), "report", "--orders", str(parquet))
    # products and categories stay in the lake: no category suggestions (README)
    assert list(lake["four_r"]["reward"].pop("suggested_category")) == ["unknown"]
    base["four_r"]["reward"].pop("suggested_category")
    assert lake == base
    cut = _report(capsys, "--db", str(sample_db), "report", "--as-of", "2025-06-30",
                  "--orders", str(parquet))
    ref = _report(capsys, "--db", str(sample_db), "report", "--as-of", "2025-06-30")
    for r in (cut, ref):
        r["four_r"]["reward"].pop("suggested_category")
    assert cut == ref
    out_a, out_b = tmp_path / "a.csv", tmp_path / "b.csv"
    assert main(["--db", str(sample_db), "export", "customers", "--out", str(out_a)]) == 0
    assert main(["--db", str(sample_db), "export", "customers", "--out", str(out_b),
                 "--orders", str(parquet)]) == 0
    assert out_a.read_bytes() == out_b.read_bytes()


def test_orders_without_a_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parquet = _write(_lines(), tmp_path / "o.parquet")
    rep = _report(capsys, "--db", str(tmp_path / "none.duckdb"), "report", "--orders",
                  str(parquet))
    assert rep["counts"]["orders"] == 10 and rep["counts"]["customers"] == 2
    assert rep["as_of"] == "2024-02-01"
    assert not (tmp_path / "none.duckdb").exists()


@pytest.mark.parametrize(("make", "words"), [
    (lambda p: p / "missing.parquet", "no such file"),
    (lambda p: _write(_lines().drop("customer_id"), p / "x.parquet"), "customer_id"),
    (lambda p: (p / "empty").mkdir() or p / "empty", "no Parquet files"),
])
def test_unusable_orders_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                make: object, words: str) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    assert main(["--db", str(tmp_path / "none.duckdb"), "report", "--orders", str(path)]) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1


def test_app_reads_orders_from_parquet(sample_db: Path, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """CRM_ORDERS: the app's order lines come from Parquet (here: 100 customers' lines)."""
    from tests.pagetest import metric_int, open_page

    con = store.connect(sample_db, read_only=True)
    lines = store.read_table(con, "orders")
    con.close()
    keep = lines.get_column("customer_id").unique().sort().head(100)
    parquet = _write(lines.filter(pl.col("customer_id").is_in(keep.implode())),
                     tmp_path / "lake.parquet")
    monkeypatch.setenv("CRM_ORDERS", str(parquet))
    at = open_page("pages/overview.py", "en")
    assert metric_int(at, "Customers") == 100
