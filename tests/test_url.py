"""Views you can share: the address restores as-of, what-ifs, filters and the customer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.pagetest import APP
from ui import url


def test_parse_and_format_config_values() -> None:
    assert url.parse_value("sla_days", "5") == 5
    assert url.parse_value("risk_high", "0.9") == 0.9
    assert url.parse_value("risk_high", "abc") is None
    assert url.parse_value("lifecycle_period", "week") == "week"
    assert url.format_value(0.1 + 0.2) == "0.3"
    got = url.config_from_params({"sla_days": "5", "risk_high": "x", "lang": "zh",
                                  "nonsense": "1"})
    assert got == {"sla_days": 5}
    assert url.changed({"sla_days": 7, "risk_high": 0.6, "save_rate": 0.25}) == {
        "save_rate": (0.2, 0.25)}


def _app(params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    return at


def test_address_restores_as_of_and_what_ifs(sample_db: Path) -> None:
    at = _app({"lang": "zh", "as_of": "2024-06-30", "risk_high": "0.9", "tier": "gold"})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["as_of"] == dt.date(2024, 6, 30)
    assert at.session_state["_cfg"]["risk_high"] == 0.9
    # the address keeps the view; the marker lists the changed threshold
    assert at.query_params["as_of"] == "2024-06-30"
    assert at.query_params["risk_high"] == "0.9"
    marker = " ".join(m.value for m in at.sidebar.markdown)
    assert "1 项设置与默认值不同" in marker
    captions = " ".join(c.value for c in at.sidebar.caption)
    assert "0.6 → 0.9" in captions
    assert "数据范围" in captions
    at.sidebar.button(key="app.reset_defaults").click().run()
    assert not at.exception
    assert at.session_state["_cfg"].get("risk_high", 0.6) == 0.6
    assert "1 项设置与默认值不同" not in " ".join(m.value for m in at.sidebar.markdown)


def test_segments_filter_from_the_address(sample_db: Path) -> None:
    at = _app({"lang": "en", "tier": "gold"})
    at.run()
    at.switch_page("pages/segments.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="segments.pick_tier").value == "gold"


def test_currency_from_the_address_formats_money(sample_db: Path) -> None:
    at = _app({"lang": "zh", "currency": "GBP"})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    money = [m.value for m in at.metric if m.label in ("近12个月收入", "客户终身价值合计")]
    assert len(money) == 2 and all(v.startswith("£") for v in money), money
    assert at.sidebar.selectbox(key="cfg.currency").value == "GBP"
    at = _app({"lang": "zh"})
    at.run()
    money = [m.value for m in at.metric if m.label == "客户终身价值合计"]
    assert money[0].startswith("¥") and money[0].endswith("万")  # the sample: CNY by default
