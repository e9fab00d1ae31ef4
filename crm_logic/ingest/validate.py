"""Validation: every source row -> canonical values, or the first failing check; repeats."""

from __future__ import annotations

import polars as pl

from crm_logic import store
from crm_logic.ingest.values import _canonical_expr, _text, parse_date_expr

_INVALID = {"DATE": "invalid_date", "DOUBLE": "invalid_number", "BOOLEAN": "invalid_boolean",
            "VARCHAR": "invalid_code"}


Check = tuple[str, str]  # (canonical column, reason code)
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
               lookups: dict[str, Lookup] | None = None,
               ) -> tuple[pl.LazyFrame, list[Check]]:
    """Canonical columns + __row, __bad, __hash; and the checks that __bad numbers.

    `lf` holds the source columns as text (renamed __s0.. in `sources` order) and __row;
    canonical columns in `typed` already have their canonical dtype and pass as they are;
    `forms` limits date and number columns to the forms their sample uses; date columns in
    `lookups` are read through their distinct values' parse (see `date_lookup`).
    __bad is 0 for a good row, else 1 + the index of the first failing check (column order;
    a value present but unreadable before a missing one). __hash: 64-bit hash of the whole
    source row, to find duplicate candidates cheaply; the source text itself is not kept.
    """
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
              else _canonical_expr(table, c, text[c], dayfirst.get(c, False), forms.get(c))
              for c in cols if c in src_of]
    lf = lf.with_columns(parsed)
    present = set(src_of)
    derived = table == "orders" and {"quantity", "unit_price"} <= present
    if derived:
        qty_price = pl.col("quantity") * pl.col("unit_price")
        amount = pl.coalesce(pl.col("amount"), qty_price) if "amount" in present else qty_price
        lf = lf.with_columns(amount.alias("amount"))
        present.add("amount")
    checks: list[tuple[str, str, pl.Expr]] = []
    for c in cols:
        typ = store.SCHEMA[table][c]
        if c in src_of and c not in typed and (typ != "VARCHAR"
                                               or c in ("churn_reason", "churn_type")):
            checks.append((c, _INVALID[typ], pl.col(c).is_null() & text[c].is_not_null()))
        if c in store.REQUIRED[table] and not (derived and c == "amount"):
            checks.append((c, "missing", pl.col(c).is_null()))
    if derived:  # amount from quantity x price: its own reading failures come first
        checks.append(("amount", "missing", pl.col("amount").is_null()))
    bad = pl.coalesce([pl.when(e).then(pl.lit(k + 1, dtype=pl.UInt8))
                       for k, (_, _, e) in enumerate(checks)]).fill_null(0)
    out_cols = [pl.col(c) if c in present
                else pl.lit(None, dtype=store.polars_schema(table)[c]).alias(c) for c in cols]
    frame = lf.select("__row", *out_cols, bad.alias("__bad"), "__hash")
    return frame, [(c, r) for c, r, _ in checks]


def _recheck(checked: pl.DataFrame, lf: pl.LazyFrame, table: str, mapping: dict[str, str],
             dayfirst: dict[str, bool], sources: list[str],
             lookups: dict[str, Lookup] | None = None) -> pl.DataFrame:
    """Rows rejected while read in their sample's forms only, read again in every form.

    The sample decides which date / number forms a column is parsed in (fast); a row in
    another form fails that and gets this second, full reading (a filtered rescan).
    """
    bad = checked.select("__row", "__bad").filter(pl.col("__bad") > 0).get_column("__row")
    if bad.len() == 0:
        return checked
    frame, _ = _validated(lf.filter(pl.col("__row").is_in(bad.implode())), table, mapping,
                          dayfirst, sources, lookups=lookups)
    again = frame.collect()
    return pl.concat([checked.filter(pl.col("__bad") == 0), again])


def _raw_rows(lf: pl.LazyFrame, rows: pl.Series, sources: list[str]) -> pl.DataFrame:
    """__row and the source row as JSON text, for the given rows of the scan `lf`."""
    raw = pl.struct([pl.col(f"__s{i}").alias(s) for i, s in enumerate(sources)])
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
    repeated = hashes.slice(1).filter(hashes.slice(1) == hashes.slice(0, hashes.len() - 1))
    if repeated.len() == 0:  # the common case: no two rows alike
        return pl.Series("__row", [], dtype=good.schema["__row"])
    candidates = good.filter(pl.col("__hash").is_in(repeated.implode())).get_column("__row")
    raw = _raw_rows(lf, candidates, sources).sort("__row")
    return raw.filter(~pl.col("raw").is_first_distinct()).get_column("__row")

