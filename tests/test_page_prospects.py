"""The Prospects page under AppTest, in both languages, on the sample store."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pagetest import metric_int, open_page

PAGE = "pages/prospects.py"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_on_sample(sample_db: Path, lang: str) -> None:
    at = open_page(PAGE, lang)
    assert at.title[0].value == ("Prospects" if lang == "en" else "潜在客户")
    assert not at.error
    en = lang == "en"
    total = metric_int(at, "Prospects" if en else "潜在客户数")
    converted = metric_int(at, "Converted" if en else "已成交")
    assert total == 270 and 0 < converted <= 90  # 600 sample customers: 90 linked
    lost_label = "Lost" if en else "已流失"
    open_label = "Open" if en else "跟进中"
    lost, still_open = metric_int(at, lost_label), metric_int(at, open_label)
    assert lost + still_open + converted == total
    # what-if: a longer open window can only turn lost prospects back into open ones
    at.slider(key="cfg.prospect_open_max_days").set_value(720).run()
    assert not at.exception
    assert metric_int(at, lost_label) < lost
    assert metric_int(at, open_label) + metric_int(at, lost_label) == lost + still_open
    assert len(at.get("download_button")) == 1
    frames = at.dataframe
    assert len(frames) == 2
    open_rows = frames[1].value
    name_col = "Name" if en else "姓名"
    assert open_rows[name_col].str.contains(r"\*").all()  # masked


def test_page_without_prospects(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from crm_logic import store

    db = tmp_path / "crm.duckdb"
    con = store.connect(db)
    con.execute("INSERT INTO orders (customer_id, order_date, amount) "
                "VALUES ('A', DATE '2024-01-01', 5)")
    con.close()
    monkeypatch.setenv("CRM_DB", str(db))
    at = open_page(PAGE, "en")
    assert "No prospects registered" in " ".join(i.value for i in at.info)
