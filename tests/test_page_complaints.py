"""The Complaints page under AppTest: the sample store, and a complaints-only store."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from crm_logic import store
from tests.pagetest import metric as _metric
from tests.pagetest import open_page
from tests.test_complaints import AS_OF, _complaints

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGE = "pages/complaints.py"


def _open(lang: str = "en", as_of: object = None) -> AppTest:
    return open_page(PAGE, lang, as_of=as_of)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_on_sample(sample_db: Path, lang: str) -> None:
    at = _open(lang)
    title = "Complaints" if lang == "en" else "投诉分析"
    assert at.title[0].value == title
    assert not at.error
    total = _metric(at, "Complaints" if lang == "en" else "投诉总数")
    assert int(total.replace(",", "")) > 0
    # what-if: a shorter SLA can only raise the breach rate
    label = "SLA breach rate" if lang == "en" else "超时率"
    before = float(_metric(at, label).rstrip("%"))
    at.slider(key="cfg.sla_days").set_value(1).run()
    assert not at.exception
    after = float(_metric(at, label).rstrip("%"))
    assert after >= before
    assert len(at.get("download_button")) == 4


def test_page_complaints_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A service team's export alone: complaint figures shown, order figures say so."""
    db = tmp_path / "crm.duckdb"
    con = store.connect(db)
    frame = _complaints()
    con.register("frame", frame.to_arrow())
    con.execute(f"INSERT INTO complaints SELECT {', '.join(frame.columns)} FROM frame")
    con.close()
    monkeypatch.setenv("CRM_DB", str(db))
    at = _open("en", AS_OF)
    assert not at.error
    assert _metric(at, "Complaints") == "8"
    assert _metric(at, "Open") == "3"
    assert _metric(at, "SLA breach rate") == "57%"  # 4 of 7
    assert _metric(at, "Median days to resolve") == "7.5"
    assert _metric(at, "Repeat complainers") == "2"
    texts = " ".join(w.value for w in at.warning) + " ".join(i.value for i in at.info)
    assert "No orders in the store" in texts
    assert "Needs order data" in texts
    # Chinese too, with the filters applied through widget keys
    at = _open("zh", AS_OF)
    assert not at.error
    at.multiselect(key="complaints.f_status").set_value(["open", "in_progress"]).run()
    assert not at.exception
    assert _metric(at, "投诉总数") == "3"
    assert _metric(at, "解决率") == "0%"


def test_page_without_complaints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "crm.duckdb"
    con = store.connect(db)
    con.execute("INSERT INTO orders (customer_id, order_date, amount) "
                "VALUES ('A', DATE '2024-01-01', 10.0)")
    con.close()
    monkeypatch.setenv("CRM_DB", str(db))
    at = _open("zh")
    assert any("没有收到投诉" in i.value for i in at.info)


def test_selected_values() -> None:
    from ui.complaints import selected_values

    event = {"selection": {"points": [{"customdata": ["quality"]}, {"customdata": "delivery"},
                                      {"customdata": ["quality"]}], "point_indices": [0, 1]}}
    assert selected_values(event) == ["quality", "delivery"]
    assert selected_values(None) == []
    assert selected_values({"selection": {"points": []}}) == []
    assert pl.Series(selected_values(event)).len() == 2
