"""Importer parsing and header mapping: hand-built cases and property-based tests."""

from __future__ import annotations

import datetime as dt
import math

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal, assert_series_equal

from crm_logic import store
from crm_logic.ingest import (
    UnusableInputError,
    clean_id_expr,
    detect_dayfirst,
    guess_table,
    normalise_header,
    parse_bool_expr,
    parse_date_expr,
    parse_number_expr,
    resolve_mapping,
    suggest_mapping,
)


def _dates(values: list[str | None], dayfirst: bool | None = None) -> list[dt.date | None]:
    df = pl.DataFrame({"d": values}, schema={"d": pl.String})
    return df.select(parse_date_expr("d", dayfirst)).get_column("d").to_list()


def test_date_forms_of_real_exports() -> None:
    values = ["2024/1/5", "2024-01-05 08:30", "20240105", "2024年1月5日", "45296",
              "2024.1.5", "2024-01-05T08:30:00", " 2024-1-5 ", "45296.75"]
    assert _dates(values) == [dt.date(2024, 1, 5)] * len(values)


def test_dates_that_are_not_dates_become_null() -> None:
    assert _dates(["2024-02-30", "hello", "", None, "2024-13-01", "0"]) == [None] * 6


def test_month_first_and_day_first_detected_per_column() -> None:
    # 13/1/2024 only reads day-first: the whole column is day-first, 2/1 is 2 January
    assert _dates(["13/1/2024", "2/1/2024"]) == [dt.date(2024, 1, 13), dt.date(2024, 1, 2)]
    # 1/13/2024 only reads month-first: 2/1 is 1 February
    assert _dates(["1/13/2024", "2/1/2024"]) == [dt.date(2024, 1, 13), dt.date(2024, 2, 1)]
    # ambiguous column: month-first (M/D/YYYY exports)
    assert _dates(["3/4/2024"]) == [dt.date(2024, 3, 4)]
    assert _dates(["3/4/2024"], dayfirst=True) == [dt.date(2024, 4, 3)]
    assert detect_dayfirst(pl.Series(["25/12/2023", "1/2/2024"])) is True
    assert detect_dayfirst(pl.Series(["12/25/2023", "1/2/2024"])) is False


def test_numbers_as_exports_write_them() -> None:
    df = pl.DataFrame({"a": ["¥1,234.50", "1,000", "$12", "￥8", "  -3.5 ", "(12.50)", "15%",
                             "RMB 20", "30元", "abc", "", None, "1.2.3"]})
    got = df.select(parse_number_expr("a")).get_column("a").to_list()
    assert got == [1234.5, 1000.0, 12.0, 8.0, -3.5, -12.5, 0.15, 20.0, 30.0, None, None, None,
                   None]


def test_booleans_in_both_languages() -> None:
    df = pl.DataFrame({"r": ["是", "否", "Yes", "no", "Y", "n", "TRUE", "false", "1", "0",
                             "合理", "不合理", "maybe", None]})
    got = df.select(parse_bool_expr("r")).get_column("r").to_list()
    assert got == [True, False, True, False, True, False, True, False, True, False, True,
                   False, None, None]


def test_float_like_ids_lose_their_decimal_zero() -> None:
    df = pl.DataFrame({"c": ["17850.0", " C-01 ", "", "12.5", "007", None]})
    got = df.select(clean_id_expr("c")).get_column("c")
    assert_series_equal(got, pl.Series("c", ["17850", "C-01", None, "12.5", "007", None]))


def test_headers_map_from_english_and_chinese() -> None:
    assert suggest_mapping("orders", ["客户编号", "下单时间", "实付金额", "数量", "单价", "商品",
                                      "备注"]) == {
        "客户编号": "customer_id", "下单时间": "order_date", "实付金额": "amount",
        "数量": "quantity", "单价": "unit_price", "商品": "product"}
    assert suggest_mapping("customers", ["Customer ID", "E-Mail", "手机", "注册日期"]) == {
        "Customer ID": "customer_id", "E-Mail": "email", "手机": "phone",
        "注册日期": "signup_date"}
    assert suggest_mapping("complaints", ["投诉编号", "投诉日期", "处理状态", "解决日期",
                                          "投诉渠道", "满意度", "是否合理"]) == {
        "投诉编号": "complaint_id", "投诉日期": "received_date", "处理状态": "status",
        "解决日期": "resolved_date", "投诉渠道": "channel", "满意度": "satisfaction",
        "是否合理": "reasonable"}
    # the first source column naming a target takes it
    assert suggest_mapping("orders", ["金额", "订单金额"]) == {"金额": "amount"}


def test_every_canonical_column_maps_from_its_own_name() -> None:
    for table, cols in store.SCHEMA.items():
        names = [c.upper().replace("_", " ") for c in cols]
        assert list(suggest_mapping(table, names).values()) == list(cols)


def test_explicit_mapping_overrides_and_ignores() -> None:
    cols = ["InvoiceNo", "Description", "CustomerID", "InvoiceDate", "Quantity", "UnitPrice"]
    mapping, warnings = resolve_mapping("orders", cols, {"Description": "product",
                                                         "Quantity": "-"})
    assert mapping == {"InvoiceNo": "order_id", "Description": "product",
                       "CustomerID": "customer_id", "InvoiceDate": "order_date",
                       "UnitPrice": "unit_price"}
    assert warnings == ["column 'Quantity' not mapped: ignored"]
    with pytest.raises(UnusableInputError, match="not in the file"):
        resolve_mapping("orders", cols, {"Nope": "amount"})
    with pytest.raises(UnusableInputError, match="not a column of table"):
        resolve_mapping("orders", cols, {"Quantity": "colour"})


def test_guess_table_from_headers() -> None:
    assert guess_table(["客户编号", "下单时间", "金额"]) == "orders"
    assert guess_table(["投诉编号", "投诉日期", "客户编号"]) == "complaints"
    assert guess_table(["客户编号", "姓名", "手机"]) == "customers"
    assert guess_table(["customer_id", "interaction_date", "direction"]) == "interactions"


# --- property-based ------------------------------------------------------------------------

_dates_st = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31))


@settings(max_examples=150, deadline=None)
@given(d=_dates_st, form=st.sampled_from(["%Y-%m-%d", "%Y/%-m/%-d", "%Y%m%d", "%Y年%-m月%-d日",
                                          "%Y-%m-%d %H:%M", "%Y.%m.%d"]))
def test_any_date_in_a_supported_form_round_trips(d: dt.date, form: str) -> None:
    text = dt.datetime(d.year, d.month, d.day, 8, 30).strftime(form)
    assert _dates([text]) == [d]


@settings(max_examples=150, deadline=None)
@given(d=_dates_st)
def test_excel_serial_days_round_trip(d: dt.date) -> None:
    serial = (d - dt.date(1899, 12, 30)).days
    assert _dates([str(serial), f"{serial}.25"]) == [d, d]


@settings(max_examples=100, deadline=None)
@given(d=_dates_st)
def test_day_first_column_reads_every_date(d: dt.date) -> None:
    # a column with one unambiguous day-first value reads all of its values day-first
    texts = ["31/12/2020", f"{d.day}/{d.month}/{d.year}"]
    assert _dates(texts) == [dt.date(2020, 12, 31), d]


@settings(max_examples=200, deadline=None)
@given(cents=st.integers(min_value=-10**11, max_value=10**11),
       symbol=st.sampled_from(["", "¥", "$", "￥"]), grouped=st.booleans())
def test_amounts_round_trip(cents: int, symbol: str, grouped: bool) -> None:
    value = cents / 100
    body = f"{abs(value):,.2f}" if grouped else f"{abs(value):.2f}"
    text = ("-" if value < 0 else "") + symbol + body
    got = pl.DataFrame({"a": [text]}).select(parse_number_expr("a")).item()
    assert got == pytest.approx(value, abs=1e-9)


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(max_size=12), st.sampled_from(["inf", "-inf", "NaN", "1e400", "¥inf"])))
def test_number_parser_never_raises_and_stays_finite(text: str) -> None:
    for forms in (("plain",), ("plain", "decorated")):
        got = pl.DataFrame({"a": [text]}).select(parse_number_expr("a", forms)).item()
        assert got is None or (isinstance(got, float) and math.isfinite(got))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=20))
def test_date_parser_never_raises(text: str) -> None:
    got = _dates([text])[0]
    assert got is None or isinstance(got, dt.date)


@settings(max_examples=100, deadline=None)
@given(col=st.sampled_from(sorted({c for cols in store.SCHEMA.values() for c in cols})),
       upper=st.booleans(), sep=st.sampled_from(["_", " ", "-", ""]))
def test_header_normalisation_ignores_case_and_separators(col: str, upper: bool,
                                                          sep: str) -> None:
    name = col.replace("_", sep)
    name = name.upper() if upper else name
    assert normalise_header(name) == normalise_header(col)


def test_parsed_frame_equals_hand_computed() -> None:
    raw = pl.DataFrame({"d": ["2024/3/1", "bad"], "a": ["¥1,000.5", "2"]})
    got = raw.select(parse_date_expr("d"), parse_number_expr("a"))
    want = pl.DataFrame({"d": [dt.date(2024, 3, 1), None], "a": [1000.5, 2.0]})
    assert_frame_equal(got, want)
