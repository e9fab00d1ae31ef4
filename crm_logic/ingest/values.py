"""Value parsers: Polars expression builders turning source text into canonical values."""

from __future__ import annotations

import polars as pl

from crm_logic import store
from crm_logic.ingest.numbers import NUMBER_FORMS, parse_number_expr
from crm_logic.ingest.result import ID_COLUMNS
from crm_logic.ingest.synonyms import (
    CHURN_REASON_WORDS,
    CHURN_TYPE_WORDS,
    FALSE_WORDS,
    TRUE_WORDS,
)

# --- value parsers (Polars expression builders) ------------------------------------------------

_DATE_SEPARATORS = (["/", ".", "年", "月", "日", "T"], ["-", "-", "-", "-", "", " "])
_XDY = r"^\d{1,2}[-/.]\d{1,2}[-/.](\d{4}|\d{2})\b"  # D/M/Y or M/D/Y, for day-first detection
# Two-digit years (7/22/13): 00-68 are 2000-2068, 69-99 are 1969-1999 (the POSIX rule).
TWO_DIGIT_YEAR_PIVOT = 69
_DOTTED = r"^\d{1,2}\.\d{1,2}\.\d{2,4}\b"  # D.M.YYYY: always day-first (no export writes M.D.)


def _shape(text: pl.Expr) -> pl.Expr:
    """One date shape: separators -> "-", the time cut off, two-digit years widened.

    Only M/D/YY and D.M.YY are widened: 13-07-22 may be YY-MM-DD and stays unread.
    """
    shape = text.str.replace_many(*_DATE_SEPARATORS).str.split_exact(" ", 1).struct.field(
        "field_0")
    tens, ones = divmod(TWO_DIGIT_YEAR_PIVOT, 10)  # 69: 00-59 and 60-68 are this century
    this_century = rf"^(\d{{1,2}}-\d{{1,2}}-)([0-{tens - 1}]\d|{tens}[0-{ones - 1}])$"
    widened = (shape.str.replace(this_century, "${1}20$2")
               .str.replace(r"^(\d{1,2}-\d{1,2}-)(\d\d)$", "${1}19$2"))
    short = text.str.contains(r"^\d{1,2}([/.])\d{1,2}[/.]\d{2}(\s|T|$)")
    return pl.when(short).then(widened).otherwise(shape)


def _text(col: str) -> pl.Expr:
    """The column as stripped text, empty -> null."""
    s = pl.col(col).cast(pl.String).str.strip_chars()
    return pl.when(s.str.len_bytes() > 0).then(s)


def _clean(col: str | pl.Expr) -> pl.Expr:
    """A column name -> its stripped text; an expression is taken as already clean text."""
    return _text(col) if isinstance(col, str) else col


def _named(expr: pl.Expr, col: str | pl.Expr) -> pl.Expr:
    return expr.alias(col) if isinstance(col, str) else expr


DATE_FORMS: tuple[str, ...] = ("ymd", "compact", "xdy", "serial")


def parse_date_expr(col: str | pl.Expr, dayfirst: bool | None = None,
                    forms: tuple[str, ...] = DATE_FORMS) -> pl.Expr:
    """Text -> pl.Date for the date forms real exports carry; null where it is not a date.

    Accepts 2024-01-05, 2024/1/5, 2024.1.5, 2024年1月5日, 20240105, with or without a time
    (the date part is kept), Excel serial days (45296) and D/M/YYYY or M/D/YYYY (also with a
    two-digit year, widened by TWO_DIGIT_YEAR_PIVOT; D.M.YYYY is always day-first). For the
    latter, `dayfirst=None` decides per column from the values (a first number above 12 means
    day-first; ambiguous columns are month-first); a row that only reads one way reads that way.
    `forms` limits the work to the forms a column uses (see `date_forms`): rows in other
    forms then read as null. `col` may be an expression of already stripped text.
    """
    text = _clean(col)
    shape = _shape(text)
    none = pl.lit(None, dtype=pl.Date)
    n = pl.field("n")
    parts = pl.struct(shape.alias("n"), text.alias("t")).struct.with_fields(
        ymd=n.str.strptime(pl.Date, "%Y-%m-%d", strict=False) if "ymd" in forms else none,
        compact=n.str.strptime(pl.Date, "%Y%m%d", strict=False) if "compact" in forms else none,
        mdy=n.str.strptime(pl.Date, "%m-%d-%Y", strict=False) if "xdy" in forms else none,
        dmy=n.str.strptime(pl.Date, "%d-%m-%Y", strict=False) if "xdy" in forms else none,
        serial=pl.field("t").cast(pl.Float64, strict=False) if "serial" in forms
        else pl.lit(None, dtype=pl.Float64),
    )
    mdy, dmy = pl.field("mdy"), pl.field("dmy")
    first: pl.Expr | bool
    if dayfirst is None:
        first = ((mdy.is_null() & dmy.is_not_null()).any()
                 & ~(dmy.is_null() & mdy.is_not_null()).any())
    else:
        first = dayfirst
    dotted = pl.field("t").str.contains(_DOTTED)
    either = pl.when(dotted | first).then(pl.coalesce(dmy, mdy)).otherwise(pl.coalesce(mdy, dmy))
    serial = pl.field("serial")
    from_serial = pl.when(serial.is_between(1, 2_958_465)).then(
        pl.date(1899, 12, 30) + pl.duration(days=serial.floor().cast(pl.Int32, strict=False)))
    parts = parts.struct.with_fields(
        out=pl.coalesce(pl.field("ymd"), pl.field("compact"), either, from_serial))
    return _named(parts.struct.field("out"), col)


def date_forms(values: pl.Series) -> tuple[str, ...]:
    """The date forms (of DATE_FORMS) that values of a sample use; all if none reads."""
    frame = values.cast(pl.String).to_frame("v")
    found = tuple(f for f in DATE_FORMS
                  if frame.select(parse_date_expr("v", False, (f,)).is_not_null().any()).item())
    return found or DATE_FORMS


def ambiguous_day_order(values: pl.Series) -> bool:
    """Whether a sample's D/M/Y values read both ways and none decides (3/4/2024 only)."""
    frame = values.cast(pl.String).to_frame("v")
    text = _text("v")
    shape = _shape(text.str.extract(f"({_XDY})", 1))
    mdy = shape.str.strptime(pl.Date, "%m-%d-%Y", strict=False)
    dmy = shape.str.strptime(pl.Date, "%d-%m-%Y", strict=False)
    slashed = ~text.str.contains(_DOTTED)
    row = frame.select((slashed & mdy.is_not_null() & dmy.is_not_null() & (mdy != dmy)).any(),
                       (mdy.is_null() != dmy.is_null()).any()).row(0)
    return bool(row[0]) and not bool(row[1])


def detect_dayfirst(values: pl.Series) -> bool:
    """Whether D/M/YYYY values in a sample read day-first (see parse_date_expr)."""
    frame = values.cast(pl.String).to_frame("v")
    shape = _shape(_text("v").str.extract(f"({_XDY})", 1))
    mdy = shape.str.strptime(pl.Date, "%m-%d-%Y", strict=False)
    dmy = shape.str.strptime(pl.Date, "%d-%m-%Y", strict=False)
    row = frame.select((mdy.is_null() & dmy.is_not_null()).any().alias("d"),
                       (dmy.is_null() & mdy.is_not_null()).any().alias("m")).row(0)
    return bool(row[0]) and not bool(row[1])


def parse_bool_expr(col: str | pl.Expr) -> pl.Expr:
    """是/否, yes/no, Y/N, true/false, 1/0, 合理/不合理 -> Boolean; null otherwise."""
    s = _clean(col).str.to_lowercase()
    return _named(pl.when(s.is_in(TRUE_WORDS)).then(True)
                  .when(s.is_in(FALSE_WORDS)).then(False)
                  .otherwise(None).cast(pl.Boolean), col)


def clean_id_expr(col: str | pl.Expr) -> pl.Expr:
    """Identifiers as text: stripped, empty -> null, float-like 17850.0 -> 17850."""
    parts = pl.struct(_clean(col).alias("t")).struct.with_fields(
        short=pl.field("t").str.strip_suffix(".0"))
    whole = pl.field("short").cast(pl.Int64, strict=False).is_not_null()
    parts = parts.struct.with_fields(
        out=pl.when(pl.field("t").str.ends_with(".0") & whole).then(pl.field("short"))
        .otherwise(pl.field("t")))
    return _named(parts.struct.field("out"), col)


def parse_code_expr(col: str | pl.Expr, words: dict[str, str],
                    codes: tuple[str, ...]) -> pl.Expr:
    """Free text -> one of `codes` (English code, any case, or a Chinese word); null otherwise."""
    s = _clean(col)
    low = s.str.to_lowercase()
    return _named(pl.when(low.is_in(codes)).then(low)
                  .otherwise(s.replace_strict(words, default=None, return_dtype=pl.String)),
                  col)


def _canonical_expr(table: str, col: str, text: pl.Expr, dayfirst: bool,
                    forms: tuple[str, ...] | None = None, decimal: str = ".") -> pl.Expr:
    """Clean source text `text` parsed into canonical column `col` of `table`."""
    typ = store.SCHEMA[table][col]
    if typ == "DATE":
        out = parse_date_expr(text, dayfirst, forms or DATE_FORMS)
    elif typ == "DOUBLE":
        out = parse_number_expr(text, forms or NUMBER_FORMS, decimal)
    elif typ == "BOOLEAN":
        out = parse_bool_expr(text)
    elif col == "churn_reason":
        out = parse_code_expr(text, CHURN_REASON_WORDS, store.CHURN_REASONS)
    elif col == "churn_type":
        out = parse_code_expr(text, CHURN_TYPE_WORDS, store.CHURN_TYPES)
    elif col in ID_COLUMNS:
        out = clean_id_expr(text)
    else:
        out = text
    return out.alias(col)


