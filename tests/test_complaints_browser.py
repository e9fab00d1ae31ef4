"""The Complaints page in headless Chromium: clicking a bar lists that bar's complaints.

Reuses the app server and browser fixtures of tests/test_browser.py (same sample store).
"""

from __future__ import annotations

import re

import pytest

from tests.test_browser import app_url, assert_no_errors, browser, settle  # noqa: F401

pytestmark = pytest.mark.browser


def _list_count(page: object, label: str) -> int:
    text = page.get_by_role("button", name=re.compile(re.escape(label))).first.inner_text()
    return int(re.search(r"\(([\d,]+)\)", text).group(1).replace(",", ""))


@pytest.mark.parametrize(("lang", "showing", "this_list"), [
    ("en", "Showing: Category:", "This list"),
    ("zh", "当前显示：投诉类别:", "当前列表"),
])
def test_click_a_bar_drills_down(app_url: str, browser: object, lang: str,  # noqa: F811
                                 showing: str, this_list: str) -> None:
    context = browser.new_context(viewport={"width": 1440, "height": 1400})
    page = context.new_page()
    try:
        page.goto(f"{app_url}/complaints?lang={lang}")
        settle(page)
        assert_no_errors(page, f"complaints {lang}")
        before = _list_count(page, this_list)
        chart = page.locator('[data-testid="stPlotlyChart"]').nth(1)  # by category
        chart.scroll_into_view_if_needed()
        bars = chart.locator("g.point path")
        assert bars.count() >= 2
        bars.last.click(force=True)  # the largest category
        settle(page)
        assert_no_errors(page, f"complaints {lang} after click")
        assert page.get_by_text(showing).count() == 1
        after = _list_count(page, this_list)
        assert 0 < after < before
    finally:
        context.close()
