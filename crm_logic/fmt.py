"""One formatter for every number a manager reads: money, percentages, counts, days, dates.

Pure functions (no Streamlit), used by pages, charts and exports alike:
- money: a currency symbol by ISO code (¥ CNY, £ GBP, $ USD …), thousands separators, no
  decimals from 1,000 up (two below); `compact=True` gives 1.2万 / 3.5亿 in Chinese and
  12.3k / 1.2M in English for chart labels and headline figures;
- blanks (None, NaN, ±inf) are always "—";
- risk is always a percentage (never 0.9994): "<1%" and ">99%" at the ends, so a 0.9994
  risk is not shown as a certain 100%;
- dates: 中文 2025年7月 / 2025年7月5日, English Jul 2025 / 5 Jul 2025; Plotly axes take the
  matching d3 formats from `plotly_date_format`.

The currency comes from `CrmConfig.currency` when set, else from the data (a `currency`
column, else the customers' country/region: United Kingdom -> GBP), else CNY
(`resolve_currency`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable

BLANK = "—"
DEFAULT_CURRENCY = "CNY"
SYMBOLS: dict[str, str] = {
    "CNY": "¥", "RMB": "¥", "JPY": "¥", "GBP": "£", "USD": "$", "HKD": "HK$",
    "AUD": "A$", "CAD": "C$", "SGD": "S$", "TWD": "NT$", "EUR": "€",
}
# Country or region names (English and Chinese, lower case) -> currency, for the default.
_COUNTRY_CURRENCY: dict[str, str] = {
    "united kingdom": "GBP", "uk": "GBP", "england": "GBP", "scotland": "GBP", "英国": "GBP",
    "eire": "EUR", "ireland": "EUR", "germany": "EUR", "france": "EUR", "spain": "EUR",
    "netherlands": "EUR", "italy": "EUR", "belgium": "EUR", "portugal": "EUR",
    "austria": "EUR", "finland": "EUR", "德国": "EUR", "法国": "EUR",
    "usa": "USD", "united states": "USD", "us": "USD", "美国": "USD",
    "china": "CNY", "中国": "CNY", "japan": "JPY", "日本": "JPY",
    "hong kong": "HKD", "香港": "HKD", "singapore": "SGD", "australia": "AUD",
    "canada": "CAD",
}
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
              "Dec")


def is_blank(x: object) -> bool:
    """None, NaN, ±inf and empty text are blanks."""
    if x is None:
        return True
    if isinstance(x, float):
        return not math.isfinite(x)
    if isinstance(x, str):
        return not x.strip()
    return False


def symbol(currency: str) -> str:
    """The prefix of a currency code (unknown codes: the code and a space)."""
    code = (currency or DEFAULT_CURRENCY).upper()
    return SYMBOLS.get(code, f"{code} ")


def currency_from_data(currencies: Iterable[str | None] = (),
                       countries: Iterable[str | None] = ()) -> str | None:
    """The most common currency code in the data, else the currency of the most common
    known country/region; None if neither says."""
    codes = Counter(c.strip().upper() for c in currencies if c and c.strip())
    if codes:
        return codes.most_common(1)[0][0]
    known = Counter(_COUNTRY_CURRENCY[c.strip().lower()] for c in countries
                    if c and c.strip().lower() in _COUNTRY_CURRENCY)
    return known.most_common(1)[0][0] if known else None


def resolve_currency(configured: str = "", from_data: str | None = None) -> str:
    """The configured currency, else the data's, else CNY."""
    return (configured or from_data or DEFAULT_CURRENCY).upper()


def _compact(x: float, lang: str) -> str:
    a = abs(x)
    if lang == "zh":
        for size, unit in ((1e8, "亿"), (1e4, "万")):
            if a >= size:
                return f"{x / size:.{2 if a < size * 10 else 1}f}".rstrip("0").rstrip(".") + unit
        return f"{x:,.0f}"
    for size, unit in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if a >= size:
            return f"{x / size:.{2 if a < size * 10 else 1}f}".rstrip("0").rstrip(".") + unit
    return f"{x:,.0f}"


def money(x: float | None, currency: str = DEFAULT_CURRENCY, lang: str = "en",
          compact: bool = False) -> str:
    """¥405,032 · £12.50 · -¥1,200 · ¥40.5万 (compact, 中文) · £405k (compact, English)."""
    if is_blank(x):
        return BLANK
    x = float(x)  # type: ignore[arg-type]
    sign = "-" if x < 0 and round(abs(x), 2) > 0 else ""
    a = abs(x)
    if compact and a >= 1e4:
        body = _compact(a, lang)
    else:
        body = f"{a:,.0f}" if a >= 1000 else f"{a:,.2f}"
    return f"{sign}{symbol(currency)}{body}"


def count(n: float | None) -> str:
    """10602 -> 10,602; a float count is rounded (no "91.7 customers")."""
    if is_blank(n):
        return BLANK
    return f"{round(float(n)):,}"  # type: ignore[arg-type]


def number(x: float | None, digits: int = 1) -> str:
    """A plain number with thousands separators and `digits` decimals."""
    if is_blank(x):
        return BLANK
    return f"{float(x):,.{digits}f}"  # type: ignore[arg-type]


def percent(x: float | None, digits: int = 0, signed: bool = False) -> str:
    """A share (0.125) as a percentage: 13% (digits=0), 12.5% (digits=1), +12.5% (signed)."""
    if is_blank(x):
        return BLANK
    return f"{float(x) * 100:{'+' if signed else ''},.{digits}f}%"  # type: ignore[arg-type]


def risk(x: float | None) -> str:
    """A churn risk in [0, 1] always as a percentage; never a false 0% or 100%."""
    if is_blank(x):
        return BLANK
    v = float(x)  # type: ignore[arg-type]
    if 0 < v < 0.005:
        return "<1%"
    if 0.995 <= v < 1:
        return ">99%"
    return f"{v:.0%}"


def days(x: float | None, lang: str = "en") -> str:
    """Whole days: 4 天 / 4 days / 1 day (never "4.00")."""
    if is_blank(x):
        return BLANK
    n = round(float(x))  # type: ignore[arg-type]
    if lang == "zh":
        return f"{n:,} 天"
    return f"{n:,} day" if n in (1, -1) else f"{n:,} days"


def _as_date(d: object) -> dt.date | None:
    if isinstance(d, dt.datetime):
        return d.date()
    if isinstance(d, dt.date):
        return d
    if isinstance(d, str) and d.strip():
        try:
            return dt.date.fromisoformat(d.strip()[:10])
        except ValueError:
            return None
    return None


def month(d: object, lang: str = "en") -> str:
    """2025年7月 / Jul 2025."""
    day = _as_date(d)
    if day is None:
        return BLANK
    if lang == "zh":
        return f"{day.year}年{day.month}月"
    return f"{_MONTHS_EN[day.month - 1]} {day.year}"


def date(d: object, lang: str = "en") -> str:
    """2025年7月5日 / 5 Jul 2025."""
    day = _as_date(d)
    if day is None:
        return BLANK
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def text(x: object) -> str:
    """Any cell as text, blanks as "—" (never "None")."""
    return BLANK if is_blank(x) else str(x)


def plotly_date_format(lang: str, with_day: bool = False) -> str:
    """d3 time format for Plotly date axes and hovers: %Y年%-m月 / %b %Y."""
    if lang == "zh":
        return "%Y年%-m月%-d日" if with_day else "%Y年%-m月"
    return "%-d %b %Y" if with_day else "%b %Y"


def plotly_money_format(currency: str) -> dict[str, str]:
    """Axis settings for a money axis: currency prefix, thousands separators, no decimals."""
    return {"tickprefix": symbol(currency), "tickformat": ",.0f"}


def money_label(label: str, currency: str) -> str:
    """A money column's header with its currency: "Lifetime value (£)", "终身价值 (¥)".

    Streamlit's number columns cannot print a currency other than $, € and ¥ with
    thousands separators, so tables show the symbol in the header and the numbers
    "localized" (grouped, no decimals) and still sort as numbers.
    """
    return f"{label} ({symbol(currency).strip()})"
