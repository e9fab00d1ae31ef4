"""The Prospects page in headless Chromium, both languages: figures, funnel, masked list.

Reuses the app server and browser fixtures of tests/test_browser.py (same sample store);
leaves full-page screenshots in tests/screenshots/prospects_page_<lang>.png.
"""

from __future__ import annotations

import pytest

from tests.test_browser import (  # noqa: F401
    SHOTS,
    app_url,
    assert_no_errors,
    browser,
    settle,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ("MAN qualification", "Sources by personal relation", "Friends", "Repeat purchase",
            "Open prospects to follow up")),
    ("zh", ("MAN 资格审查", "按人际关系划分的来源", "朋友", "重复购买", "待跟进的潜在客户")),
])
def test_prospects_page(app_url: str, browser: object, lang: str,  # noqa: F811
                        words: tuple[str, ...]) -> None:
    context = browser.new_context(viewport={"width": 1440, "height": 2700}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{app_url}/prospects?lang={lang}")
        settle(page)
        assert_no_errors(page, f"prospects {lang}")
        main = page.locator('[data-testid="stMain"]')
        main.locator('[data-testid="stPlotlyChart"]').nth(3).scroll_into_view_if_needed()
        settle(page)
        text = main.inner_text()
        for w in words:
            assert w in text, f"{lang}: {w!r} missing"
        assert main.locator('[data-testid="stPlotlyChart"]').count() == 4
        assert main.locator("g.funnellayer g.point").count() == 5  # the five funnel steps
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"prospects_page_{lang}.png"), full_page=True)
    finally:
        context.close()
