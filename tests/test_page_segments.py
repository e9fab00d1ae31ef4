"""The Segments page under AppTest: sample store in both languages, what-if, lists, no orders."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from crm_logic import store
from tests.pagetest import metric as _metric
from tests.pagetest import open_page

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGE = "pages/segments.py"


def _open(lang: str = "en") -> AppTest:
    return open_page(PAGE, lang)



@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_on_sample(sample_db: Path, lang: str) -> None:
    at = _open(lang)
    assert at.title[0].value == ("Customer value & segments" if lang == "en" else "客户价值与细分")
    assert not at.error
    n = int(_metric(at, "Customers with orders" if lang == "en" else "有订单的客户")
            .replace(",", ""))
    assert n > 0
    assert len(at.get("plotly_chart")) == 7  # 5 + the value backtest's 2
    assert len(at.get("download_button")) == 1
    # the tier table lists the four tiers with their strategy, in the page's language
    tier_table = at.dataframe[0].value
    strategy_col = "What to do" if lang == "en" else "应对策略"
    assert tier_table.shape[0] == 4 and strategy_col in tier_table.columns


def test_what_if_and_customer_lists(sample_db: Path) -> None:
    at = _open("en")
    top = "Top 20%: value share"
    before = float(_metric(at, top).rstrip("%"))
    # a larger platinum tier: the top tiers hold more value
    at.slider(key="cfg.tier_platinum_share").set_value(0.2).run()
    assert not at.exception
    after = float(_metric(at, "Top 35%: value share").rstrip("%"))
    assert after > before
    # a shorter horizon predicts less
    pred_label = "Predicted, 365 days"
    assert _metric(at, pred_label)
    at.slider(key="cfg.horizon_days").set_value(90).run()
    assert not at.exception
    assert _metric(at, "Predicted, 90 days")
    # list the gold customers, then an RFM segment
    at.selectbox(key="segments.pick_tier").set_value("gold").run()
    assert not at.exception
    listing = at.dataframe[-1].value
    assert set(listing["Tier"]) == {"Gold"}
    at.radio(key="segments.by").set_value("segment").run()
    at.selectbox(key="segments.pick_segment").set_value("champions").run()
    assert not at.exception
    assert set(at.dataframe[-1].value["RFM segment"]) <= {"Champions"}
    # cost to serve sinks customers into lead: the lead tier grows
    at.number_input(key="cfg.cost_per_order").set_value(500.0).run()
    assert not at.exception


def test_page_without_orders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A complaints-only store: the page explains that value needs orders."""
    db = tmp_path / "crm.duckdb"
    con = store.connect(db)
    con.execute("INSERT INTO complaints (complaint_id, received_date) "
                "VALUES ('q1', DATE '2024-01-02')")
    con.execute("INSERT INTO import_log VALUES (1, 'x.csv', 'h', 'complaints', 'append', "
                "now(), 1, 1, 0, 0, '{}', '[]')")
    con.close()
    monkeypatch.setenv("CRM_DB", str(db))
    at = _open("en")
    assert any("needs orders" in i.value for i in at.info)
