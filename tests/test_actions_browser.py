"""The Action center and the Overview's issue-14 sections in headless Chromium, both languages.

Reuses the app server and browser fixtures of tests/test_browser.py (same sample store).
"""

from __future__ import annotations

import pytest

from tests.test_browser import SHOTS, app_url, assert_no_errors, browser, settle  # noqa: F401

pytestmark = pytest.mark.browser

TEXT = {
    "en": {"title": "Action center", "rules": "Rule table (first match wins)",
           "download": "Download the list (CSV)", "total": "600 customers, each in exactly one",
           "kpi": "KPIs: last complete month", "four_r": "4R scorecard",
           "pick": "Reward loyal big customers", "show": "Show the list of"},
    "zh": {"title": "行动中心", "rules": "规则表（自上而下，先匹配者生效）",
           "download": "下载名单（CSV）", "total": "共 600 位客户，每位恰属一项行动",
           "kpi": "关键指标：最近一个完整月", "four_r": "4R 评分卡",
           "pick": "回报忠诚大客户", "show": "查看名单"},
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_action_center_in_the_browser(app_url: str, browser: object,  # noqa: F811
                                      lang: str) -> None:
    words = TEXT[lang]
    context = browser.new_context(viewport={"width": 1440, "height": 1600})
    page = context.new_page()
    try:
        page.goto(f"{app_url}/actions?lang={lang}")
        settle(page)
        assert_no_errors(page, f"actions {lang}")
        main = page.locator('[data-testid="stMain"]')
        text = main.inner_text()
        for key in ("title", "rules", "total", "download"):
            assert words[key] in text, key
        assert page.locator('[data-testid="stDataFrame"]').count() >= 3
        main.locator('[data-testid="stSelectbox"]').filter(has_text=words["show"]).click()
        page.get_by_role("option", name=words["pick"]).click()
        settle(page)
        assert_no_errors(page, f"actions {lang} after picking")
        with page.expect_download() as got:
            page.get_by_role("button", name=words["download"]).click()
        assert got.value.suggested_filename.startswith("actions-reward_loyal-")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"actions_center_{lang}.png"))
        page.goto(f"{app_url}/?lang={lang}")
        settle(page)
        assert_no_errors(page, f"overview {lang}")
        text = page.locator('[data-testid="stMain"]').inner_text()
        assert words["kpi"] in text and words["four_r"] in text
    finally:
        context.close()
