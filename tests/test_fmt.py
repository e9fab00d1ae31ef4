"""The one formatter: money, percentages, counts, days, dates, blanks (hand-written answers)."""

from __future__ import annotations

import datetime as dt
import math

from crm_logic import fmt


def test_money_symbols_separators_and_decimals() -> None:
    assert fmt.money(405031.55672726495, "CNY") == "¥405,032"
    assert fmt.money(405031.6, "GBP") == "£405,032"
    assert fmt.money(999.5, "USD") == "$999.50"
    assert fmt.money(1000, "USD") == "$1,000"
    assert fmt.money(12.5, "gbp") == "£12.50"
    assert fmt.money(-1200, "CNY") == "-¥1,200"
    assert fmt.money(-0.001, "CNY") == "¥0.00"
    assert fmt.money(5, "CHF") == "CHF 5.00"


def test_money_compact_by_language() -> None:
    assert fmt.money(405032, "CNY", "zh", compact=True) == "¥40.5万"
    assert fmt.money(123_456_789, "CNY", "zh", compact=True) == "¥1.23亿"
    assert fmt.money(405032, "GBP", "en", compact=True) == "£405k"
    assert fmt.money(12345, "GBP", "en", compact=True) == "£12.3k"
    assert fmt.money(2_500_000, "USD", "en", compact=True) == "$2.5M"
    assert fmt.money(9999, "CNY", "zh", compact=True) == "¥9,999"


def test_blanks_are_dashes() -> None:
    for blank in (None, math.nan, math.inf, -math.inf):
        assert fmt.money(blank) == "—"
        assert fmt.percent(blank) == "—"
        assert fmt.count(blank) == "—"
        assert fmt.days(blank) == "—"
        assert fmt.risk(blank) == "—"
        assert fmt.number(blank) == "—"
    assert fmt.text(None) == "—"
    assert fmt.text("  ") == "—"
    assert fmt.text("A") == "A"
    assert fmt.month(None, "zh") == "—"
    assert fmt.date("not a date", "en") == "—"


def test_percent_count_days() -> None:
    assert fmt.percent(0.125) == "12%"
    assert fmt.percent(0.125, 1) == "12.5%"
    assert fmt.percent(25.286, 1, signed=True) == "+2,528.6%"
    assert fmt.percent(-0.05, 1, signed=True) == "-5.0%"
    assert fmt.count(10602) == "10,602"
    assert fmt.count(91.7) == "92"
    assert fmt.days(4.0, "en") == "4 days"
    assert fmt.days(1, "en") == "1 day"
    assert fmt.days(1457.4, "zh") == "1,457 天"
    assert fmt.number(1234.567, 1) == "1,234.6"


def test_risk_always_percent_never_false_certainty() -> None:
    assert fmt.risk(0.9994) == ">99%"
    assert fmt.risk(1.0) == "100%"
    assert fmt.risk(0.0) == "0%"
    assert fmt.risk(0.004) == "<1%"
    assert fmt.risk(0.6) == "60%"
    assert fmt.risk(0.345) == "34%"  # round half to even on the binary value 0.345


def test_dates_by_language() -> None:
    d = dt.date(2025, 7, 5)
    assert fmt.month(d, "zh") == "2025年7月"
    assert fmt.month(d, "en") == "Jul 2025"
    assert fmt.date(d, "zh") == "2025年7月5日"
    assert fmt.date(d, "en") == "5 Jul 2025"
    assert fmt.date(dt.datetime(2025, 12, 31, 13, 5), "zh") == "2025年12月31日"
    assert fmt.month("2022-01-15", "zh") == "2022年1月"
    assert fmt.plotly_date_format("zh") == "%Y年%-m月"
    assert fmt.plotly_date_format("en") == "%b %Y"


def test_currency_resolution() -> None:
    assert fmt.resolve_currency("", None) == "CNY"
    assert fmt.resolve_currency("", "GBP") == "GBP"
    assert fmt.resolve_currency("usd", "GBP") == "USD"
    uk = ["United Kingdom"] * 3 + ["France", None, "Atlantis"]
    assert fmt.currency_from_data(countries=uk) == "GBP"
    assert fmt.currency_from_data(currencies=["eur", "EUR", "USD"], countries=uk) == "EUR"
    assert fmt.currency_from_data(countries=["Atlantis", "华东"]) is None
    assert fmt.money_label("终身价值", "CNY") == "终身价值 (¥)"
    assert fmt.money_label("Value", "CHF") == "Value (CHF)"
    assert fmt.plotly_money_format("GBP") == {"tickprefix": "£", "tickformat": ",.0f"}

