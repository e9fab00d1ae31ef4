"""The Lifecycle page under AppTest: sample store in both languages, what-if, lists, no orders."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from crm_logic import store
from tests.pagetest import metric_int as _metric
from tests.pagetest import open_page

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGE = "pages/lifecycle.py"


def _open(lang: str = "en") -> AppTest:
    return open_page(PAGE, lang)



@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_on_sample(sample_db: Path, lang: str) -> None:
    at = _open(lang)
    assert at.title[0].value == ("Customer lifecycle" if lang == "en" else "客户生命周期")
    assert not at.error
    active = _metric(at, "Active customers" if lang == "en" else "活跃客户")
    lost = _metric(at, "Lost customers" if lang == "en" else "流失客户")
    assert active > 0 and lost > 0


def test_what_if_and_lists(sample_db: Path) -> None:
    at = _open("en")
    lost = _metric(at, "Lost customers")
    # a longer inactivity floor can only keep more customers active
    at.slider(key="cfg.churn_gap_floor_days").set_value(720).run()
    assert not at.exception, at.exception
    assert _metric(at, "Lost customers") <= lost
    at.selectbox(key="cfg.lifecycle_period").set_value("quarter").run()
    assert not at.exception, at.exception
    at.toggle(key="lifecycle.normalise").set_value(True).run()
    assert not at.exception, at.exception
    # quick list: lost long-term customers
    at.selectbox(key="lifecycle.list.preset").set_value("lost_long_term").run()
    assert not at.exception, at.exception
    assert at.radio(key="lifecycle.list.status").value == "lost"
    assert at.multiselect(key="lifecycle.list.patterns").value == ["long_term"]


def test_page_without_orders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "crm.duckdb"
    con = store.connect(path)
    con.execute("INSERT INTO complaints (complaint_id, received_date) "
                "VALUES ('K1', DATE '2024-01-05')")
    con.close()
    monkeypatch.setenv("CRM_DB", str(path))
    at = _open("en")
    assert any("needs orders" in i.value for i in at.info)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_unknown_starts_and_the_window_are_explained(sample_db: Path, lang: str) -> None:
    at = _open(lang)
    assert not at.exception, at.exception
    note = "history before the data" if lang == "en" else "数据之前已有往来"
    assert any(note in i.value for i in at.info)  # relationships older than the data
    window = "long enough to watch" if lang == "en" else "足以观察"
    assert any(window in c.value for c in at.caption)  # four years: long-term observable
    # what-if: no unknown starts at all
    at.slider(key="cfg.unknown_start_days").set_value(0)
    at.slider(key="cfg.unknown_start_gaps").set_value(0.0).run()
    assert not at.exception, at.exception
    assert not any(note in i.value for i in at.info)
