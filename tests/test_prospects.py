"""Prospects: import with Chinese headers and 是/否, MAN, sources, funnel (hand-computed)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import duckdb
import polars as pl
import pytest

from crm_logic import prospects as pr
from crm_logic import store
from crm_logic.cli import main
from crm_logic.config import CrmConfig
from crm_logic.ingest import guess_table, suggest_mapping
from crm_logic.report import build_report

AS_OF = dt.date(2024, 6, 30)
CFG = dataclasses.replace(CrmConfig(), prospect_open_max_days=100)
# Row 7 lacks its id, P6 says "maybe" to money, P8 has no date: three rejects.
FILE = """潜在客户编号,姓名,手机,来源,有购买力,有决策权,有需求,登记日期,成交客户编号
P1,张三,13812345678,朋友,是,是,是,2024-01-05,C1
P2,李四,,同事,否,是,是,2024/02/01,
P3,王五,,亲戚,是,否,Y,2024-03-01,
P4,赵六,,老乡,是,是,是,2024-05-01,
P5,钱七,,网络广告,是,是,是,2024-06-20,C2
P6,孙八,,师生,maybe,是,是,2024-01-01,
,周九,,朋友,是,是,是,2024-01-01,
P8,吴十,,朋友,是,是,是,not a date,
P9,郑一,,,是,,是,2024-06-01,C3
P10,冯二,,朋友,是,是,是,2024-07-15,
"""


@pytest.fixture()
def loaded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[dict, pl.DataFrame]:
    src = tmp_path / "潜在客户.csv"
    src.write_text(FILE, encoding="utf-8")
    db = tmp_path / "crm.duckdb"
    assert main(["--db", str(db), "import", "prospects", str(src)]) == 0
    out = json.loads(capsys.readouterr().out)
    con = store.connect(db)
    try:
        frame = store.read_table(con, "prospects")
    finally:
        con.close()
    return out, frame


def test_chinese_headers_map_and_guess() -> None:
    cols = FILE.splitlines()[0].split(",")
    mapping = suggest_mapping("prospects", cols)
    assert mapping == {
        "潜在客户编号": "prospect_id", "姓名": "name", "手机": "phone", "来源": "source",
        "有购买力": "has_money", "有决策权": "has_authority", "有需求": "has_need",
        "登记日期": "created_date", "成交客户编号": "converted_customer_id"}
    assert suggest_mapping("prospects", ["购买力", "决策权", "需求"]) == {
        "购买力": "has_money", "决策权": "has_authority", "需求": "has_need"}
    assert guess_table(cols) == "prospects"
    assert guess_table(["客户编号", "订单日期", "金额"]) == "orders"


def test_import_rejects_with_reasons(loaded: tuple[dict, pl.DataFrame]) -> None:
    out, frame = loaded
    assert (out["table"], out["rows_read"], out["rows_loaded"], out["rows_rejected"]) == \
        ("prospects", 10, 7, 3)
    assert out["errors"] == [
        {"row": 6, "column": "has_money", "reason": "invalid_boolean"},
        {"row": 7, "column": "prospect_id", "reason": "missing"},
        {"row": 8, "column": "created_date", "reason": "invalid_date"}]
    assert frame.get_column("prospect_id").to_list() == ["P1", "P2", "P3", "P4", "P5", "P9",
                                                         "P10"]
    p3 = frame.row(2, named=True)
    assert (p3["has_money"], p3["has_authority"], p3["has_need"]) == (True, False, True)
    assert p3["source"] == "亲戚"
    assert frame.row(1, named=True)["created_date"] == dt.date(2024, 2, 1)
    assert frame.row(5, named=True)["has_authority"] is None  # blank: unknown, not "no"


def test_bad_file_exits_2_and_writes_nothing(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "p.csv"
    src.write_text("姓名,来源\n张三,朋友\n", encoding="utf-8")
    db = tmp_path / "crm.duckdb"
    assert main(["--db", str(db), "import", "prospects", str(src)]) == 2
    err = capsys.readouterr().err
    assert "prospect_id" in err and "created_date" in err and err.count("\n") == 1
    assert not db.exists()


def _customers() -> pl.DataFrame:
    """Analysis rows: C1 bought 3 times and reached stability; C2 once and was lost."""
    return pl.DataFrame({"customer_id": ["C1", "C2", "C9"], "occasions": [3, 1, 5],
                         "peak_stage": ["stability", "exploration", "stability"],
                         "churned": [False, True, False],
                         "lifetime_value": [1000.0, 200.0, 9999.0]})


def test_counts_and_funnel_by_hand(loaded: tuple[dict, pl.DataFrame]) -> None:
    _, frame = loaded
    rep = pr.prospect_report(frame, _customers(), CFG, AS_OF)
    # P10 is registered after as_of; C3 (P9) has no purchase: not converted
    assert (rep["total"], rep["qualified"], rep["converted"]) == (6, 3, 2)
    assert rep["conversion_rate"] == pytest.approx(2 / 6)
    # open: P4 (60 days), P9 (29 days); lost: P2 (150 days), P3 (121 days) > 100
    assert (rep["open"], rep["lost"]) == (2, 2)
    assert rep["missing"] == {"has_authority": 2, "has_money": 1, "has_need": 0}
    assert rep["most_missing"] == "has_authority"
    assert rep["funnel"] == {"prospects": 6, "first_purchase": 2, "repeat_purchase": 1,
                             "loyal": 1, "churned": 1}
    by = {r["source"]: r for r in rep["by_source"]}
    assert [r["source"] for r in rep["by_source"]] == [
        "relatives", "friends", "colleagues", "hometown", "unknown", "网络广告"]
    assert by["friends"]["converted"] == 1 and by["friends"]["avg_lifetime_value"] == 1000.0
    assert by["网络广告"]["relation"] is False and by["网络广告"]["avg_lifetime_value"] == 200.0
    assert by["colleagues"]["conversion_rate"] == 0.0
    assert by["colleagues"]["avg_lifetime_value"] is None
    assert by["hometown"]["qualified"] == 1


def test_open_window_is_the_what_if(loaded: tuple[dict, pl.DataFrame]) -> None:
    _, frame = loaded
    longer = dataclasses.replace(CFG, prospect_open_max_days=200)
    rep = pr.prospect_report(frame, _customers(), longer, AS_OF)
    assert (rep["open"], rep["lost"]) == (4, 0)
    facts = pr.prospect_facts(frame, _customers(), longer, AS_OF)
    assert pr.open_prospects(facts).get_column("prospect_id").to_list() == ["P4"]
    man = pr.man_summary(facts)
    assert man.row(0, named=True) == {"criterion": "has_authority", "no": 1, "unknown": 1,
                                      "missing": 2, "missing_share": pytest.approx(2 / 6)}


def test_open_list_oldest_first() -> None:
    rows = pl.DataFrame({"prospect_id": ["A", "B", "C", "D"],
                         "created_date": [dt.date(2024, 5, 1), dt.date(2024, 3, 1),
                                          dt.date(2024, 4, 1), dt.date(2024, 1, 1)],
                         "has_money": [True] * 4, "has_authority": [True] * 4,
                         "has_need": [True, True, True, None],
                         "source": ["Friends", " 同事 ", "teacher-student", None]})
    frame = rows.with_columns(pl.lit(None, dtype=pl.String).alias(c) for c in
                              ("name", "phone", "email", "converted_customer_id"))
    facts = pr.prospect_facts(frame, None, CrmConfig(), AS_OF)
    assert pr.open_prospects(facts).get_column("prospect_id").to_list() == ["B", "C", "A"]
    assert facts.get_column("source_code").to_list() == ["friends", "colleagues",
                                                         "teacher_student", "unknown"]
    assert pr.funnel(facts) == {"prospects": 4, "first_purchase": 0, "repeat_purchase": 0,
                                "loyal": 0, "churned": 0}


def test_report_joins_prospects_to_orders(loaded: tuple[dict, pl.DataFrame]) -> None:
    _, frame = loaded
    orders = pl.DataFrame({
        "customer_id": ["C1", "C1", "C1", "C2", "X"],
        "order_date": [dt.date(2024, 1, 10), dt.date(2024, 2, 10), dt.date(2024, 3, 10),
                       dt.date(2024, 6, 25), dt.date(2024, 6, 1)],
        "amount": [100.0, 120.0, 90.0, 50.0, 10.0]})
    con = duckdb.connect()
    store.create_schema(con)
    for name, df in (("orders", orders), ("prospects", frame)):
        con.register("f", df.to_arrow())
        con.execute(f"INSERT INTO {name} ({', '.join(df.columns)}) SELECT * FROM f")
        con.unregister("f")
    rep = build_report(store.load_data(con), CFG, AS_OF)["prospects"]
    assert (rep["total"], rep["converted"]) == (6, 2)
    assert rep["funnel"]["first_purchase"] == 2 and rep["funnel"]["repeat_purchase"] == 1
    assert rep["funnel"]["loyal"] <= 1


def test_sample_prospects() -> None:
    """About a third converted, into existing customers, registered before their signup."""
    from crm_logic.sample import generate

    data = generate(n_customers=600, seed=4)
    p, c = data["prospects"], data["customers"]
    assert p.schema == pl.Schema(store.polars_schema("prospects"))
    assert p.get_column("prospect_id").is_unique().all()
    conv = p.filter(pl.col("converted_customer_id").is_not_null())
    assert conv.height == 90 and p.height == 270  # 15% of the customers, a third
    joined = conv.join(c, left_on="converted_customer_id", right_on="customer_id")
    assert joined.height == conv.height
    assert (joined["created_date"] < joined["signup_date"]).all()
    assert (joined["name"] == joined["name_right"]).all()
    assert set(p.get_column("source").unique()) <= set(pr.RELATIONS) | {"online", "event"}
    facts = pr.prospect_facts(p, None, CrmConfig(), dt.date(2026, 6, 30))
    man = pr.man_summary(facts)
    assert man.get_column("criterion")[0] == "has_money"
