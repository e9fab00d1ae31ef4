"""Issue 11 item 12: public complaint exports (CFPB-style) load right without --map."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import polars as pl
import pytest

from crm_logic import store
from crm_logic.complaints import status_code_expr
from crm_logic.ingest import import_file, suggest_mapping

TODAY = dt.date(2024, 6, 30)

SNAKE = (
    "date_received,product,sub_product,issue,sub_issue,consumer_complaint_narrative,"
    "company_public_response,company,state,zipcode,submitted_via,date_sent_to_company,"
    "company_response_to_consumer,timely_response,consumer_disputed,complaint_id\n"
    "7/22/13,Mortgage,,Loan servicing,,,,"
    "Bank A,CA,94110,Web,7/23/13,Closed with explanation,Yes,No,468882\n"
    "8/21/13,Credit card,,Billing disputes,,,,"
    "Bank B,NY,10001,Referral,8/22/13,Closed with monetary relief,Yes,No,468889\n"
    "8/20/13,Debt collection,,Cont'd attempts,,,,"
    "Bank C,TX,73301,Phone,8/20/13,In progress,Yes,,468890\n")


@pytest.fixture()
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    c = store.connect(tmp_path / "crm.duckdb")
    yield c
    c.close()


def test_snake_case_export_maps_dates_status_and_category(con: duckdb.DuckDBPyConnection,
                                                          tmp_path: Path) -> None:
    path = tmp_path / "cfpb_2013.csv"
    path.write_text(SNAKE, encoding="utf-8")
    cols = SNAKE.split("\n", 1)[0].split(",")
    got = suggest_mapping("complaints", cols)
    assert got["date_received"] == "received_date" and got["issue"] == "category"
    assert got["company_response_to_consumer"] == "status"
    assert got["submitted_via"] == "channel" and "state" not in got
    assert got["timely_response"] == "timely_response"
    r = import_file(con, "complaints", path, today=TODAY)
    assert (r.rows_loaded, r.rows_rejected) == (3, 0)
    df = store.read_table(con, "complaints").sort("complaint_id")
    assert df.get_column("received_date").to_list() == [
        dt.date(2013, 7, 22), dt.date(2013, 8, 21), dt.date(2013, 8, 20)]
    assert df.get_column("category").to_list() == ["Loan servicing", "Billing disputes",
                                                   "Cont'd attempts"]
    codes = df.select(status_code_expr("status")).get_column("status_code").to_list()
    assert codes == ["resolved", "resolved", "in_progress"]
    assert df.get_column("timely_response").to_list() == [True, True, True]


def test_export_without_complaint_ids_gets_stable_ids(con: duckdb.DuckDBPyConnection,
                                                      tmp_path: Path) -> None:
    text = ("Date received,Product,Issue,Sub-issue,Company response to consumer,"
            "Submitted via,Timely response?\n"
            "03/01/2017,Mortgage,Servicing,Escrow,Closed with explanation,Web,Yes\n"
            "03/02/2017,Mortgage,Servicing,Escrow,Closed with explanation,Web,Yes\n"
            "03/02/2017,Mortgage,Servicing,Escrow,Closed with explanation,Web,Yes\n")
    path = tmp_path / "cfpb 2013-2017.csv"
    path.write_text(text, encoding="utf-8")
    r = import_file(con, "complaints", path, today=TODAY)
    assert (r.rows_read, r.rows_loaded) == (3, 3)  # no id: a repeat is kept, and counted
    assert not [w for w in r.warnings if "Timely" in w]  # mapped, not ignored
    assert any("complaint_id" in w for w in r.warnings)
    ids = store.read_table(con, "complaints").sort("received_date").get_column(
        "complaint_id").to_list()
    assert len(set(ids)) == 3 and ids[0].endswith("-1") and ids[0].startswith("cfpb_2013-2017-")
    # the same file under another name in a fresh store: the same ids (file content + row)
    con2 = store.connect(tmp_path / "other.duckdb")
    import_file(con2, "complaints", path, today=TODAY, file_name="cfpb 2013-2017.csv")
    again = store.read_table(con2, "complaints").sort("received_date")
    assert again.get_column("complaint_id").to_list() == ids
    con2.close()
    assert pl.Series(ids).str.contains("-").all()
