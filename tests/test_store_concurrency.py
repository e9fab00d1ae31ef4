"""Issue 11.10: the command line works while the dashboard is open.

The app opens the store only for a moment (read-only to read) and never holds it between
reruns: a CLI import while a page is open succeeds, and the page shows the new rows on its
next rerun. Two imports at once: the second waits, or exits 2 with one line.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from crm_logic import store
from tests.pagetest import metric_int, open_page

ROOT = Path(__file__).resolve().parent.parent


def _cli(db: Path, *args: str, wait: str = "30") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CRM_LOCK_WAIT": wait}
    return subprocess.run([sys.executable, "-m", "crm_logic", "--db", str(db), *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def _orders_file(tmp_path: Path) -> Path:
    path = tmp_path / "more.csv"
    path.write_text("customer_id,order_date,amount,order_id\n"
                    "NEW1,2020-01-05,10.5,X1\nNEW1,2020-01-06,3.0,X2\nNEW2,2020-01-07,7.0,X3\n",
                    encoding="utf-8")
    return path


def test_cli_import_while_the_app_is_open(sample_db: Path, tmp_path: Path) -> None:
    at = open_page("pages/data.py", "en")
    before = metric_int(at, "Orders")
    # the page is open (this process ran it): the store must be free for another process
    done = _cli(sample_db, "import", "orders", str(_orders_file(tmp_path)), wait="0")
    assert done.returncode == 0, done.stderr
    report = _cli(sample_db, "report", wait="0")
    assert report.returncode == 0, report.stderr
    at.run()  # the next rerun shows the new rows
    assert not at.exception
    assert metric_int(at, "Orders") == before + 3


def test_second_import_waits_or_exits_2_with_one_line(sample_db: Path, tmp_path: Path) -> None:
    con = store.connect(sample_db)  # an import in progress holds the write lock
    try:
        busy = _cli(sample_db, "import", "orders", str(_orders_file(tmp_path)), wait="1")
    finally:
        con.close()
    assert busy.returncode == 2
    lines = busy.stderr.strip().splitlines()
    assert len(lines) == 1 and "busy" in lines[0], busy.stderr
    with store.reading(sample_db) as ro:
        assert ro.execute("SELECT count(*) FROM orders WHERE customer_id = 'NEW1'"
                          ).fetchone()[0] == 0  # nothing written
    again = _cli(sample_db, "import", "orders", str(_orders_file(tmp_path)))  # now free
    assert again.returncode == 0, again.stderr
