"""Issue 11: every value loaded right, rejected with a reason, or refused (numbers, fields,
dates, encodings, repeats, huge cells). Each case failed before the fix."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import duckdb
import polars as pl
import pytest

from crm_logic import ingest, store
from crm_logic.config import CrmConfig
from crm_logic.ingest import UnusableInputError, import_file, import_frame

TODAY = dt.date(2024, 6, 30)


@pytest.fixture()
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    c = store.connect(tmp_path / "crm.duckdb")
    yield c
    c.close()


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return p


def _orders(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return store.read_table(con, "orders").select(
        "customer_id", "order_date", "amount").sort("customer_id", "order_date").rows()


def _balanced(r) -> bool:  # noqa: ANN001
    return r.rows_read == r.rows_loaded + r.rows_rejected + r.rows_duplicate


# --- 1. decimal commas -------------------------------------------------------------------------


def test_decimal_commas_decided_per_column(con: duckdb.DuckDBPyConnection,
                                           tmp_path: Path) -> None:
    p = _write(tmp_path, "eu.csv", "customer_id;order_date;amount\n"
                                   "C1;01.03.2024;12,50\n"
                                   "C2;02.03.2024;0,99\n"
                                   'C3;03.03.2024;"1.234,56"\n')
    r = import_file(con, "orders", p, today=TODAY)
    assert (r.rows_loaded, r.rows_rejected) == (3, 0)
    assert _orders(con) == [("C1", dt.date(2024, 3, 1), 12.5), ("C2", dt.date(2024, 3, 2), 0.99),
                            ("C3", dt.date(2024, 3, 3), 1234.56)]
    assert any("amount" in w and "comma" in w for w in r.warnings)


def test_ambiguous_decimal_column_asks(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    p = _write(tmp_path, "amb.csv", "customer_id;order_date;amount\n"
                                    "C1;2024-03-01;1.234\nC2;2024-03-02;5\n")
    with pytest.raises(UnusableInputError, match=r"amount.*--decimal"):
        import_file(con, "orders", p, today=TODAY)
    assert import_file(con, "orders", p, decimal=",", today=TODAY).rows_loaded == 2
    assert _orders(con)[0][2] == 1234.0
    q = _write(tmp_path, "amb2.csv", "customer_id;order_date;amount\nC9;2024-03-01;1.234\n")
    import_file(con, "orders", q, decimal=".", today=TODAY)
    assert _orders(con)[-1] == ("C9", dt.date(2024, 3, 1), 1.234)


def test_number_against_the_columns_decimal_mark_is_rejected(
        con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    # values contradicting each other: asked; read with a decimal point, "12,50" cannot be a
    # grouped number: rejected (never 1250)
    p = _write(tmp_path, "mix.csv", 'customer_id,order_date,amount\n'
                                    'C1,2024-03-01,12.5\nC2,2024-03-01,"12,50"\n'
                                    'C3,2024-03-01,"1,250"\n')
    with pytest.raises(UnusableInputError, match="amount"):
        import_file(con, "orders", p, today=TODAY)
    r = import_file(con, "orders", p, today=TODAY, decimal=".")
    assert r.errors == [{"row": 2, "column": "amount", "reason": "invalid_number"}]
    assert [x[2] for x in _orders(con)] == [12.5, 1250.0]


# --- 2. ragged rows ----------------------------------------------------------------------------


def test_row_with_more_fields_than_header_is_rejected(con: duckdb.DuckDBPyConnection,
                                                      tmp_path: Path) -> None:
    p = _write(tmp_path, "r.csv", "customer_id,order_date,amount,order_id\n"
                                  "C1,2024-03-01,1,234.50,R1\n"
                                  "C2,2024-03-01,7,R2\n")
    r = import_file(con, "orders", p, today=TODAY)
    assert r.errors == [{"row": 1, "column": None, "reason": "field_count"}]
    assert (r.rows_loaded, r.rows_rejected) == (1, 1) and _balanced(r)
    assert _orders(con) == [("C2", dt.date(2024, 3, 1), 7.0)]


def test_row_with_fewer_fields_than_header_is_rejected(con: duckdb.DuckDBPyConnection,
                                                       tmp_path: Path) -> None:
    p = _write(tmp_path, "r.csv", "customer_id,order_date,amount,order_id\n"
                                  "C1,2024-03-01,5\n"        # 3 fields of 4
                                  "C2,2024-03-01,7,\n"       # 4 fields, the last empty: fine
                                  '"C3",2024-03-01,"8, or so",\n')  # quoted comma: 4 fields
    r = import_file(con, "orders", p, today=TODAY)
    assert r.errors[0] == {"row": 1, "column": None, "reason": "field_count"}
    assert r.rows_loaded == 1 and _balanced(r)


# --- 3. dates out of range ---------------------------------------------------------------------


def test_future_and_ancient_dates_rejected(con: duckdb.DuckDBPyConnection,
                                           tmp_path: Path) -> None:
    p = _write(tmp_path, "d.csv", "customer_id,order_date,amount\n"
                                  "C1,2024-06-30,1\n"      # the import day: fine
                                  "C2,9999-12-31,1\n"
                                  "C3,2958465,1\n"         # Excel serial of 9999-12-31
                                  "C4,2024-07-01,1\n"      # tomorrow
                                  "C5,1899-12-31,1\n"
                                  "C6,1900-01-01,1\n")
    r = import_file(con, "orders", p, today=TODAY)
    assert [(e["row"], e["reason"]) for e in r.errors] == [
        (2, "future_date"), (3, "future_date"), (4, "future_date"), (5, "date_before_1900")]
    assert [x[0] for x in _orders(con)] == ["C1", "C6"]
    tolerant = dataclasses.replace(CrmConfig(), future_date_tolerance_days=1)
    q = _write(tmp_path, "d2.csv", "customer_id,order_date,amount\nC7,2024-07-01,1\n")
    assert import_file(con, "orders", q, today=TODAY, cfg=tolerant).rows_loaded == 1


def test_default_as_of_never_from_a_future_row(con: duckdb.DuckDBPyConnection,
                                               tmp_path: Path) -> None:
    from crm_logic.pipeline import resolve_as_of

    p = _write(tmp_path, "d.csv", "customer_id,order_date,amount\n"
                                  "C1,2024-05-01,1\nC1,9999-12-31,1\n")
    import_file(con, "orders", p, today=TODAY)
    frame = pl.DataFrame({"customer_id": ["C2"], "order_date": [dt.date(3000, 1, 1)],
                          "amount": [1.0]})
    assert import_frame(con, "orders", frame, "frame", today=TODAY).rows_rejected == 1
    assert resolve_as_of(store.load_data(con), None) == dt.date(2024, 5, 1)


def test_complaint_resolved_before_received_rejected(con: duckdb.DuckDBPyConnection,
                                                     tmp_path: Path) -> None:
    p = _write(tmp_path, "c.csv", "complaint_id,received_date,resolved_date\n"
                                  "T1,2024-03-05,2024-03-01\nT2,2024-03-05,2024-03-05\n")
    r = import_file(con, "complaints", p, today=TODAY)
    assert r.errors == [{"row": 1, "column": "resolved_date",
                         "reason": "resolved_before_received"}]
    assert r.rows_loaded == 1


# --- 5. encodings ------------------------------------------------------------------------------


def test_one_gbk_line_in_a_utf8_file(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    head = b"customer_id,order_date,amount,product\n"
    good = "".join(f"C{i},2024-03-01,1,苹果手机\n" for i in range(5)).encode("utf-8")
    gbk = "G1,2024-03-02,2,苹果手机\n".encode("gbk")
    bad = b"X1,2024-03-03,3,\xff\xfe\x80\n"  # neither UTF-8 nor GB18030
    r = import_file(con, "orders", _write(tmp_path, "m.csv", head + good + gbk + good + bad),
                    today=TODAY)
    assert r.errors == [{"row": 12, "column": None, "reason": "encoding"}] and _balanced(r)
    products = store.read_table(con, "orders").get_column("product").unique().to_list()
    assert products == ["苹果手机"]
    assert r.rows_loaded == 11


def test_gbk_file_with_one_utf8_line(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    text = "客户编号,下单时间,金额,商品\n" + "".join(f"C{i},2024-03-01,1,茶叶\n"
                                               for i in range(5))
    raw = text.encode("gbk") + "U1,2024-03-02,2,茶叶\n".encode()
    r = import_file(con, "orders", _write(tmp_path, "g.csv", raw), today=TODAY)
    assert r.rows_loaded == 6
    assert store.read_table(con, "orders").get_column("product").unique().to_list() == ["茶叶"]


def test_bom_in_the_middle_and_nul_bytes(con: duckdb.DuckDBPyConnection,
                                         tmp_path: Path) -> None:
    one = "\ufeffcustomer_id,order_date,amount\nC1,2024-03-01,1\n".encode()
    two = "\ufeffC2,2024-03-02,2\nC3,2024-03\x00-03,3\nC4\x00,2024-03-04,4\n".encode()
    r = import_file(con, "orders", _write(tmp_path, "b.csv", one + two), today=TODAY)
    ids = store.read_table(con, "orders").get_column("customer_id").to_list()
    assert sorted(ids) == ["C1", "C2"]
    assert [(e["row"], e["reason"]) for e in r.errors] == [(3, "encoding"), (4, "encoding")]
    n_nul = con.execute("SELECT count(*) FROM rejects WHERE raw LIKE '%' || chr(0) || '%'"
                        ).fetchall()[0][0]
    assert n_nul == 0


# --- 6. repeated rows --------------------------------------------------------------------------


def test_repeats_without_ids_are_kept_and_counted(con: duckdb.DuckDBPyConnection,
                                                  tmp_path: Path) -> None:
    text = "customer_id,order_date,amount\nA,2024-01-01,5\nA,2024-01-01,5\nB,2024-01-02,1\n"
    r = import_file(con, "orders", _write(tmp_path, "k.csv", text), today=TODAY)
    assert (r.rows_loaded, r.rows_duplicate) == (3, 0)
    assert any("1" in w and "--duplicates drop" in w for w in r.warnings)
    d = import_file(con, "orders", _write(tmp_path, "k2.csv", text.replace("B", "C")),
                    today=TODAY, duplicates="drop", mode="replace")
    assert (d.rows_loaded, d.rows_duplicate) == (2, 1) and _balanced(d)


def test_repeats_with_order_ids_are_duplicates_across_files(con: duckdb.DuckDBPyConnection,
                                                            tmp_path: Path) -> None:
    lines = [f"O{i},C{i % 7},2024-01-{1 + i % 28:02d},{i}.5" for i in range(40)]
    full = "order_id,customer_id,order_date,amount\n" + "\n".join(lines) + "\n"
    first = import_file(con, "orders", _write(tmp_path, "full.csv", full), today=TODAY)
    assert first.rows_loaded == 40
    prefix = "order_id,customer_id,order_date,amount\n" + "\n".join(lines[:25]
                                                                  + ["O99,C1,2024-02-01,3"])
    r = import_file(con, "orders", _write(tmp_path, "prefix.csv", prefix + "\n"), today=TODAY)
    assert (r.rows_read, r.rows_loaded, r.rows_duplicate) == (26, 1, 25)
    assert store.read_table(con, "orders").height == 41
    # within one file, an exact repeat with an id is a duplicate as before
    rep = "order_id,customer_id,order_date,amount\nX1,A,2024-01-01,1\nX1,A,2024-01-01,1\n"
    r2 = import_file(con, "orders", _write(tmp_path, "rep.csv", rep), today=TODAY)
    assert (r2.rows_loaded, r2.rows_duplicate) == (1, 1)


# --- 11. huge cells ----------------------------------------------------------------------------


def test_overlong_cell_rejected(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    cfg = dataclasses.replace(CrmConfig(), max_cell_chars=100)
    text = ("customer_id,order_date,amount,product\n"
            f"C1,2024-01-01,1,{'x' * 101}\nC2,2024-01-01,1,ok\n")
    r = import_file(con, "orders", _write(tmp_path, "h.csv", text), today=TODAY, cfg=cfg)
    assert r.errors == [{"row": 1, "column": "product", "reason": "field_too_long"}]
    kept = store.import_rejects(con, r.import_id or 0).get_column("raw")[0]
    assert len(kept) < 400  # the reject keeps a cut of the cell, not all of it


def test_ten_mb_field_in_first_row_is_a_row(con: duckdb.DuckDBPyConnection,
                                            tmp_path: Path) -> None:
    big = "y" * (10 << 20)
    text = f"customer_id,order_date,amount,product\nC1,2024-01-01,1,{big}\nC2,2024-01-01,2,ok\n"
    r = import_file(con, "orders", _write(tmp_path, "big.csv", text), today=TODAY)
    assert r.errors == [{"row": 1, "column": "product", "reason": "field_too_long"}]
    assert r.rows_loaded == 1


def test_file_over_the_byte_cap_refused(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    cfg = dataclasses.replace(CrmConfig(), max_file_mb=1)
    text = "customer_id,order_date,amount\n" + "C1,2024-01-01,1\n" * 80_000
    with pytest.raises(UnusableInputError, match="MB"):
        import_file(con, "orders", _write(tmp_path, "big.csv", text), today=TODAY, cfg=cfg)


def test_xlsx_with_huge_shared_string_is_capped(con: duckdb.DuckDBPyConnection,
                                                tmp_path: Path) -> None:
    import zipfile

    import xlsxwriter

    plain = tmp_path / "plain.xlsx"
    wb = xlsxwriter.Workbook(str(plain))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["customer_id", "order_date", "amount", "product"])
    for i in range(1, 30):
        ws.write_row(i, 0, [f"C{i}", "2024-01-01", 1, "HUGE"])
    ws.write_row(30, 0, ["D", "2024-01-01", 1, "fine"])
    wb.close()
    # one 4 MB shared string used by 29 cells (xlsxwriter itself stops at 32,767 characters)
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(plain) as z, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as w:
        for info in z.infolist():
            data = z.read(info)
            if info.filename == "xl/sharedStrings.xml":
                data = data.replace(b">HUGE<", b">" + b"z" * (4 << 20) + b"<")
            w.writestr(info, data)
    assert path.stat().st_size < 100_000
    r = import_file(con, "orders", path, today=TODAY)
    assert r.rows_rejected == 29 and r.rows_loaded == 1
    assert {e["reason"] for e in r.errors} == {"field_too_long"}


def test_every_reason_and_note_has_both_languages() -> None:
    from crm_logic.i18n import t
    from crm_logic.ingest import NOTE_TEXT, REJECT_REASONS

    for key in [f"data.reason.{r}" for r in REJECT_REASONS] + [f"data.note.{c}"
                                                               for c in NOTE_TEXT]:
        assert t(key, "en") != key and t(key, "zh") != key, key


def test_prefix_of_a_loaded_file_with_order_ids_loads_nothing_again(
        con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """The issue's case: a 29,916-line prefix of Online Retail, imported after the whole."""
    full = Path(__file__).resolve().parent.parent.parent / (
        "shared/data/online_retail/online_retail.parquet")
    cols = {"InvoiceNo": "order_id", "StockCode": "product", "Quantity": "quantity",
            "UnitPrice": "unit_price", "InvoiceDate": "order_date", "CustomerID": "customer_id",
            "Description": "-", "Country": "-"}
    lines = pl.read_parquet(full)
    first = import_file(con, "orders", full, mapping=cols, today=TODAY)
    prefix = tmp_path / "prefix.parquet"
    lines.head(29_916).write_parquet(prefix)
    r = import_file(con, "orders", prefix, mapping=cols, today=TODAY)
    assert r.rows_loaded == 0 and _balanced(r)
    assert r.rows_read == 29_916 and r.rows_duplicate == r.rows_read - r.rows_rejected
    assert store.read_table(con, "orders").height == first.rows_loaded


def test_gbk_line_beyond_the_sniffed_megabyte(con: duckdb.DuckDBPyConnection,
                                              tmp_path: Path) -> None:
    head = b"customer_id,order_date,amount,product\n"
    good = "".join(f"C{i},2024-03-01,1,苹果手机\n" for i in range(40_000)).encode("utf-8")
    assert len(head + good) > 1 << 20  # past what sniffing reads
    gbk = "G1,2024-03-02,2,苹果手机\n".encode("gbk")
    r = import_file(con, "orders", _write(tmp_path, "late.csv", head + good + gbk + good),
                    today=TODAY)
    assert (r.rows_loaded, r.rows_rejected) == (80_001, 0)
    products = store.read_table(con, "orders").get_column("product").unique().to_list()
    assert products == ["苹果手机"]


def test_two_digit_years_by_the_stated_pivot() -> None:
    from crm_logic.ingest import TWO_DIGIT_YEAR_PIVOT, parse_date_expr

    assert TWO_DIGIT_YEAR_PIVOT == 69  # README: 00-68 -> 2000-2068, 69-99 -> 1969-1999
    got = pl.DataFrame({"d": ["7/22/13", "1/1/68", "1/1/69", "12/31/99", "1.3.24",
                              "13-07-22"]}).select(parse_date_expr("d"))["d"].to_list()
    assert got == [dt.date(2013, 7, 22), dt.date(2068, 1, 1), dt.date(1969, 1, 1),
                   dt.date(1999, 12, 31), dt.date(2024, 3, 1),
                   dt.date(13, 7, 22)]  # YY-MM-DD or D-M-YY: not widened, rejected (< 1900)


def test_implausible_amount_is_loaded_and_named_in_a_warning(tmp_path: Path) -> None:
    """Issue 11.4: an amount beyond 1,000 x the file's 99.9th percentile is flagged."""
    rows = [f"C{i % 50},2024-01-{1 + i % 28:02d},{10 + i % 90}" for i in range(2000)]
    rows.append("C999,2024-02-01,1e20")
    path = tmp_path / "orders.csv"
    path.write_text("customer_id,order_date,amount\n" + "\n".join(rows) + "\n", encoding="utf-8")
    con = store.connect(tmp_path / "crm.duckdb")
    try:
        r = ingest.import_file(con, "orders", path)
    finally:
        con.close()
    assert (r.rows_read, r.rows_loaded) == (2001, 2001)  # loaded as it is, not dropped
    odd = [n for n in r.notes if n["code"] == "implausible_amount"]
    assert len(odd) == 1 and odd[0]["n"] == 1 and odd[0]["customers"] == "C999"
    assert "C999" in ingest.note_text(odd[0])
