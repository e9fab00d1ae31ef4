"""The Overview page under AppTest: both languages, figures consistent with the report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from crm_logic import store
from tests.pagetest import metric_int, open_page

PAGE = "pages/overview.py"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_on_sample(sample_db: Path, lang: str) -> None:
    at = open_page(PAGE, lang)
    assert at.title[0].value == ("Overview" if lang == "en" else "总览")
    assert not at.error
    assert metric_int(at, "Customers" if lang == "en" else "客户数") == 600
    high = metric_int(at, "High churn risk" if lang == "en" else "高流失风险")
    assert 0 <= high <= 600
    assert len(at.get("plotly_chart")) == 3


def test_what_if_moves_the_numbers(sample_db: Path) -> None:
    at = open_page(PAGE, "en")
    before = metric_int(at, "High churn risk")
    at.session_state["_cfg"] = {"risk_high": 0.95}
    at.run()
    assert not at.exception
    assert metric_int(at, "High churn risk") <= before


def test_as_of_in_the_past(sample_db: Path) -> None:
    at = open_page(PAGE, "en", as_of=dt.date(2024, 6, 30))
    assert not at.error
    assert metric_int(at, "Customers") < 600


def test_complaints_only_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "c.duckdb"
    con = store.connect(db)
    con.execute("INSERT INTO complaints (complaint_id, received_date) VALUES "
                "('K1', DATE '2024-01-05')")
    con.close()
    monkeypatch.setenv("CRM_DB", str(db))
    at = open_page(PAGE, "en")
    assert any("no orders" in i.value for i in at.info)
