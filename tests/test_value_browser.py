"""The Value page's trust tab in headless Chromium, both languages: interval, backtest, charts.

Reuses the app server and browser fixtures of tests/test_browser.py (same sample store);
leaves screenshots in tests/screenshots/value_trust_<lang>.png.
"""

from __future__ import annotations

import pytest

from crm_logic.i18n import t
from tests.test_browser import (  # noqa: F401
    SHOTS,
    app_url,
    assert_no_errors,
    browser,
    settle,
)

pytestmark = pytest.mark.browser

KEYS = ("value_bt.interval.title", "value_bt.metric.spearman", "value_bt.models.title")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_value_trust_tab(app_url: str, browser: object, lang: str) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 1440, "height": 2200}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{app_url}/segments?lang={lang}")
        settle(page)
        main = page.locator('[data-testid="stMain"]')
        main.get_by_role("tab", name=t("value_bt.tab", lang)).click()
        settle(page)
        assert_no_errors(page, f"value trust {lang}")
        panel = main.locator('[role="tabpanel"]:visible')
        text = panel.inner_text()
        for key in KEYS:
            assert t(key, lang) in text, f"{lang}: {key} missing"
        assert panel.locator('[data-testid="stPlotlyChart"]').count() == 2  # calibration, tiers
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"value_trust_{lang}.png"), full_page=True)
    finally:
        context.close()
