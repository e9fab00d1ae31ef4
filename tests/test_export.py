"""Safe CSV export: formulas defused, personal data masked, encodings."""

from __future__ import annotations

import csv
import io

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from crm_logic.export import safe_frame, to_safe_csv


def _rows(data: bytes, encoding: str = "utf-8-sig") -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(encoding))))


def test_formula_looking_ids_and_names_are_defused() -> None:
    df = pl.DataFrame(
        {
            "customer_id": ["=HYPERLINK(\"http://x\")", "+86", "-1", "@SUM(A1)", "\tcmd", "C1"],
            "name": ["=1+1", "张三", "Bob", "-x", "王", "李四"],
        }
    )
    rows = _rows(to_safe_csv(df, mask=False))
    assert rows[0] == ["customer_id", "name"]
    assert [r[0] for r in rows[1:]] == [
        "'=HYPERLINK(\"http://x\")", "'+86", "'-1", "'@SUM(A1)", "'\tcmd", "C1",
    ]
    assert [r[1] for r in rows[1:]] == ["'=1+1", "张三", "Bob", "'-x", "王", "李四"]


def test_numbers_stay_numbers_and_dates_iso() -> None:
    import datetime as dt

    df = pl.DataFrame({"amount": [-12.5, 3.0], "d": [dt.date(2024, 1, 5), None]})
    rows = _rows(to_safe_csv(df))
    assert rows[1:] == [["-12.5", "2024-01-05"], ["3.0", ""]]


def test_personal_data_masked_by_default() -> None:
    df = pl.DataFrame(
        {
            "name": ["张三丰", "Alice", None],
            "phone": ["13812345678", "12", None],
            "email": ["alice@example.com", "broken", None],
        }
    )
    got = safe_frame(df)
    assert got.to_dict(as_series=False) == {
        "name": ["张**", "A****", None],
        "phone": ["138****5678", "****", None],
        "email": ["a***@example.com", "***", None],
    }
    assert safe_frame(df, mask=False).equals(df)


def test_bom_and_gbk() -> None:
    df = pl.DataFrame({"name": ["黄金层"]})
    utf = to_safe_csv(df, mask=False)
    assert utf.startswith(b"\xef\xbb\xbf")
    gbk = to_safe_csv(df, mask=False, encoding="gbk")
    assert gbk.decode("gbk").splitlines() == ["name", "黄金层"]


def test_list_columns_joined() -> None:
    df = pl.DataFrame({"risk_flags": [["inactive", "decline"], []]})
    assert _rows(to_safe_csv(df))[1:] == [["inactive; decline"], [""]]


@given(st.lists(st.text(max_size=12), min_size=1, max_size=20))
def test_no_cell_can_start_a_formula(values: list[str]) -> None:
    df = pl.DataFrame({"customer_id": values, "name": values})
    for row in _rows(to_safe_csv(df, mask=False))[1:]:
        for cell in row:
            assert not cell or cell[0] not in "=+-@\t\r"
