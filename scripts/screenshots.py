"""Screenshots of every page for the README: `python -m scripts.screenshots [DB] [OUT]`.

Starts the app on the given store (default: the project's store), opens each page in
headless Debian Chromium in English and Chinese, and writes PNGs to OUT (default: docs/).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.test_browser import FLAGS, PAGES, _free_port, settle

ROOT = Path(__file__).resolve().parent.parent


def main(db: str | None = None, out: str | None = None) -> None:
    from playwright.sync_api import sync_playwright

    target = Path(out or ROOT / "docs")
    target.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    env = {**os.environ, **({"CRM_DB": db} if db else {})}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.headless", "true"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            for lang in ("en", "zh"):
                for path in PAGES:
                    page.goto(f"{url}/{path}?lang={lang}")
                    settle(page, timeout_s=180)
                    name = f"screenshot-{path or 'overview'}-{lang}.png"
                    page.screenshot(path=str(target / name))
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


if __name__ == "__main__":
    main(*sys.argv[1:3])
