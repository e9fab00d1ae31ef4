"""Numbers as exports write them: currency, grouping, and the decimal mark decided per column.

A column's decimal mark ("." or ",") is decided from its values (`detect_decimal`), like the
day order of its dates: `12,50` or `1.234,56` can only be decimal-comma numbers, `1,234.50`
or `12.5` only decimal-point ones. A column whose values fit both (`1.234`, `1,234` and
integers only) is ambiguous: the importer asks (`--decimal`) rather than guess. Once the
mark is decided, a value must fit it: `12,50` in a decimal-point column is not a number
(rejected, never read as 1250).
"""

from __future__ import annotations

import polars as pl

NUMBER_FORMS: tuple[str, ...] = ("plain", "decorated")  # 12.5 | ¥1,234.50, (3), 15%
DECIMAL_MARKS: tuple[str, ...] = (".", ",")
# currency, units and blanks around or inside a number (not the grouping or decimal mark)
_NUMBER_NOISE = ["¥", "￥", "$", "€", "£", " ", "\u00a0", "\u202f", "元", "RMB", "CNY", "USD",
                 "EUR", "GBP", "(", ")", "（", "）", "%", "'"]
# a grouped number in each mark: 1,234,567.89 | 1.234.567,89 (the decimal part optional)
_GROUPED = {".": r"^[-+]?\d{1,3}(,\d{3})+(\.\d*)?$", ",": r"^[-+]?\d{1,3}(\.\d{3})+(,\d*)?$"}
# what each mark's values look like when the mark is certain
_ONLY_COMMA = r"^[-+]?(\d{1,3}(\.\d{3})+,\d*|\d*,\d{1,2}|\d*,\d{4,}|\d+(\.\d{3}){2,})$"
_ONLY_POINT = r"^[-+]?(\d{1,3}(,\d{3})+\.\d*|\d*\.\d{1,2}|\d*\.\d{4,}|\d+(,\d{3}){2,})$"
_EITHER = r"^[-+]?\d{1,3}[.,]\d{3}$"  # 1.234 / 1,234: a thousand or a fraction


def _stripped(col: str | pl.Expr) -> pl.Expr:
    if isinstance(col, pl.Expr):
        return col
    s = pl.col(col).cast(pl.String).str.strip_chars()
    return pl.when(s.str.len_bytes() > 0).then(s)


def _core(text: pl.Expr) -> pl.Expr:
    return text.str.replace_many(_NUMBER_NOISE, [""] * len(_NUMBER_NOISE)).str.replace_all(
        "，", ",", literal=True)


def detect_decimal(values: pl.Series) -> str | None:
    """The decimal mark a sample of a number column uses: ".", ",", or None if in doubt.

    None: the values fit both marks (only 1.234-like values besides integers) or they
    contradict each other (12,50 and 12.50 in one column). A column of integers is ".".
    """
    core = _core(_stripped("v"))
    frame = values.cast(pl.String).to_frame("v").select(
        comma=core.str.contains(_ONLY_COMMA).any(),
        point=core.str.contains(_ONLY_POINT).any(),
        either=core.str.contains(_EITHER).any())
    comma, point, either = frame.row(0)
    if comma and point:
        return None
    if comma:
        return ","
    if point:
        return "."
    return None if either else "."


def ambiguous_example(values: pl.Series) -> str:
    """A value of the sample that reads both ways (for the question the importer asks)."""
    core = _core(_stripped("v"))
    hits = values.cast(pl.String).to_frame("v").filter(
        core.str.contains(_EITHER) | core.str.contains(_ONLY_COMMA)).get_column("v")
    return str(hits[0]) if hits.len() else ""


def number_forms(values: pl.Series, decimal: str = ".") -> tuple[str, ...]:
    """("plain",) when every value of a sample is a plain number, else all NUMBER_FORMS."""
    if decimal != ".":
        return NUMBER_FORMS
    frame = values.cast(pl.String).to_frame("v")
    text = _stripped("v")
    plain = frame.select((text.is_null() | text.cast(pl.Float64, strict=False).is_not_null())
                         .all()).item()
    return ("plain",) if plain else NUMBER_FORMS


def parse_number_expr(col: str | pl.Expr, forms: tuple[str, ...] = NUMBER_FORMS,
                      decimal: str = ".") -> pl.Expr:
    """Text -> Float64 for amounts as exports write them; null where it is not a number.

    ¥1,234.50, ￥12, $12, 1,000, 1 000, RMB 8, 8元, (12.50) = -12.50, 15% = 0.15; with
    `decimal=","`: 12,50, 1.234,56. Grouping must be in threes (12,50 is no number with a
    decimal point). `forms=("plain",)` reads plain numbers only (faster; `number_forms`).
    `col` may be an expression of already stripped text.
    """
    text = _stripped(col)
    if "decorated" not in forms and decimal == ".":
        num = text.cast(pl.Float64, strict=False)
        return _named(pl.when(num.is_finite()).then(num), col)
    group = "," if decimal == "." else "."
    parts = pl.struct(text.alias("t")).struct.with_fields(core=_core(pl.field("t")))
    core = pl.field("core")
    ok = ~core.str.contains(group, literal=True) | core.str.contains(_GROUPED[decimal])
    digits = core.str.replace_all(group, "", literal=True)
    if decimal == ",":
        digits = digits.str.replace_all(",", ".", literal=True)
    parts = parts.struct.with_fields(
        num=pl.when(ok).then(digits).cast(pl.Float64, strict=False),
        neg=(pl.field("t").str.starts_with("(") & pl.field("t").str.ends_with(")"))
        | (pl.field("t").str.starts_with("（") & pl.field("t").str.ends_with("）")),
        pct=pl.field("t").str.ends_with("%"),
    )
    num = pl.when(pl.field("num").is_finite()).then(pl.field("num"))  # no inf / nan
    parts = parts.struct.with_fields(out=(
        pl.when(pl.field("neg")).then(-num).otherwise(num)
        / pl.when(pl.field("pct")).then(100.0).otherwise(1.0)))
    return _named(parts.struct.field("out"), col)


def _named(expr: pl.Expr, col: str | pl.Expr) -> pl.Expr:
    return expr.alias(col) if isinstance(col, str) else expr


parse_amount_expr = parse_number_expr  # the same rules serve amounts, prices and quantities
