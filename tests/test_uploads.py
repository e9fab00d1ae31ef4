"""Uploads: type checked by content, private folder and files, the store's sample-only state."""

from __future__ import annotations

import io
import stat
from pathlib import Path

import polars as pl
import pytest

from crm_logic import store, uploads
from crm_logic.ingest import import_frame


def _parquet() -> bytes:
    buf = io.BytesIO()
    pl.DataFrame({"customer_id": ["C1"]}).write_parquet(buf)
    return buf.getvalue()


def _xlsx(tmp_path: Path) -> bytes:
    import xlsxwriter

    path = tmp_path / "x.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet().write(0, 0, "customer_id")
    book.close()
    return path.read_bytes()


def test_real_files_pass(tmp_path: Path) -> None:
    assert uploads.check_bytes("a.csv", "customer_id,名字\nC1,张三\n".encode()) is None
    assert uploads.check_bytes("a.TSV", b"customer_id\tx\n") is None
    assert uploads.check_bytes("a.csv", "customer_id\n".encode("utf-16")) is None  # BOM
    assert uploads.check_bytes("a.parquet", _parquet()) is None
    assert uploads.check_bytes("a.xlsx", _xlsx(tmp_path)) is None


@pytest.mark.parametrize("name,data,problem", [
    ("a.exe", b"MZ\x90\x00", "type"),
    ("a.html", b"<html>", "type"),
    ("a.csv", b"", "empty"),
    ("a.csv", b"MZ\x90\x00\x03\x00", "content"),        # a program renamed to .csv
    ("a.csv", b"%PDF-1.7\n", "content"),
    ("a.csv", b"PK\x03\x04rest", "content"),            # a spreadsheet renamed to .csv
    ("a.txt", b"id,name\nC1,\x00\x00\x00", "content"),  # binary bytes in text
    ("a.xlsx", b"customer_id,name\n", "content"),       # text renamed to .xlsx
    ("a.parquet", b"PAR1 truncated", "content"),        # no footer
])
def test_mismatched_content_refused(name: str, data: bytes, problem: str) -> None:
    assert uploads.check_bytes(name, data) == problem


def test_private_folder_and_file(tmp_path: Path) -> None:
    folder = uploads.private_dir()
    try:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        path = uploads.write_private(folder, "../../evil/name.csv", b"a,b\n")
        assert path.parent == folder and path.name == "name.csv"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert path.read_bytes() == b"a,b\n"
    finally:
        import shutil

        shutil.rmtree(folder)


def test_only_sample_until_own_file(tmp_path: Path) -> None:
    con = store.connect(tmp_path / "crm.duckdb")
    assert not uploads.only_sample(con)  # empty store: no sample either
    cust = pl.DataFrame({"customer_id": ["C1", "C2"]})
    import_frame(con, "customers", cust, file_name="sample:customers", mode="replace")
    assert uploads.only_sample(con)
    assert uploads.table_rows(con)["customers"] == 2
    import_frame(con, "customers", pl.DataFrame({"customer_id": ["C9"]}),
                 file_name="mine.csv", mode="append")
    assert not uploads.only_sample(con)
    # reloading the sample makes it sample-only again
    import_frame(con, "customers", cust, file_name="sample:customers", mode="replace")
    assert uploads.only_sample(con)
