"""Sign-in with a password in headless Chromium, then the Data page: a replace import asks
first, says what it replaces, and lands in the audit log. Screenshots in both languages.

Reuses the server and browser helpers of tests/test_browser.py, on a store with users.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from crm_logic import auth, store
from tests.test_browser import SHOTS, _serve, assert_no_errors, browser, settle  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def signin_url(sample_db_master: Path,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a copy of the sample store with an analyst and a viewer."""
    master = tmp_path_factory.mktemp("users") / "crm.duckdb"
    shutil.copy(sample_db_master, master)
    con = store.connect(master)
    auth.add_user(con, "ann", "analyst pass", "analyst", dt.datetime(2026, 1, 1))
    auth.add_user(con, "vic", "viewer pass", "viewer", dt.datetime(2026, 1, 1))
    con.close()
    yield from _serve(master, tmp_path_factory)


def _wait_form(page: object) -> None:
    page.wait_for_selector('input[type="password"]', timeout=60_000)
    time.sleep(0.5)


def _sign_in(page: object, name: str, password: str, lang: str) -> None:
    user, pw, go = (("User name", "Password", "Sign in") if lang == "en"
                    else ("用户名", "密码", "登录"))
    page.get_by_role("textbox", name=user).fill(name)
    page.get_by_role("textbox", name=pw).fill(password)
    page.get_by_role("button", name=go, exact=True).click()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_sign_in_with_password(signin_url: str, browser: object, lang: str) -> None:  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{signin_url}/data?lang={lang}")
        _wait_form(page)
        assert page.locator('[data-testid="stSidebarNav"]').count() == 0  # no pages listed
        assert page.locator('[data-testid="stMetric"]').count() == 0
        page.screenshot(path=str(SHOTS / f"signin_{lang}.png"), full_page=True)
        _sign_in(page, "ann", "wrong password", lang)
        wrong = "Wrong user name or password." if lang == "en" else "用户名或密码错误。"
        page.get_by_text(wrong).wait_for(timeout=30_000)
        assert page.locator('[data-testid="stSidebarNav"]').count() == 0
        _sign_in(page, "ann", "analyst pass", lang)
        settle(page)
        assert_no_errors(page, f"signed in ({lang})")
        sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
        assert "ann" in sidebar and ("Sign out" if lang == "en" else "退出登录") in sidebar
        page.get_by_role("button", name="Sign out" if lang == "en" else "退出登录").click()
        _wait_form(page)
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_replace_import_asks_first_and_is_audited(signin_url: str, browser: object,  # noqa: F811
                                                  lang: str, tmp_path: Path) -> None:
    src = tmp_path / f"my_interactions_{lang}.csv"
    src.write_text("customer_id,interaction_date,channel\nC1,2024-01-02,phone\n"
                   "C2,2024-01-03,email\n", encoding="utf-8")
    context = browser.new_context(viewport={"width": 1440, "height": 1400})
    page = context.new_page()
    try:
        page.goto(f"{signin_url}/?lang={lang}")
        _wait_form(page)
        _sign_in(page, "ann", "analyst pass", lang)
        settle(page)
        # the sidebar link (a reload would start a new session, signed out)
        page.locator('[data-testid="stSidebarNav"] a').filter(
            has_text="Data" if lang == "en" else "数据").click()
        settle(page)
        assert "/data" in page.url
        page.screenshot(path=str(SHOTS / f"privacy_data_{lang}.png"), full_page=True)
        table = "Interactions" if lang == "en" else "互动"
        metric = page.locator('[data-testid="stMetric"]').filter(has_text=table).first
        held = metric.locator('[data-testid="stMetricValue"]').inner_text().strip()
        assert held.replace(",", "").isdigit() and held != "0", held
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
            str(src))
        settle(page)
        only = ("The store holds only the bundled sample" if lang == "en"
                else "数据库里目前只有自带的示例数据")
        replace = page.get_by_role("radio", name="Replace them" if lang == "en" else "替换")
        if lang == "en":  # the first import of an own file into the sample-only store
            page.get_by_text(only).wait_for(timeout=30_000)
            assert replace.is_checked()  # suggested
        else:  # the store now holds the user's own rows: append is the default again
            assert page.get_by_text(only).count() == 0 and not replace.is_checked()
            page.get_by_test_id("stRadioGroup").get_by_text("替换", exact=True).click()
            settle(page)
        page.get_by_role("button", name="Import" if lang == "en" else "导入",
                         exact=True).click()
        settle(page)
        warning = page.locator('[data-testid="stAlertContentWarning"]').last.inner_text()
        assert table in warning and src.name in warning and f" {held} " in warning, warning
        assert "2" != held or lang == "zh"
        page.screenshot(path=str(SHOTS / f"privacy_confirm_{lang}.png"), full_page=True)
        page.get_by_role("button", name=(f"Yes, replace {table}" if lang == "en"
                                         else f"确定替换{table}")).click()
        settle(page)
        assert_no_errors(page, f"after replace ({lang})")
        main = page.locator('[data-testid="stMain"]').inner_text()
        assert ("import finished" if lang == "en" else "导入完成") in main
        audit_title = "Audit log" if lang == "en" else "审计日志"
        assert audit_title in main
        page.screenshot(path=str(SHOTS / f"privacy_data_after_{lang}.png"), full_page=True)
    finally:
        context.close()
