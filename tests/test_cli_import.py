"""`python -m crm_logic import`: JSON result, exit 2 on unusable input, store untouched."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import pytest

from crm_logic import store
from crm_logic.cli import main

ROOT = Path(__file__).resolve().parent.parent
ONLINE_RETAIL = ROOT.parent / "shared" / "data" / "online_retail" / "online_retail.parquet"


def _snapshot(db: Path) -> tuple:
    con = duckdb.connect(str(db), read_only=True)
    try:
        counts = tuple(con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
                       for t in (*store.TABLES, "import_log", "rejects"))
        log = con.execute("SELECT * FROM import_log ORDER BY import_id").fetchall()
    finally:
        con.close()
    return counts, log


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    """A store holding one small import."""
    path = tmp_path / "store" / "crm.duckdb"
    src = tmp_path / "seed.csv"
    src.write_text("customer_id,order_date,amount\nA,2024-01-01,5\n", encoding="utf-8")
    assert main(["--db", str(path), "import", "orders", str(src)]) == 0
    return path


def test_import_prints_contract_json(db: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    src = tmp_path / "more.csv"
    src.write_text("cust,day,total\nB,2024-01-02,1\nB,2024-01-02,1\n,2024-01-03,2\n",
                   encoding="utf-8")
    code = main(["--db", str(db), "import", "orders", str(src), "--map", "cust=customer_id",
                 "--map", "day=order_date", "--map", "total=amount", "--duplicates", "drop"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out)[:8] == ["table", "rows_read", "rows_loaded", "rows_rejected",
                             "rows_duplicate", "rejects_file", "warnings", "errors"]
    assert (out["rows_read"], out["rows_loaded"], out["rows_rejected"],
            out["rows_duplicate"]) == (3, 1, 1, 1)
    assert out["errors"] == [{"row": 3, "column": "customer_id", "reason": "missing"}]
    assert Path(out["rejects_file"]).is_file()


def _bad_xlsx(p: Path) -> None:
    p.write_bytes(b"PK\x03\x04" + os.urandom(300))


@pytest.mark.parametrize("name,content", [
    ("empty.csv", b""),
    ("binary.csv", bytes(range(256)) * 8),
    ("noheader.csv", b"A,2024-01-05,100\nB,2024-01-06,50\n"),
    ("missing.csv", b"customer_id,amount\nA,1\n"),
    ("corrupt.xlsx", None),
])
def test_unusable_input_exits_2_with_one_line(db: Path, tmp_path: Path, name: str,
                                              content: bytes | None,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    before = _snapshot(db)
    path = tmp_path / name
    if content is None:
        _bad_xlsx(path)
    else:
        path.write_bytes(content)
    capsys.readouterr()
    assert main(["--db", str(db), "import", "orders", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1
    assert _snapshot(db) == before


def test_unusable_input_creates_no_store(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    new_db = tmp_path / "fresh" / "crm.duckdb"
    assert main(["--db", str(new_db), "import", "orders", str(path)]) == 2
    assert not new_db.exists()
    assert main(["--db", str(new_db), "import", "orders", str(tmp_path / "nope.csv")]) == 2
    assert main(["--db", str(new_db), "import", "orders", str(path), "--map", "x"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 3


def test_online_retail_with_explicit_map(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    if not ONLINE_RETAIL.exists():
        pytest.skip("Online Retail data not at ../shared")
    db = tmp_path / "crm.duckdb"
    maps = ["InvoiceNo=order_id", "StockCode=product", "Quantity=quantity",
            "UnitPrice=unit_price", "InvoiceDate=order_date", "CustomerID=customer_id"]
    argv = ["--db", str(db), "import", "orders", str(ONLINE_RETAIL)]
    for m in maps:
        argv += ["--map", m]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["rows_read"] == 541_909
    assert out["rows_read"] == out["rows_loaded"] + out["rows_rejected"] + out["rows_duplicate"]
    assert out["rows_rejected"] == 135_080
    con = store.connect(db, read_only=True)
    reasons = con.execute("SELECT column_name, reason, count(*) FROM rejects GROUP BY ALL"
                          ).fetchall()
    customers = con.execute("SELECT count(DISTINCT customer_id) FROM orders").fetchall()[0][0]
    sample_id = con.execute("SELECT customer_id FROM orders LIMIT 1").fetchall()[0][0]
    con.close()
    assert reasons == [("customer_id", "missing", 135_080)]
    assert customers == 4_372
    assert sample_id == "17850"


def test_killed_import_leaves_store_unchanged(db: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    rng = np.random.default_rng(5)
    n = 3_000_000
    days = pl.Series(rng.integers(1, 29, n)).cast(pl.String)
    pl.DataFrame({
        "客户编号": pl.Series(rng.integers(1, 50_000, n)).cast(pl.String),
        "订单日期": ("2023/2/" + days),
        "金额": pl.Series(rng.integers(1, 100_000, n) / 100).cast(pl.String),
    }).write_csv(big)
    before = _snapshot(db)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    wal = db.with_name(db.name + ".wal")

    def store_bytes() -> int:
        return sum(p.stat().st_size for p in (db, wal) if p.exists())

    # kill once while the file is parsed, once as soon as the store file starts to change
    for when in ("parsing", "writing"):
        size = store_bytes()
        proc = subprocess.Popen(
            [sys.executable, "-m", "crm_logic", "--db", str(db), "import", "orders", str(big),
             "--mode", "replace"], cwd=ROOT, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        if when == "parsing":
            time.sleep(1.0)
        else:
            while store_bytes() == size and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.01)
        assert proc.poll() is None, f"import ended before it could be killed ({when})"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        assert proc.returncode == -signal.SIGKILL
        assert _snapshot(db) == before, f"store changed by an import killed while {when}"


def test_import_with_saved_profile(db: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    con = store.connect(db)
    store.save_profile(con, "shop", "orders",
                       {"who": "customer_id", "when": "order_date", "paid": "amount"})
    con.close()
    src = tmp_path / "shop.csv"
    src.write_text("who,when,paid\nZ,2024-03-01,9\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["--db", str(db), "import", "orders", str(src), "--profile", "shop"]) == 0
    assert json.loads(capsys.readouterr().out)["rows_loaded"] == 1
    before = _snapshot(db)
    assert main(["--db", str(db), "import", "orders", str(src), "--profile", "nope"]) == 2
    assert main(["--db", str(db), "import", "customers", str(src), "--profile", "shop"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 2
    assert _snapshot(db) == before
