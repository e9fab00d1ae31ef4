"""Importing real files into a store: formats, encodings, rejects, duplicates, bookkeeping."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from crm_logic import store
from crm_logic.ingest import UnusableInputError, import_file, import_frame, read_preview


@pytest.fixture()
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    c = store.connect(tmp_path / "crm.duckdb")
    yield c
    c.close()


def _orders(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return store.read_table(con, "orders").select("customer_id", "order_date", "amount")


def _snapshot(con: duckdb.DuckDBPyConnection) -> tuple:
    cur = con.cursor()
    return tuple(cur.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
                 for t in (*store.TABLES, "import_log", "rejects", "mapping_profiles"))


GBK_CSV = ("客户编号,下单时间,实付金额,商品,备注\n"
           "C001,2024/1/5,\"￥1,234.50\",茶叶,老客户\n"
           "C002,2024-01-06 08:30,1000,茶具,\n"
           "C001,20240107,$12,茶叶,\n"
           "C003,2024年1月8日,45,绿茶,新客户\n")


def test_gbk_csv_with_chinese_headers_imports_without_mapping(
        con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = tmp_path / "订单.csv"
    path.write_bytes(GBK_CSV.encode("gbk"))
    result = import_file(con, "orders", path)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected,
            result.rows_duplicate) == (4, 4, 0, 0)
    assert result.warnings == ["column '备注' not mapped: ignored"]
    want = pl.DataFrame({
        "customer_id": ["C001", "C002", "C001", "C003"],
        "order_date": [dt.date(2024, 1, d) for d in (5, 6, 7, 8)],
        "amount": [1234.5, 1000.0, 12.0, 45.0]})
    assert_frame_equal(_orders(con).sort("order_date"), want)
    products = store.read_table(con, "orders").sort("order_date").get_column("product")
    assert products.to_list() == ["茶叶", "茶具", "茶叶", "绿茶"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_encodings_detected(con: duckdb.DuckDBPyConnection, tmp_path: Path,
                            encoding: str) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(GBK_CSV.encode(encoding))
    assert import_file(con, "orders", path).rows_loaded == 4


def test_tsv_xlsx_and_parquet(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    import xlsxwriter

    tsv = tmp_path / "a.tsv"
    tsv.write_text("customer_id\torder_date\tamount\nA\t2024-02-01\t10\n", encoding="utf-8")
    xlsx = tmp_path / "b.xlsx"
    wb = xlsxwriter.Workbook(str(xlsx))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["客户ID", "订单日期", "数量", "单价"])
    ws.write_row(1, 0, [17850, 45323, 2, 2.5])  # Excel serial day 45323 = 2024-02-01
    day = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_datetime(2, 1, dt.datetime(2024, 2, 2, 9, 0), day)
    ws.write(2, 0, "B")
    ws.write(2, 2, 1)
    ws.write(2, 3, "¥3")
    wb.close()
    parquet = tmp_path / "c.parquet"
    pl.DataFrame({"CustomerID": [12.0], "InvoiceDate": ["2024-02-03 10:00:00"],
                  "Quantity": [3], "UnitPrice": [1.5]}).write_parquet(parquet)
    for p in (tsv, xlsx, parquet):
        assert import_file(con, "orders", p).rows_loaded >= 1
    want = pl.DataFrame({
        "customer_id": ["A", "17850", "B", "12"],
        "order_date": [dt.date(2024, 2, d) for d in (1, 1, 2, 3)],
        "amount": [10.0, 5.0, 3.0, 4.5]})
    assert_frame_equal(_orders(con).sort("order_date", "customer_id"),
                       want.sort("order_date", "customer_id"))


def test_bad_rows_rejected_with_column_and_reason(con: duckdb.DuckDBPyConnection,
                                                  tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("customer_id,order_date,amount,quantity\n"
                    "A,2024-01-01,10,1\n"       # fine
                    ",2024-01-01,10,1\n"        # row 2: no customer
                    "B,someday,10,1\n"          # row 3: bad date
                    "C,2024-01-01,ten,1\n"      # row 4: bad amount
                    "D,2024-01-01,-5,-1\n"      # a refund: fine
                    "E,2024-01-01,0,x\n"        # row 6: bad quantity
                    "A,2024-01-01,10,1\n",      # repeat of row 1: no id tells them apart
                    encoding="utf-8")
    r = import_file(con, "orders", path)
    assert (r.rows_read, r.rows_loaded, r.rows_rejected, r.rows_duplicate) == (7, 3, 4, 0)
    assert r.errors == [
        {"row": 2, "column": "customer_id", "reason": "missing"},
        {"row": 3, "column": "order_date", "reason": "invalid_date"},
        {"row": 4, "column": "amount", "reason": "invalid_number"},
        {"row": 6, "column": "quantity", "reason": "invalid_number"},
    ]
    rejects_csv = pl.read_csv(r.rejects_file, infer_schema=False)
    assert rejects_csv.columns == ["row_number", "column_name", "reason", "customer_id",
                                   "order_date", "amount", "quantity"]
    assert rejects_csv.get_column("order_date").to_list()[1] == "someday"
    assert Path(r.rejects_file).parent == tmp_path / "rejects"
    kept = store.import_rejects(con, r.import_id)
    assert kept.get_column("row_number").to_list() == [2, 3, 4, 6]
    assert json.loads(kept.get_column("raw")[2])["amount"] == "ten"
    log = store.import_history(con).row(0, named=True)
    assert (log["rows_read"], log["rows_loaded"], log["rows_rejected"],
            log["rows_duplicate"]) == (7, 3, 4, 0)


def test_amount_from_quantity_times_price(con: duckdb.DuckDBPyConnection,
                                          tmp_path: Path) -> None:
    path = tmp_path / "lines.csv"
    path.write_text("订单号,客户编号,订单日期,数量,单价\n"
                    "O1,A,2024-01-01,3,\"1,000.50\"\n"
                    "O1,A,2024-01-01,-1,2\n"
                    "O2,B,2024-01-02,2,0\n", encoding="utf-8")
    r = import_file(con, "orders", path)
    assert r.rows_loaded == 3
    assert _orders(con).get_column("amount").to_list() == [3001.5, -2.0, 0.0]


def test_reimport_of_same_file_is_not_double_counted(con: duckdb.DuckDBPyConnection,
                                                     tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("customer_id,order_date,amount\nA,2024-01-01,1\nB,2024-01-02,2\n",
                    encoding="utf-8")
    first = import_file(con, "orders", path)
    again = import_file(con, "orders", path, file_name="copy of orders.csv")
    assert (again.rows_read, again.rows_loaded, again.rows_duplicate) == (2, 0, 2)
    assert "already imported" in again.warnings[-1]
    assert _orders(con).height == 2
    replaced = import_file(con, "orders", path, mode="replace")
    assert replaced.rows_loaded == 2 and _orders(con).height == 2
    assert first.import_id < again.import_id < replaced.import_id
    assert store.data_version(con) == replaced.import_id


def test_replace_mode_replaces_only_its_table(con: duckdb.DuckDBPyConnection,
                                              tmp_path: Path) -> None:
    import_frame(con, "customers", pl.DataFrame({"customer_id": ["A", "B"]}), "c.csv")
    a = tmp_path / "a.csv"
    a.write_text("customer_id,order_date,amount\nA,2024-01-01,1\n", encoding="utf-8")
    b = tmp_path / "b.csv"
    b.write_text("customer_id,order_date,amount\nB,2024-01-05,7\nB,2024-01-06,8\n",
                 encoding="utf-8")
    import_file(con, "orders", a)
    import_file(con, "orders", b, mode="replace")
    assert _orders(con).get_column("customer_id").to_list() == ["B", "B"]
    assert store.read_table(con, "customers").height == 2


def test_complaints_export_with_multiline_text_and_month_first_dates(
        con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = tmp_path / "complaints.csv"
    path.write_text(
        "投诉编号,投诉日期,客户编号,投诉内容,是否合理,处理状态,解决日期,满意度\n"
        'T1,1/13/2024,C1,"Broken lid.\nSecond line, with comma",是,已解决,1/20/2024,4\n'
        'T2,2/1/2024,C2,"短",N,处理中,,\n'
        "T3,2/3/2024,,x,maybe,open,,\n", encoding="utf-8")
    r = import_file(con, "complaints", path)
    assert (r.rows_loaded, r.rows_rejected) == (2, 1)
    assert r.errors == [{"row": 3, "column": "reasonable", "reason": "invalid_boolean"}]
    got = store.read_table(con, "complaints").sort("complaint_id")
    assert got.get_column("received_date").to_list() == [dt.date(2024, 1, 13),
                                                         dt.date(2024, 2, 1)]
    assert got.get_column("description")[0] == "Broken lid.\nSecond line, with comma"
    assert got.get_column("reasonable").to_list() == [True, False]
    assert got.get_column("resolved_date").to_list() == [dt.date(2024, 1, 20), None]
    assert got.get_column("satisfaction").to_list() == [4.0, None]


def test_customer_codes_in_chinese(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    path.write_text("会员编号,姓名,流失日期,流失原因,流失类型\n"
                    "1,张三,2024-03-01,价格,主动\n"
                    "2,李四,,,\n"
                    "3,王五,2024-03-02,weather,被动\n", encoding="utf-8")
    r = import_file(con, "customers", path)
    assert r.errors == [{"row": 3, "column": "churn_reason", "reason": "invalid_code"}]
    got = store.read_table(con, "customers").sort("customer_id")
    assert got.select("customer_id", "churn_reason", "churn_type").rows() == [
        ("1", "price", "active"), ("2", None, None)]


@pytest.mark.parametrize("content,message", [
    (b"", "empty"),
    (b"\x00\x01\x02\x03binary\x00" * 50, "binary"),
    (b"C001,2024-01-05,100\nC002,2024-01-06,50\n", "header"),
    (b"customer_id,amount\nA,1\n", "required column missing"),
    (b"customer_id,order_date,amount\n", "no rows"),
])
def test_unusable_files_leave_store_unchanged(con: duckdb.DuckDBPyConnection, tmp_path: Path,
                                              content: bytes, message: str) -> None:
    import_frame(con, "customers", pl.DataFrame({"customer_id": ["A"]}), "seed")
    before = _snapshot(con)
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(UnusableInputError, match=message):
        import_file(con, "orders", path)
    assert _snapshot(con) == before


def test_corrupt_xlsx_is_unusable(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"not really a zip" * 20)
    before = _snapshot(con)
    with pytest.raises(UnusableInputError, match="Excel"):
        import_file(con, "orders", path)
    assert _snapshot(con) == before


def test_failure_mid_load_rolls_back(con: duckdb.DuckDBPyConnection, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from crm_logic.ingest import writer

    import_frame(con, "orders", pl.DataFrame({"customer_id": ["Z"], "order_date": ["2024-1-1"],
                                              "amount": [1.0]}), "seed")
    before = _snapshot(con)
    path = tmp_path / "orders.csv"
    path.write_text("customer_id,order_date,amount\nA,2024-01-01,x\nB,2024-01-02,2\n",
                    encoding="utf-8")

    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(writer, "_insert_log", boom)
    with pytest.raises(RuntimeError):
        import_file(con, "orders", path, mode="replace")
    assert _snapshot(con) == before
    assert _orders(con).get_column("customer_id").to_list() == ["Z"]


def test_import_frame_keeps_typed_values(con: duckdb.DuckDBPyConnection) -> None:
    df = pl.DataFrame({"customer_id": ["A", "B", None], "order_date": [dt.date(2024, 1, 1)] * 3,
                       "amount": [1.25, -3.0, 2.0], "order_id": ["1", "2", "3"]})
    r = import_frame(con, "orders", df, "sample", mode="replace")
    assert (r.rows_loaded, r.rows_rejected) == (2, 1)
    assert_frame_equal(_orders(con), df.head(2).select("customer_id", "order_date", "amount"))
    with pytest.raises(UnusableInputError, match="not columns of orders"):
        import_frame(con, "orders", df.with_columns(pl.lit(1).alias("colour")), "x")


def test_profiles_save_and_reuse(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("who,when,paid\nA,2024-01-01,3\n", encoding="utf-8")
    with pytest.raises(UnusableInputError, match="required column missing"):
        import_file(con, "orders", path)
    store.save_profile(con, "odd shop", "orders",
                       {"who": "customer_id", "when": "order_date", "paid": "amount"})
    assert store.list_profiles(con) == ["odd shop"]
    assert store.list_profiles(con, "customers") == []
    assert import_file(con, "orders", path, profile="odd shop").rows_loaded == 1
    with pytest.raises(UnusableInputError, match="no mapping profile"):
        import_file(con, "orders", path, profile="nope")


def test_preview_reads_first_rows(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(GBK_CSV.encode("gbk"))
    prev = read_preview(path, n=2)
    assert prev.columns == ["客户编号", "下单时间", "实付金额", "商品", "备注"]
    assert prev.get_column("实付金额").to_list() == ["￥1,234.50", "1000"]


def test_progress_reported(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    path.write_text("customer_id,order_date,amount\nA,2024-01-01,1\n", encoding="utf-8")
    seen: list[float] = []
    import_file(con, "orders", path, progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0


def test_date_form_unseen_in_sample_still_reads(con: duckdb.DuckDBPyConnection,
                                                tmp_path: Path) -> None:
    # the first 10,000 rows (the sample) are ISO; later rows use other forms
    n = 10_500
    days = [f"2024-01-{1 + i % 28:02d}" for i in range(n - 3)]
    days += ["2024年3月5日", "45296", "not a date"]
    pl.DataFrame({"customer_id": [f"C{i}" for i in range(n)], "order_date": days,
                  "amount": ["1"] * n}).write_csv(tmp_path / "late.csv")
    r = import_file(con, "orders", tmp_path / "late.csv")
    assert (r.rows_loaded, r.rows_rejected) == (n - 1, 1)
    assert r.errors == [{"row": n, "column": "order_date", "reason": "invalid_date"}]
    got = store.read_table(con, "orders").filter(pl.col("customer_id").is_in(
        [f"C{n - 3}", f"C{n - 2}"])).sort("customer_id")
    assert got.get_column("order_date").to_list() == [dt.date(2024, 3, 5), dt.date(2024, 1, 5)]


def test_rows_differing_only_in_an_unmapped_column_are_not_duplicates(
        con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    path.write_text("customer_id,order_date,amount,note\n"
                    "A,2024-01-01,1,x\nA,2024-01-01,1,y\nA,2024-01-01,1,x\n", encoding="utf-8")
    r = import_file(con, "orders", path, duplicates="drop")
    assert (r.rows_loaded, r.rows_duplicate) == (2, 1)


def test_number_form_unseen_in_sample_still_reads(con: duckdb.DuckDBPyConnection,
                                                  tmp_path: Path) -> None:
    n = 10_200
    amounts = ["5"] * (n - 3) + ["¥1,000.50", "(3)", "abc"]
    pl.DataFrame({"customer_id": [f"C{i}" for i in range(n)], "order_date": ["2024-01-01"] * n,
                  "amount": amounts}).write_csv(tmp_path / "late.csv")
    r = import_file(con, "orders", tmp_path / "late.csv")
    assert (r.rows_loaded, r.rows_rejected) == (n - 1, 1)
    assert r.errors == [{"row": n, "column": "amount", "reason": "invalid_number"}]
    assert store.read_table(con, "orders").get_column("amount").sum() == 5 * (n - 3) + 997.5
