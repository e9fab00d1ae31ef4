"""Issue 11 item 9: user mistakes exit 2 with one line, and the store stays as it was."""

from __future__ import annotations

import errno
import zipfile
from pathlib import Path

import pytest

from crm_logic.cli import main


def _store(tmp_path: Path) -> Path:
    db = tmp_path / "crm.duckdb"
    src = tmp_path / "o.csv"
    src.write_text("customer_id,order_date,amount\nA,2024-01-01,5\nB,2024-01-02,7\n",
                   encoding="utf-8")
    assert main(["--db", str(db), "import", "orders", str(src)]) == 0
    return db


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    return err[0]


def test_export_out_a_folder_and_unknown_tier(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    db = _store(tmp_path)
    capsys.readouterr()
    assert main(["--db", str(db), "export", "customers", "--out", str(tmp_path)]) == 2
    assert "folder" in _one_line(capsys)
    out = tmp_path / "x.csv"
    assert main(["--db", str(db), "export", "customers", "--out", str(out),
                 "--tier", "diamond"]) == 2
    assert "diamond" in _one_line(capsys)
    assert not out.exists()


def test_disk_full_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                               monkeypatch: pytest.MonkeyPatch) -> None:
    db = _store(tmp_path)
    import crm_logic.report as report

    def full(*_a: object, **_k: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "x.csv"))

    monkeypatch.setattr(report, "export_list", full)
    capsys.readouterr()
    assert main(["--db", str(db), "export", "customers", "--out",
                 str(tmp_path / "x.csv")]) == 2
    assert "No space left" in _one_line(capsys)


def test_xlsx_that_would_abort_the_reader(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    import xlsxwriter

    db = _store(tmp_path)
    plain = tmp_path / "p.xlsx"
    wb = xlsxwriter.Workbook(str(plain))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["customer_id", "order_date", "amount"])
    ws.write_row(1, 0, ["A", "2024-01-01", 1])
    wb.close()
    bad = tmp_path / "bad.xlsx"  # one cell past Excel's last row: calamine allocates 550 GB
    with zipfile.ZipFile(plain) as z, zipfile.ZipFile(bad, "w") as w:
        for info in z.infolist():
            data = z.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'r="A1"', b'r="XFD1048577"', 1)
            w.writestr(info, data)
    capsys.readouterr()
    assert main(["--db", str(db), "import", "orders", str(bad)]) == 2
    assert "Excel" in _one_line(capsys)


def test_rejects_file_that_cannot_be_written(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    import duckdb

    db = _store(tmp_path)
    (tmp_path / "rejects").write_text("a file where the rejects folder should be")
    src = tmp_path / "bad.csv"
    src.write_text("customer_id,order_date,amount\nC,2024-01-03,x\nD,2024-01-04,2\n",
                   encoding="utf-8")
    capsys.readouterr()
    assert main(["--db", str(db), "import", "orders", str(src)]) == 2
    _one_line(capsys)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM orders").fetchall()[0][0] == 2
    assert con.execute("SELECT count(*) FROM import_log").fetchall()[0][0] == 1
    con.close()


def test_reader_panic_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """calamine's Rust panics surface as pyo3's PanicException, a BaseException."""
    import polars as pl
    import xlsxwriter

    class PanicException(BaseException):  # what pyo3 raises for a Rust panic
        pass

    def panic(*_a: object, **_k: object) -> None:
        raise PanicException("called `Option::unwrap()` on a `None` value")

    db = _store(tmp_path)
    path = tmp_path / "ok.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet().write_row(0, 0, ["customer_id", "order_date", "amount"])
    wb.close()
    monkeypatch.setattr(pl, "read_excel", panic)
    capsys.readouterr()
    assert main(["--db", str(db), "import", "orders", str(path)]) == 2
    assert "Excel" in _one_line(capsys)
