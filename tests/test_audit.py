"""Audit log: every CLI export and import writes who, when, what, how many rows, masked."""

from __future__ import annotations

import csv
import datetime as dt
import getpass
from pathlib import Path

import pytest

from crm_logic import audit, store
from crm_logic.cli import main

T0 = dt.datetime(2026, 3, 1, 10, 30)


def test_record_and_history(tmp_path: Path) -> None:
    con = store.connect(tmp_path / "crm.duckdb")
    assert audit.history(con).is_empty()
    a = audit.record(con, "ann", "export", "segments: tier gold", 12, True, T0)
    b = audit.record(con, "bob", "import", "orders <- o.csv", 300, None, T0)
    assert b == a + 1
    log = audit.history(con)
    assert log.columns == list(audit.COLUMNS)
    assert log.row(0, named=True) == {"audit_id": b, "logged_at": T0, "user_name": "bob",
                                      "action": "import", "what": "orders <- o.csv",
                                      "rows": 300, "masked": None}
    assert log.row(1, named=True)["masked"] is True
    with pytest.raises(ValueError):
        audit.record(con, "ann", "delete", "x", 1, None, T0)


def _rows(path: Path) -> int:
    with path.open(encoding="utf-8-sig") as fh:
        return sum(1 for _ in csv.reader(fh)) - 1


def test_cli_export_and_import_write_audit_rows(sample_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "customers.csv"
    assert main(["--db", str(sample_db), "export", "customers", "--out", str(out)]) == 0
    masked_rows = _rows(out)
    raw = tmp_path / "raw.csv"
    assert main(["--db", str(sample_db), "export", "at-risk", "--out", str(raw),
                 "--no-mask"]) == 0
    src = tmp_path / "interactions.csv"
    src.write_text("customer_id,interaction_date\nC1,2024-01-02\nC2,2024-01-03\n")
    assert main(["--db", str(sample_db), "import", "interactions", str(src),
                 "--mode", "replace"]) == 0
    con = store.connect(sample_db, read_only=True)
    log = audit.history(con).sort("audit_id")
    con.close()
    who = f"cli:{getpass.getuser()}"
    assert log.select("user_name", "action", "what", "rows", "masked").rows() == [
        (who, "export", "customers -> customers.csv", masked_rows, True),
        (who, "export", "at-risk -> raw.csv", _rows(raw), False),
        (who, "replace", "interactions <- interactions.csv", 2, None),
    ]
    assert masked_rows == 600
