"""The manager's view in a browser: Chinese all the way, links to customers, shared views.

Uses the app server and Chromium of tests/test_browser.py (Debian /usr/bin/chromium).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from tests.test_browser import PAGES, SHOTS, app_url, assert_no_errors, browser, settle

__all__ = ["app_url", "browser"]  # fixtures
pytestmark = pytest.mark.browser

# English words that may appear on a Chinese page: data values, file types, model names,
# abbreviations a Chinese manager uses as they are, and the language toggle itself.
ALLOWED = {
    "english", "language", "crm", "rfm", "clv", "sla", "csv", "tsv", "txt", "xlsx", "xlsm",
    "excel", "parquet", "gbk", "utf", "mbg", "nbd", "bg", "gamma", "pareto", "wilson",
    "sample", "customers", "orders", "complaints", "interactions", "prospects",  # file names
    "log", "ltv", "roi", "kpi", "id", "vs", "mb", "auto",
}
WORD = re.compile(r"[A-Za-z]{2,}")


def _english_words(text: str) -> set[str]:
    words = set()
    for w in WORD.findall(text):
        if w.lower() in ALLOWED or re.fullmatch(r"[A-Z]+\d*", w):  # codes like C, SO, CN
            continue
        words.add(w)
    return words


# Streamlit's own English widget texts: a data value never excuses them.
STREAMLIT_DEFAULTS = ("Choose options", "Choose an option", "Drag and drop", "Browse files",
                      "per file", "No results")

_TEXT_JS = """(sel) => {
  const el = document.querySelector(sel);
  if (!el) return "";
  const icons = [...el.querySelectorAll('[data-testid="stIconMaterial"]')];
  const before = icons.map(n => n.style.display);
  icons.forEach(n => { n.style.display = "none"; });
  const text = el.innerText;
  icons.forEach((n, i) => { n.style.display = before[i]; });
  return text;
}"""


def _visible_words(page: object, selector: str) -> str:
    """Text of an element without icon ligatures ("home", "diamond") and style sheets."""
    return page.evaluate(_TEXT_JS, selector)


@pytest.fixture(scope="module")
def data_words(sample_db_master: object) -> set[str]:
    """The allow-list of data values: every word in the store's text columns."""
    import polars as pl

    from crm_logic import store

    con = store.connect(sample_db_master, read_only=True)
    try:
        d = store.load_data(con)
    finally:
        con.close()
    words: set[str] = set()
    for frame in (d.customers, d.orders, d.complaints, d.interactions):
        for col, dtype in frame.schema.items():
            if dtype == pl.String and col not in ("description",):
                for v in frame.get_column(col).drop_nulls().unique().to_list():
                    words |= {w.lower() for w in WORD.findall(v)}
    return words


def test_every_page_in_chinese_has_no_english_ui_words(app_url: str, browser: object,
                                                       data_words: set[str]) -> None:
    context = browser.new_context(viewport={"width": 1440, "height": 1400}, locale="zh-CN")
    page = context.new_page()
    found: dict[str, set[str]] = {}
    try:
        for path in PAGES:
            page.goto(f"{app_url}/{path}?lang=zh")
            settle(page)
            assert_no_errors(page, f"/{path}?lang=zh")
            # expanders and tabs closed by default hide text: open them to read everything
            for loc in page.locator('[data-testid="stExpander"] summary').all():
                loc.click()
            settle(page)
            text = _visible_words(page, '[data-testid="stMain"]')
            text += "\n" + _visible_words(page, '[data-testid="stSidebar"]')
            words = {w for w in _english_words(text) if w.lower() not in data_words}
            words |= {s for s in STREAMLIT_DEFAULTS if s in text}  # never allowed by data
            if words:
                found[path or "overview"] = words
    finally:
        context.close()
    assert not found, f"English UI words on Chinese pages: {found}"


def test_customer_address_opens_that_customer(app_url: str, browser: object) -> None:
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{app_url}/customer?customer=C000038&lang=zh")
        settle(page)
        assert_no_errors(page, "customer link")
        main = page.locator('[data-testid="stMain"]').inner_text()
        assert "C000038" in main and "客户终身价值" in main
        assert page.locator("h3", has_text="C000038").count() == 1
        assert "customer=C000038" in page.url
    finally:
        context.close()


def test_as_of_address_restores_and_survives_navigation(app_url: str, browser: object) -> None:
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{app_url}/?as_of=2024-06-30&lang=zh&risk_high=0.5")
        settle(page)
        assert_no_errors(page, "as_of address")
        sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
        shown = page.locator('[data-testid="stDateInput"] input').input_value()
        assert shown.replace("/", "-") == "2024-06-30"
        assert "1 项设置与默认值不同" in sidebar and "0.6 → 0.5" in sidebar
        page.locator('[data-testid="stSidebarNav"] a', has_text="客户流失预警").click()
        settle(page)
        query = parse_qs(urlparse(page.url).query)
        assert "/churn" in page.url
        assert query.get("as_of") == ["2024-06-30"] and query.get("risk_high") == ["0.5"]
        page.get_by_role("button", name="恢复默认设置", exact=True).click()
        settle(page)
        page.wait_for_function("() => !location.search.includes('risk_high')", timeout=20000)
        query = parse_qs(urlparse(page.url).query)
        assert "risk_high" not in query and query.get("as_of") == ["2024-06-30"]
        assert "与默认值不同" not in page.locator('[data-testid="stSidebar"]').inner_text()
    finally:
        context.close()


def test_clicking_a_tier_bar_lists_its_customers(app_url: str, browser: object) -> None:
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{app_url}/?lang=zh")
        settle(page)
        bars = page.locator('[data-testid="stPlotlyChart"]').first.locator(".bars path")
        bars.first.scroll_into_view_if_needed()  # below the KPI section
        box = bars.first.bounding_box()  # the first bar of the value pyramid: platinum
        assert box is not None
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        settle(page)
        assert page.locator("h3", has_text="铂金层：").count() == 1, page.locator(
            '[data-testid="stMain"]').inner_text()[:800]
        assert "pick=value_tier" in page.url
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "overview_clicked_zh.png"))
    finally:
        context.close()
