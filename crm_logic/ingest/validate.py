"""Validation: every source row -> canonical values, or the first failing check; repeats."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from crm_logic import store
from crm_logic.ingest.values import _canonical_expr, _text, parse_date_expr

_INVALID = {"DATE": "invalid_date", "DOUBLE": "invalid_number", "BOOLEAN": "invalid_boolean",
            "VARCHAR": "invalid_code"}


Check = tuple[str | None, str]  # (canonical column or None for the whole row, reason code)
FIELD_COUNT = 1  # __bad code of a row with more or fewer fields than the header (check 0)
EARLIEST = dt.date(1900, 1, 1)  # dates before this are rejected (date_before_1900)


@dataclass(frozen=True)
class Rules:
    """What one import checks beyond the value forms (from CrmConfig and the options)."""

    today: dt.date  # the day of the import: later dates are rejected (future_date)
    future_days: int = 0  # ... beyond this tolerance
    max_cell: int = 32_767  # a longer cell rejects its row (field_too_long)
    decimals: dict[str, str] = field(default_factory=dict)  # number column -> "." | ","
    check_text: bool = False  # reject rows with undecodable text or NUL (encoding)
    generated: frozenset[str] = frozenset()  # required columns the importer fills in

Lookup = tuple[pl.Series, pl.Series]  # distinct source text -> Int32 day code
_UNREADABLE = -(2**31)  # day code of a value that is present but not a date


def date_lookup(values: pl.Series, dayfirst: bool) -> Lookup:
    """A date column's distinct source texts and their day codes (days since 1970-01-01).

    A column of 10M dates holds a few thousand distinct texts: they are parsed once, in every
    form, and the rows read them back by one hash lookup. Code _UNREADABLE marks text that
    is not a date; blank text gets no code (null, a missing value).
    """
    keys = values.unique().drop_nulls()
    frame = keys.to_frame("v").select(
        v=pl.col("v"),
        day=parse_date_expr("v", dayfirst).cast(pl.Int32),
        blank=_text("v").is_null())
    codes = frame.select(pl.when(pl.col("blank")).then(None)
                         .otherwise(pl.col("day").fill_null(_UNREADABLE))).to_series()
    return frame.get_column("v"), codes




def _validated(lf: pl.LazyFrame, table: str, mapping: dict[str, str], dayfirst: dict[str, bool],
               sources: list[str], typed: frozenset[str] = frozenset(),
               forms: dict[str, tuple[str, ...]] | None = None,
               lookups: dict[str, Lookup] | None = None, rules: Rules | None = None,
               ) -> tuple[pl.LazyFrame, list[Check]]:
    """Canonical columns + __row, __bad, __hash; and the checks that __bad numbers.

    `lf` holds the source columns as text (renamed __s0.. in `sources` order) and __row;
    canonical columns in `typed` already have their canonical dtype and pass as they are;
    `forms` limits date and number columns to the forms their sample uses; date columns in
    `lookups` are read through their distinct values' parse (see `date_lookup`).
    __bad is 0 for a good row, else 1 + the index of the first failing check: the row's
    field count (marked afterwards, FIELD_COUNT), its text (encoding), an over-long cell,
    then column by column a value present but unreadable or out of range before a missing
    one. __hash: 64-bit hash of the whole source row, to find duplicate candidates cheaply.
    """
    rules = rules or Rules(today=dt.date.max - dt.timedelta(days=1))
    src_of = {dst: f"__s{sources.index(src)}" for src, dst in mapping.items()}
    cols = list(store.SCHEMA[table])
    forms = forms or {}
    lookups = {c: v for c, v in (lookups or {}).items() if c in src_of and c not in typed}
    row = pl.struct([f"__s{i}" for i in range(len(sources))])
    # the source row's hash, each mapped text column stripped once (__t<i>), and looked-up
    # columns as day codes (__t<i>: days, _UNREADABLE, or null for no value)
    lf = lf.with_columns(
        row.hash(11).alias("__hash"),
        *[_text(s).alias(f"__t{s[3:]}") for c, s in src_of.items()
          if c not in typed and c not in lookups],
        *[pl.col(src_of[c]).replace_strict(keys, codes, default=None, return_dtype=pl.Int32)
          .alias(f"__t{src_of[c][3:]}") for c, (keys, codes) in lookups.items()])
    text = {c: pl.col(f"__t{s[3:]}") for c, s in src_of.items()}
    parsed = [pl.col(src_of[c]).alias(c) if c in typed
              else pl.when(text[c] != _UNREADABLE).then(text[c]).cast(pl.Date).alias(c)
              if c in lookups
              else _canonical_expr(table, c, text[c], dayfirst.get(c, False), forms.get(c),
                                   rules.decimals.get(c, "."))
              for c in cols if c in src_of]
    lf = lf.with_columns(parsed)
    present = set(src_of)
    derived = table == "orders" and {"quantity", "unit_price"} <= present
    if derived:
        qty_price = pl.col("quantity") * pl.col("unit_price")
        amount = pl.coalesce(pl.col("amount"), qty_price) if "amount" in present else qty_price
        lf = lf.with_columns(amount.alias("amount"))
        present.add("amount")
    checks = _row_checks(lf.collect_schema(), sources, mapping, typed, rules)
    latest = rules.today + dt.timedelta(days=rules.future_days)
    for c in cols:
        typ = store.SCHEMA[table][c]
        if c in src_of and c not in typed and (typ != "VARCHAR"
                                               or c in ("churn_reason", "churn_type")):
            checks.append((c, _INVALID[typ], pl.col(c).is_null() & text[c].is_not_null()))
        if typ == "DATE" and c in src_of:
            checks.append((c, "future_date", pl.col(c) > latest))
            checks.append((c, "date_before_1900", pl.col(c) < EARLIEST))
        if c == "resolved_date" and {"resolved_date", "received_date"} <= present:
            checks.append((c, "resolved_before_received",
                           pl.col("resolved_date") < pl.col("received_date")))
        if (c in store.REQUIRED[table] and not (derived and c == "amount")
                and c not in rules.generated):
            checks.append((c, "missing", pl.col(c).is_null()))
    if derived:  # amount from quantity x price: its own reading failures come first
        checks.append(("amount", "missing", pl.col("amount").is_null()))
    bad = pl.coalesce([pl.when(e).then(pl.lit(k + 1, dtype=pl.UInt8))
                       for k, (_, _, e) in enumerate(checks)]).fill_null(0)
    out_cols = [pl.col(c) if c in present
                else pl.lit(None, dtype=store.polars_schema(table)[c]).alias(c) for c in cols]
    frame = lf.select("__row", *out_cols, bad.alias("__bad"), "__hash")
    return frame, [(c, r) for c, r, _ in checks]


def _row_checks(schema: pl.Schema, sources: list[str], mapping: dict[str, str],
                typed: frozenset[str], rules: Rules) -> list[tuple[str | None, str, pl.Expr]]:
    """Checks on the source text of a whole row: field count, encoding, over-long cells.

    The field count is marked afterwards (`mark_rows`), so its check is never true here.
    """
    checks: list[tuple[str | None, str, pl.Expr]] = [(None, "field_count", pl.lit(False))]
    names = [f"__s{i}" for i, src in enumerate(sources)
             if schema[f"__s{i}"] == pl.String and mapping.get(src) not in typed]
    if rules.check_text and names:
        checks.append((None, "encoding", pl.any_horizontal(
            pl.col(n).str.contains("\ufffd", literal=True)
            | pl.col(n).str.contains("\x00", literal=True) for n in names)))
    for i, src in enumerate(sources):
        if f"__s{i}" in names:
            checks.append((mapping.get(src, src), "field_too_long",
                           pl.col(f"__s{i}").str.len_chars() > rules.max_cell))
    return checks


def mark_rows(checked: pl.DataFrame, rows: pl.Series, code: int) -> pl.DataFrame:
    """`checked` with __bad set to `code` for the given rows (a check found afterwards)."""
    if rows.len() == 0:
        return checked
    hit = pl.col("__row").is_in(rows.cast(checked.schema["__row"]).implode())
    return checked.with_columns(pl.when(hit).then(pl.lit(code, dtype=pl.UInt8))
                                .otherwise(pl.col("__bad")).alias("__bad"))


def _recheck(checked: pl.DataFrame, lf: pl.LazyFrame, table: str, mapping: dict[str, str],
             dayfirst: dict[str, bool], sources: list[str],
             lookups: dict[str, Lookup] | None = None,
             rules: Rules | None = None) -> pl.DataFrame:
    """Rows rejected while read in their sample's forms only, read again in every form.

    The sample decides which date / number forms a column is parsed in (fast); a row in
    another form fails that and gets this second, full reading (a filtered rescan).
    """
    bad = checked.select("__row", "__bad").filter(pl.col("__bad") > 0).get_column("__row")
    if bad.len() == 0:
        return checked
    frame, _ = _validated(lf.filter(pl.col("__row").is_in(bad.implode())), table, mapping,
                          dayfirst, sources, lookups=lookups, rules=rules)
    again = frame.collect()
    return pl.concat([checked.filter(pl.col("__bad") == 0), again])


RAW_CELL_CHARS = 1_000  # a rejected row keeps at most this much of each cell (+ "…")


def _raw_rows(lf: pl.LazyFrame, rows: pl.Series, sources: list[str]) -> pl.DataFrame:
    """__row and the source row as JSON text, for the given rows of the scan `lf`.

    Cells are cut to RAW_CELL_CHARS and NUL bytes shown as U+FFFD (never stored).
    """
    def cell(i: int) -> pl.Expr:
        c = pl.col(f"__s{i}").cast(pl.String)
        cut = pl.when(c.str.len_bytes() > RAW_CELL_CHARS).then(
            c.str.slice(0, RAW_CELL_CHARS) + "…").otherwise(c)
        return cut.str.replace_all("\x00", "\ufffd", literal=True)

    raw = pl.struct([cell(i).alias(s) for i, s in enumerate(sources)])
    return (lf.filter(pl.col("__row").is_in(rows.implode()))
            .select("__row", raw.struct.json_encode().alias("raw"))
            .collect())


def _duplicate_rows(checked: pl.DataFrame, lf: pl.LazyFrame, sources: list[str]) -> pl.Series:
    """Row numbers of good rows that exactly repeat an earlier good source row.

    `checked` needs __row, __hash and __bad (other columns are not read).

    Only rows sharing their 64-bit hash with another good row can repeat one; their source
    text is read again (a second, filtered scan) and compared exactly.
    """
    good = checked.select("__row", "__hash", "__bad").filter(pl.col("__bad") == 0)
    # hashes that occur twice: neighbours in the sorted hashes (a sort needs far less memory
    # than a hash table of 10M keys)
    hashes = good.get_column("__hash").sort()
    if hashes.len() < 2:
        return pl.Series("__row", [], dtype=good.schema["__row"])
    repeated = hashes.slice(1).filter(hashes.slice(1) == hashes.slice(0, hashes.len() - 1))
    if repeated.len() == 0:  # the common case: no two rows alike
        return pl.Series("__row", [], dtype=good.schema["__row"])
    candidates = good.filter(pl.col("__hash").is_in(repeated.implode())).get_column("__row")
    raw = _raw_rows(lf, candidates, sources).sort("__row")
    return raw.filter(~pl.col("raw").is_first_distinct()).get_column("__row")

