"""The Customer 360 page under AppTest: search, pick, timeline, both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.pagetest import open_page

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGE = "pages/customer.py"


def _open(lang: str = "en") -> AppTest:
    return open_page(PAGE, lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_on_sample(sample_db: Path, lang: str) -> None:
    at = _open(lang)
    assert at.title[0].value == ("Customer 360" if lang == "en" else "客户360")
    assert not at.error
    labels = [m.label for m in at.metric]
    assert ("Lifecycle stage" if lang == "en" else "生命周期阶段") in labels


def test_search_by_id_and_name(sample_db: Path) -> None:
    import duckdb

    con = duckdb.connect(str(sample_db), read_only=True)
    cid, name = con.execute(
        "SELECT c.customer_id, c.name FROM customers c JOIN orders o USING (customer_id) "
        "WHERE c.name IS NOT NULL ORDER BY c.customer_id LIMIT 1").fetchone()
    con.close()
    at = _open("en")
    at.text_input(key="customer.query").set_value(cid).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="customer.pick").value == cid
    stage = next(m.value for m in at.metric if m.label == "Lifecycle stage")
    assert stage in {"Exploration", "Formation", "Stability", "Decline"}
    at.text_input(key="customer.query").set_value(name).run()
    assert not at.exception, at.exception
    assert cid in at.selectbox(key="customer.pick").options[0] or any(
        cid in o for o in at.selectbox(key="customer.pick").options)
    at.text_input(key="customer.query").set_value("no such customer zzz").run()
    assert not at.exception, at.exception
    assert at.warning


def test_lost_customer_shows_a_win_back_chance(sample_db: Path) -> None:
    """Issue 11.7: a lost customer is scored too; the page reads 1 − churn_risk as the
    chance to win them back."""
    from crm_logic import churn, store
    from crm_logic.config import CrmConfig
    from crm_logic.pipeline import resolve_as_of

    con = store.connect(sample_db, read_only=True)
    data = store.load_data(con)
    con.close()
    as_of = resolve_as_of(data, None)
    scores = churn.churn_scores(data, CrmConfig(), as_of)
    lost = scores.filter("churned").row(0, named=True)
    at = _open("en")
    at.text_input(key="customer.query").set_value(lost["customer_id"]).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="customer.pick").value == lost["customer_id"]
    shown = {m.label: m.value for m in at.metric}
    assert "Churn risk" not in shown
    assert shown["Win-back chance"].endswith("%")
