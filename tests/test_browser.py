"""The app as a person sees it: headless Chromium opens every page in both languages.

Starts `streamlit run app.py` on a free port against a copy of the small sample store,
drives Debian's /usr/bin/chromium with Playwright (never `playwright install`), fails on any
exception or error box, and leaves screenshots in tests/screenshots/ to look at.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "tests" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
# url path -> an English and a Chinese word that the page's sidebar entry shows
PAGES: dict[str, tuple[str, str]] = {
    "": ("Overview", "总览"),
    "actions": ("Action center", "行动中心"),
    "segments": ("Value & segments", "价值与细分"),
    "lifecycle": ("Lifecycle", "生命周期"),
    "churn": ("Churn early warning", "客户流失预警"),
    "complaints": ("Complaints", "投诉"),
    "prospects": ("Prospects", "潜在客户"),
    "customer": ("Customer 360", "客户360"),
    "data": ("Data", "数据"),
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def app_url(sample_db_master: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A running app on a private copy of the sample store."""
    yield from _serve(sample_db_master, tmp_path_factory)


def _serve(sample_db_master: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start `streamlit run app.py` on a free port; yield its URL; stop it."""
    db = tmp_path_factory.mktemp("browser") / "crm.duckdb"
    shutil.copy(sample_db_master, db)
    port = _free_port()
    env = {**os.environ, "CRM_DB": str(db)}
    log = open(db.parent / "streamlit.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError(f"streamlit did not start: {(db.parent / 'streamlit.log')}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian chromium missing: run `make test` (installs it)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()


def settle(page: object, timeout_s: float = 90) -> None:
    """Wait until the app has stopped running (status widget gone for a while)."""
    page.wait_for_selector('[data-testid="stSidebarNav"]', timeout=timeout_s * 1000)
    deadline = time.monotonic() + timeout_s
    quiet_since: float | None = None
    while time.monotonic() < deadline:
        busy = page.locator('[data-testid="stStatusWidget"]').count() > 0
        skeleton = page.locator('[data-testid="stSkeleton"]').count() > 0
        if busy or skeleton:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > 1.5:
            return
        time.sleep(0.25)
    raise AssertionError("page did not settle")


def assert_no_errors(page: object, what: str) -> None:
    exc = page.locator('[data-testid="stException"]')
    err = page.locator('[data-testid="stAlertContentError"]')
    texts = [exc.nth(i).inner_text() for i in range(exc.count())]
    texts += [err.nth(i).inner_text() for i in range(err.count())]
    assert not texts, f"{what}: {texts[:2]}"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_page_renders(app_url: str, browser: object, lang: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    try:
        for path, (en, zh) in PAGES.items():
            page.goto(f"{app_url}/{path}?lang={lang}")
            settle(page)
            what = f"/{path}?lang={lang}"
            assert_no_errors(page, what)
            nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
            assert (zh if lang == "zh" else en) in nav, f"{what}: nav says {nav!r}"
            main = page.locator('[data-testid="stMain"]').inner_text()
            assert len(main.strip()) > 40, f"{what}: page is (nearly) empty"
            page.screenshot(path=str(SHOTS / f"{path or 'overview'}_{lang}.png"), full_page=True)
    finally:
        context.close()


def test_language_toggle_switches_whole_ui(app_url: str, browser: object) -> None:
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{app_url}/?lang=zh")
        settle(page)
        assert "总览" in page.locator('[data-testid="stSidebarNav"]').inner_text()
        page.get_by_text("English", exact=True).click()
        settle(page)
        assert "lang=en" in page.url
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "Overview" in nav and "总览" not in nav
        assert_no_errors(page, "after toggle")
    finally:
        context.close()


def test_direct_link_on_a_fresh_server_gets_the_frame(
    sample_db_master: Path, tmp_path_factory: pytest.TempPathFactory, browser: object
) -> None:
    """A bookmark to a page, opened first after `make run`, still shows the whole app."""
    for url in _serve(sample_db_master, tmp_path_factory):
        context = browser.new_context(viewport={"width": 1440, "height": 1000})
        page = context.new_page()
        try:
            page.goto(f"{url}/complaints?lang=en")
            settle(page)
            assert_no_errors(page, "direct link")
            nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
            assert "Overview" in nav and "Customer 360" in nav, nav
            assert "/complaints" in page.url
            assert page.get_by_text("English", exact=True).count() == 1  # the language toggle
        finally:
            context.close()
