"""Complaints-only, end to end: a service team's real-looking export through the importer.

tests/fixtures/complaints_export.csv: UTF-8 with BOM, CRLF rows, Chinese headers, dates as
M/D/YYYY, long descriptions with line breaks, commas and quotes inside quoted fields, a
description that starts like a formula, status words (已解决 without a date), 是/否, blank
cells, channels that are not our codes (12315, 消费者协会, 律师函 = escalations). Twelve
complaints; the twelfth is received after the as-of date. Hand-computed, as of 2024-04-30:

| id | received | resolved | days | age | status | SLA |
|----|----------|----------|------|-----|--------|-----|
| 1 | 01-03 | 01-08 | 5 | | 已解决 | in |
| 2 | 01-15 | 01-22 | 7 | | 已关闭 | in (edge) |
| 3 | 02-02 | 02-20 | 18 | | 已处理 | late |
| 4 | 02-14 | — | ? | | 已解决 | unknown |
| 5 | 03-01 | — | | 60 | 处理中 | late |
| 6 | 03-12 | 03-19 | 7 | | closed | in (edge) |
| 7 | 03-25 | — | | 36 | pending | late |
| 8 | 04-02 | — | | 28 | 待处理 | late |
| 9 | 04-10 | 04-29 | 19 | | 已解决 | late |
| 10 | 04-26 | — | | 4 | 未处理 | in |
| 11 | 04-29 | — | | 1 | 处理中 | in |
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from crm_logic import complaints as cl
from crm_logic import store
from crm_logic.config import CrmConfig
from crm_logic.export import to_safe_csv

FIXTURE = Path(__file__).parent / "fixtures" / "complaints_export.csv"
AS_OF = dt.date(2024, 4, 30)
CFG = CrmConfig()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> store.CrmData:
    from crm_logic.ingest import import_file

    con = store.connect(tmp_path_factory.mktemp("only") / "x.duckdb")
    result = import_file(con, "complaints", FIXTURE)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (12, 12, 0), \
        result.to_json_dict()
    data = store.load_data(con)
    con.close()
    return data


def test_import_keeps_the_shape(loaded: store.CrmData) -> None:
    c = loaded.complaints.sort("complaint_id")
    assert loaded.orders.is_empty() and loaded.customers.is_empty()
    first = c.row(0, named=True)
    assert first["received_date"] == dt.date(2024, 1, 3)  # M/D/YYYY, month first
    assert first["resolved_date"] == dt.date(2024, 1, 8)
    assert first["description"].replace("\r\n", "\n") == \
        "用了三天就漏水，\n底座有焦味。\n客户很生气，要求马上处理"
    assert first["reasonable"] is True and first["satisfaction"] == 4.0
    assert c.row(1, named=True)["description"] == '快递延误一周, 外包装"严重"破损'
    assert c.get_column("reasonable").to_list() == [True, True, False, False, True, True, True,
                                                    None, True, False, True, True]
    assert c.filter(pl.col("complaint_id") == "TS-0008")["customer_id"].item() is None


def test_report_on_the_export(loaded: store.CrmData) -> None:
    rep = cl.complaint_report(loaded.complaints, CFG, AS_OF)
    assert rep == {
        "total": 11, "open": 5, "resolved": 6,
        "median_days_to_resolve": 7.0,  # 5, 7, 7, 18, 19
        "sla_breach_rate": 0.5,  # 3, 5, 7, 8, 9 of the 10 known
        "by_category": {"质量问题": 5, "服务": 2, "物流": 2, "价格": 1, "其他": 1},
    }


def test_statistics_on_the_export(loaded: store.CrmData) -> None:
    f = cl.complaint_facts(loaded.complaints, CFG, AS_OF, orders=loaded.orders,
                           customers=loaded.customers)
    s = cl.resolution_summary(f)
    assert s["p90_days_to_resolve"] == pytest.approx(18.6)  # 18 + 0.6 * (19 - 18)
    assert (s["escalated"], s["resolved_days_unknown"]) == (3, 1)  # 12315, 消费者协会, 律师函
    assert s["satisfaction_mean"] == pytest.approx((4 + 3 + 2 + 5 + 1) / 5)
    assert cl.backlog_by_age(f, CFG).select("age_bucket", "complaints").rows() == [
        ("0-7", 2), ("8-30", 1), ("31-90", 2), (">90", 0)]
    assert cl.repeat_complainers(f, CFG)["customer_id"].to_list() == ["C003", "C002", "C001"]
    assert cl.reasonable_mix(f).rows() == [("yes", 7, 7 / 11), ("no", 3, 3 / 11),
                                           ("unknown", 1, 1 / 11)]
    # complaints only: tenure, rates and churn need orders/customers and say so by being empty
    assert cl.customer_kind_mix(f)["customer_kind"].to_list() == ["unknown"]
    assert cl.complaint_rate_per_100_orders(f, loaded.orders, "product", AS_OF).is_empty()
    assert cl.churned_frame(loaded, CFG, AS_OF)[0].is_empty()
    months = cl.volume_by_month(f)
    assert months.select("month", "complaints").rows() == [
        (dt.date(2024, 1, 1), 2), (dt.date(2024, 2, 1), 2), (dt.date(2024, 3, 1), 3),
        (dt.date(2024, 4, 1), 4)]


def test_export_of_the_import(loaded: store.CrmData) -> None:
    frame = cl.complaints_export_frame(loaded.complaints, CFG, AS_OF)
    assert frame.height == 11
    text = to_safe_csv(frame).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    back = pl.read_csv(to_safe_csv(frame), infer_schema=False)
    assert back.columns[-4:] == ["status_code", "days_to_resolve", "sla_breached", "age_days"]
    assert back.filter(pl.col("complaint_id") == "TS-0004")["status_code"].item() == "resolved"


def test_cli_report_and_export_complaints_only(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """The contract's CLI on a complaints-only store: report.complaints and export complaints."""
    import json

    from crm_logic.cli import main

    db = str(tmp_path / "cli.duckdb")
    assert main(["--db", db, "import", "complaints", str(FIXTURE)]) == 0
    capsys.readouterr()
    assert main(["--db", db, "report", "--as-of", "2024-04-30"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["complaints"]["total"] == 11
    assert report["complaints"]["sla_breach_rate"] == 0.5
    assert report["complaints"]["by_category"]["质量问题"] == 5
    out = tmp_path / "complaints.csv"
    assert main(["--db", db, "export", "complaints", "--out", str(out),
                 "--as-of", "2024-04-30"]) == 0
    back = pl.read_csv(out, infer_schema=False, encoding="utf8-lossy")
    assert back.height == 11
    assert back.columns[:2] == ["complaint_id", "received_date"]
    assert back.columns[-4:] == ["status_code", "days_to_resolve", "sla_breached", "age_days"]
