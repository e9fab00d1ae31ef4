"""Overview sections of issue 14 under AppTest: KPIs, the 4R scorecard, scenarios."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crm_logic import fmt, kpis, scenarios, store
from crm_logic.cli import main
from crm_logic.pipeline import latest_date
from tests.pagetest import metric, metric_int, open_page

PAGE = "pages/overview.py"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_kpis_and_4r_match_the_report(sample_db: Path, lang: str,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(sample_db), "report"]) == 0
    rep = json.loads(capsys.readouterr().out)
    at = open_page(PAGE, lang)
    assert not at.error
    k = rep["kpis"]
    label = "Active customers" if lang == "en" else "活跃客户"
    assert metric_int(at, label) == k["active_customers"]["value"]
    revenue = metric(at, "Revenue" if lang == "en" else "收入")
    assert revenue == fmt.money(k["revenue"]["value"], "CNY", lang)  # sample: Chinese regions
    loyal = "Loyal big customers" if lang == "en" else "忠诚大客户"
    assert metric_int(at, loyal) == rep["four_r"]["reward"]["loyal_big"]
    hit = metric(at, "Early-warning hit rate" if lang == "en" else "流失预警命中率")
    assert hit == f"{rep['four_r']['retention']['early_warning']['hit_rate']:.1%}"


def test_quarter_period(sample_db: Path) -> None:
    at = open_page(PAGE, "en")
    at.radio(key="cfg.kpi_period").set_value("quarter").run()
    assert not at.exception
    con = store.connect(sample_db)
    day = latest_date(store.load_data(con))  # the page's default as-of
    con.close()
    cur, prev = kpis.complete_periods(day, "quarter")
    want = f"{cur.start.year} Q{(cur.start.month - 1) // 3 + 1} against " \
           f"{prev.start.year} Q{(prev.start.month - 1) // 3 + 1}"
    assert any(want in c.value for c in at.caption), want


def test_scenario_save_load_compare(sample_db: Path) -> None:
    at = open_page(PAGE, "en")
    at.session_state["_cfg"] = {"risk_high": 0.9, "kpi_period": "month"}
    at.text_input(key="scenario.name").input("strict").run()
    at.button(key="scenario.save").click().run()
    assert not at.exception
    con = store.connect(sample_db)
    assert scenarios.load_scenario(con, "strict") == {"risk_high": 0.9}
    con.close()
    at.session_state["_cfg"] = {}
    at.run()
    at.button(key="scenario.load").click().run()
    assert not at.exception
    assert scenarios.changed_settings(at.session_state["_cfg"]) == {"risk_high": 0.9}
    before = len(at.dataframe)
    at.toggle(key="scenario.compare").set_value(True).run()
    assert not at.exception
    assert len(at.dataframe) == before + 2  # KPIs and actions, defaults vs scenario
    kpi_table = at.dataframe[-2].value
    assert list(kpi_table.columns) == ["Measure", "Defaults", "Scenario"]
