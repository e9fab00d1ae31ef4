"""The app in a browser, as a manager meets it (issue 10): page times and server memory.

Serves `streamlit run app.py` on a store (default: the end-to-end benchmark's 250,000-customer
store), opens it in headless Chromium (Debian's `/usr/bin/chromium` through Playwright, never
`playwright install`) and, in one browser session, opens the first page, then every page from
the sidebar, then every page again. A second and a third session (other browser contexts, the
earlier ones still open) do the same. Prints each step's time (until the app's running
indicator is gone) and the server's resident memory after each session, as a Markdown table.

    .venv/bin/python scripts/benchmark_browser.py [--db /tmp/crm_bench/bench.duckdb]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]
PAGES = ("actions", "segments", "lifecycle", "churn", "complaints", "prospects", "customer",
         "data", "")  # url paths; "" is the Overview
QUIET = 1.0  # seconds without the running indicator: the page has settled


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Resident memory of the server process (VmRSS), MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def settled(page: Any, timeout_s: float = 900) -> None:
    """Wait until the running indicator has been gone for QUIET seconds."""
    page.wait_for_selector('[data-testid="stSidebarNav"]', timeout=timeout_s * 1000)
    deadline = time.monotonic() + timeout_s
    quiet_since: float | None = None
    while time.monotonic() < deadline:
        busy = (page.locator('[data-testid="stStatusWidget"]').count() > 0
                or page.locator('[data-testid="stSkeleton"]').count() > 0)
        if busy:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > QUIET:
            return
        time.sleep(0.05)
    raise RuntimeError("page did not settle")


def timed(page: Any, action: Any) -> float:
    """Seconds from `action` until the page settled (the quiet wait not counted)."""
    t0 = time.perf_counter()
    action()
    time.sleep(0.3)  # let the rerun start (the indicator shows after a moment)
    settled(page)
    return time.perf_counter() - t0 - QUIET


def errors(page: Any) -> list[str]:
    boxes = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
    return [boxes.nth(i).inner_text()[:200] for i in range(boxes.count())]


def session(browser: Any, url: str, lang: str, rows: list[tuple[str, str]]) -> Any:
    """One browser session: the first page, every page, every page again."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    sec = timed(page, lambda: page.goto(f"{url}/?lang={lang}"))
    rows.append((f"{lang}: first page", f"{sec:.1f} s"))
    for visit in ("first visit", "revisit"):
        for path in PAGES:
            link = page.locator(f'[data-testid="stSidebarNav"] a[href$="/{path}"]').first
            sec = timed(page, link.click)
            bad = errors(page)
            rows.append((f"{lang}: /{path} {visit}", f"{sec:.2f} s" + (f" ERROR {bad}" if bad
                                                                      else "")))
    return context


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="/tmp/crm_bench/bench.duckdb")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    port = _free_port()
    log = open(Path(args.db).with_suffix(".browser.log"), "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        # served as `make run` serves it (two malloc arenas, see the Makefile)
        cwd=ROOT, env={**os.environ, "CRM_DB": str(args.db), "MALLOC_ARENA_MAX": "2"}, stdout=log,
        stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    rows: list[tuple[str, str]] = []
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
        rows.append(("server started", f"{rss_mb(proc.pid):,.0f} MB"))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
            first = session(browser, url, "zh", rows)
            one = rss_mb(proc.pid)
            rows.append(("server after one session (every page twice)", f"{one:,.0f} MB"))
            second = session(browser, url, "en", rows)
            two = rss_mb(proc.pid)
            rows.append(("server after a second session (the first still open)",
                         f"{two:,.0f} MB (+{two - one:,.0f} MB)"))
            third = session(browser, url, "zh", rows)
            three = rss_mb(proc.pid)
            rows.append(("server after a third session (both others still open)",
                         f"{three:,.0f} MB (+{three - two:,.0f} MB)"))
            for context in (third, second, first):
                context.close()
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}\n\n| step | result |\n|---|---|")
    for what, result in rows:
        print(f"| {what} | {result} |")


if __name__ == "__main__":
    main()
