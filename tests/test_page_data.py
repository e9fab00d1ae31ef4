"""Data page smoke tests: it renders in both languages, shows the history, reloads the sample."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from crm_logic import store

APP = Path(__file__).resolve().parent.parent / "app.py"


def _data_page(lang: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("pages/data.py").run()
    return at


@pytest.mark.parametrize("lang,title", [("en", "Data"), ("zh", "数据")])
def test_data_page_renders(sample_db: Path, lang: str, title: str) -> None:
    at = _data_page(lang)
    assert not at.exception
    assert at.title[0].value == title
    # store counts + import history of the sample load
    assert len(at.metric) == len(store.TABLES)  # one per canonical table
    assert at.dataframe, "import history table missing"
    assert at.button(key="data.reload_sample")


def test_reload_sample_keeps_store_usable(sample_db: Path) -> None:
    at = _data_page("en")
    con = store.connect(sample_db)  # same configuration as the app's connection
    before = store.data_version(con)
    at.button(key="data.reload_sample").click().run(timeout=120)
    assert store.data_version(con) == before  # asks first: nothing replaced by one click
    at.button(key="data.reload_sample.confirm").click().run(timeout=120)
    assert not at.exception
    assert any("Sample data loaded" in s.value for s in at.success)
    assert store.data_version(con) > before
    con.close()


def test_import_thresholds_are_what_if_controls(sample_db: Path) -> None:
    at = _data_page("zh")
    assert not at.exception
    assert at.number_input(key="cfg.future_date_tolerance_days").value == 0
    assert at.number_input(key="cfg.max_cell_chars").value == 32_767
    assert at.number_input(key="cfg.max_file_mb").value == 4096
    assert at.number_input(key="cfg.max_cell_chars").label == "单元格最大长度（字符）"
