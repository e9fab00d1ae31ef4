"""Import orchestration: inspect a file, read it in batches, validate, hand to the writer."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from crm_logic import store
from crm_logic.config import CrmConfig
from crm_logic.ingest.mapping import missing_required, resolve_mapping
from crm_logic.ingest.numbers import (
    DECIMAL_MARKS,
    NUMBER_FORMS,
    ambiguous_example,
    detect_decimal,
    number_forms,
)
from crm_logic.ingest.readers import (
    _SAMPLE_ROWS,
    SourceFile,
    _first_line,
    _scan,
    _utf8_path,
    file_sha256,
    ragged_rows,
    sniff,
)
from crm_logic.ingest.result import AmbiguousDecimal, ImportResult, UnusableInputError, _step
from crm_logic.ingest.validate import (
    FIELD_COUNT,
    Check,
    Rules,
    _duplicate_rows,
    _raw_rows,
    _recheck,
    _validated,
    date_lookup,
    mark_rows,
)
from crm_logic.ingest.values import ambiguous_day_order, detect_dayfirst
from crm_logic.ingest.writer import _load, _log_repeat
from crm_logic.plausibility import implausible_warning

_BATCH_ROWS = 1_000_000  # rows of source text parsed at a time (bounds the text in memory)


# --- importing ---------------------------------------------------------------------------------


@dataclass
class ImportPlan:
    """A file checked and mapped, ready to load (nothing written yet)."""

    table: str
    source: SourceFile
    mapping: dict[str, str]  # source column -> canonical column
    decimals: dict[str, str] = field(default_factory=dict)  # number column -> "." | ","
    generated: frozenset[str] = frozenset()  # required columns made by the importer


# Columns whose presence tells two rows apart: with one mapped, an exact repeat is a duplicate.
ROW_IDS: dict[str, str] = {"orders": "order_id", "complaints": "complaint_id",
                           "customers": "customer_id"}
GENERATED_IDS: dict[str, str] = {"complaints": "complaint_id"}  # made from file + row if absent


def inspect_file(table: str, path: Path, mapping: dict[str, str] | None = None,
                 encoding: str = "auto", decimal: str | None = None,
                 cfg: CrmConfig | None = None) -> ImportPlan:
    """Sniff, check and map a file without touching the store; UnusableInputError if unusable.

    Each number column's decimal mark is decided from its sample (`detect_decimal`) unless
    `decimal` ("." or ",") says it; a column that reads both ways is a question to the user.
    """
    if table not in store.SCHEMA:
        raise UnusableInputError(f"unknown table {table!r}")
    if decimal not in (None, *DECIMAL_MARKS):
        raise UnusableInputError(f"--decimal takes , or . (got {decimal!r})")
    cfg = cfg or CrmConfig()
    src = sniff(Path(path), encoding, max_bytes=cfg.max_file_mb << 20, max_cell=cfg.max_cell_chars)
    final, _ = resolve_mapping(table, src.columns, mapping)
    missing = missing_required(table, set(final.values()))
    generated = frozenset(c for c in missing if GENERATED_IDS.get(table) == c)
    missing = [c for c in missing if c not in generated]
    if missing:
        hint = " (or quantity and unit_price)" if "amount" in missing else ""
        raise UnusableInputError(
            f"required column missing for {table}: {', '.join(missing)}{hint}; "
            f"columns in the file: {', '.join(src.columns)}")
    decimals: dict[str, str] = {}
    for s, dst in final.items():
        if store.SCHEMA[table][dst] != "DOUBLE" or src.kind not in ("csv", "xlsx"):
            continue
        mark = decimal or detect_decimal(src.sample.get_column(s))
        if mark is None:
            example = ambiguous_example(src.sample.get_column(s))
            raise AmbiguousDecimal(s, example)
        decimals[dst] = mark
    return ImportPlan(table, src, final, decimals, generated)


def import_file(con: duckdb.DuckDBPyConnection, table: str, path: Path,
                mapping: dict[str, str] | None = None, encoding: str = "auto",
                mode: str = "append", profile: str | None = None,
                file_name: str | None = None,
                progress: Callable[[float], None] | None = None, *,
                decimal: str | None = None, duplicates: str = "keep",
                cfg: CrmConfig | None = None, today: dt.date | None = None) -> ImportResult:
    """Validate and load one file into `table` (mode "append" or "replace").

    `mapping` overrides the automatic header mapping (and a saved `profile`'s). Bad rows are
    rejected with column and reason. Repeats: with the table's row id mapped, an exact repeat
    (in the file, or of a row already in the store) is a duplicate; without one nothing tells
    two purchases apart, so repeats are loaded and counted in a warning (`duplicates="drop"`
    drops them). A file already imported into `table` (same sha256, not replaced since)
    loads nothing the second time. `today`: the day of the import (default: the clock's
    day, like the log's timestamp); later dates are rejected (`cfg.future_date_tolerance_days`).
    """
    report = progress or (lambda _f: None)
    _check_mode(mode)
    _check_duplicates(duplicates)
    cfg = cfg or CrmConfig()
    merged: dict[str, str] = {}
    if profile:
        try:
            ptable, merged = store.load_profile(con, profile)
        except KeyError as exc:
            raise UnusableInputError(f"no mapping profile named {profile!r}") from exc
        if ptable != table:
            raise UnusableInputError(f"profile {profile!r} is for table {ptable}, not {table}")
    merged.update(mapping or {})
    with _step("sniff"):
        plan = inspect_file(table, Path(path), merged, encoding, decimal, cfg)
    report(0.05)
    name = file_name or Path(path).name
    with ThreadPoolExecutor(max_workers=1) as pool:  # hashing the file overlaps the parsing
        sha_job = pool.submit(file_sha256, Path(path))
        with _utf8_path(plan.source) as p:
            rules = _rules(plan, cfg, today or import_day(con))
            try:
                checked, checks, raw, repeats, notes = _check_file(plan, p, report, rules)
            except pl.exceptions.PolarsError as exc:
                raise UnusableInputError(f"the file cannot be read: {_first_line(exc)}") \
                    from exc
        report(0.6)
        with _step("sha-wait"):
            sha = sha_job.result()
    if mode == "append" and (earlier := store.find_import(con, table, sha)):
        return _log_repeat(con, plan, name, sha, earlier)
    report(0.7)
    if plan.generated:
        checked, example = _generate_ids(checked, plan, name, sha)
        notes.append(("generated_ids", {"column": GENERATED_IDS[table], "example": example}))
    if table == "orders" and "amount" in checked.columns:  # flagged, loaded as they are
        if odd := implausible_warning(checked, cfg):
            notes.append(("implausible_amount", {
                "n": odd["rows"], "bound": f"{odd['bound']:,.0f}" if odd["bound"] else "-",
                "customers": ", ".join(odd["customers"])}))
    has_id = ROW_IDS.get(table) in plan.mapping.values()
    dup_rows = _repeat_policy(repeats, has_id, duplicates, notes)
    with _step("store"):
        result = _load(con, table, checked, checks, raw, dup_rows, name, sha, mode,
                       plan.mapping, plan.source.columns, notes=notes,
                       against_store=ROW_IDS[table] if has_id else None)
    report(1.0)
    return result


def import_day(con: duckdb.DuckDBPyConnection) -> dt.date:
    """The import's own day as the store records it (the import log's timestamp comes from
    the same clock): what "a date after the import" means. Not an analysis cut-off."""
    row = con.cursor().execute("SELECT current_date").fetchone()
    return row[0]


def _rules(plan: ImportPlan, cfg: CrmConfig, today: dt.date) -> Rules:
    return Rules(today=today, future_days=cfg.future_date_tolerance_days,
                 max_cell=cfg.max_cell_chars, decimals=plan.decimals,
                 check_text=plan.source.kind != "csv" or plan.source.repaired,
                 generated=plan.generated)


def _repeat_policy(repeats: pl.Series, has_id: bool, duplicates: str,
                   notes: list[tuple[str, dict[str, Any]]]) -> pl.Series:
    """Rows dropped as duplicates: repeats where ids tell rows apart or on request."""
    if has_id or duplicates == "drop" or repeats.len() == 0:
        return repeats
    notes.append(("repeats_kept", {"n": repeats.len()}))
    return repeats.head(0)


def _generate_ids(checked: pl.DataFrame, plan: ImportPlan, name: str,
                  sha: str) -> tuple[pl.DataFrame, str]:
    """Stable ids for a file without them: file name, content hash and row number."""
    stem = re.sub(r"[^\w.-]+", "_", Path(name).stem)[:40] or "file"
    prefix = f"{stem}-{sha[:8]}-"
    col = GENERATED_IDS[plan.table]
    checked = checked.with_columns((pl.lit(prefix) + pl.col("__row").cast(pl.String)).alias(col))
    return checked, f"{prefix}1"


def _check_file(plan: ImportPlan, path: Path, report: Callable[[float], None], rules: Rules,
                ) -> tuple[pl.DataFrame, list[Check], pl.DataFrame | None, pl.Series,
                           list[tuple[str, dict[str, Any]]]]:
    """Validated rows, their checks, rejected rows' raw JSON, repeated rows and notes.

    The file is read once, in batches of _BATCH_ROWS rows of text (streaming reader): each
    batch is parsed, rechecked and its rejected rows' text kept, then its text is dropped,
    so only the typed rows accumulate. Date columns are parsed per distinct value
    (`date_lookup`); number columns in their sample's forms first, and rows that fail that
    are read again in every form. Rows sharing a row hash are compared exactly afterwards
    (a filtered second reading of the file, only when there are such rows). A CSV row with
    more or fewer fields than the header is found by `ragged_rows` (only when the reader
    met a longer row, or rows lack their last field).
    """
    table, sources, sample = plan.table, plan.source.columns, plan.source.sample
    kinds = {dst: (src, store.SCHEMA[table][dst]) for src, dst in plan.mapping.items()}
    names = {src: f"__s{i}" for i, src in enumerate(sources)}
    dayfirst = {dst: detect_dayfirst(sample.get_column(src))
                for dst, (src, typ) in kinds.items() if typ == "DATE"}
    forms = {dst: number_forms(sample.get_column(src), plan.decimals.get(dst, "."))
             for dst, (src, typ) in kinds.items() if typ == "DOUBLE"}
    notes: list[tuple[str, dict[str, Any]]] = [
        ("decimal_comma", {"column": src}) for src, dst in plan.mapping.items()
        if plan.decimals.get(dst) == ","]
    notes += [("date_order", {"column": src}) for dst, (src, typ) in kinds.items()
              if typ == "DATE" and ambiguous_day_order(sample.get_column(src))]

    def scan(truncate: bool) -> pl.LazyFrame:
        lf = _scan(plan.source, path, truncate)
        lf = lf.rename(dict(zip(lf.collect_schema().names(), names.values(), strict=True)))
        return lf.with_row_index("__row", offset=1)

    def parse(lf: pl.LazyFrame) -> tuple[list[pl.DataFrame], list[pl.DataFrame],
                                         list[pl.DataFrame], list[Check]]:
        parts: list[pl.DataFrame] = []
        keys: list[pl.DataFrame] = []  # __row, __hash, __bad of every row (repeats check)
        raws: list[pl.DataFrame] = []
        checks: list[Check] = []
        for text in lf.collect_batches(chunk_size=_BATCH_ROWS, engine="streaming"):
            lookups = {dst: date_lookup(text.get_column(names[src]), dayfirst[dst])
                       for dst, (src, typ) in kinds.items() if typ == "DATE"}
            batch = text.lazy()
            frame, checks = _validated(batch, table, plan.mapping, dayfirst, sources,
                                       forms=forms, lookups=lookups, rules=rules)
            checked = frame.collect()
            if any(f != NUMBER_FORMS for f in forms.values()):
                checked = _recheck(checked, batch, table, plan.mapping, dayfirst, sources,
                                   lookups, rules)
            bad_rows = checked.select("__row", "__bad").filter(pl.col("__bad") > 0)["__row"]
            if bad_rows.len():
                raws.append(_raw_rows(batch, bad_rows, sources))
            keys.append(checked.select("__row", "__hash", "__bad"))
            parts.append(checked.drop("__hash"))
            del text, batch, checked
        return parts, keys, raws, checks

    longer = False
    lf = scan(truncate=False)
    with _step("parse"):
        try:
            parts, keys, raws, checks = parse(lf)
        except pl.exceptions.ComputeError as exc:
            if plan.source.kind != "csv" or "more fields" not in str(exc):
                raise
            longer = True  # some row has more fields than the header: read again, find it
            lf = scan(truncate=True)
            parts, keys, raws, checks = parse(lf)
    report(0.5)
    if not parts:  # header only: one empty batch for the schema
        frame, checks = _validated(lf.head(0), table, plan.mapping, dayfirst, sources,
                                   rules=rules)
        keys.append(frame.collect())
        parts.append(keys[0].drop("__hash"))
    checked = pl.concat(parts, rechunk=False) if len(parts) > 1 else parts[0]
    raw = pl.concat(raws) if raws else None
    every = pl.concat(keys)
    if plan.source.kind == "csv":
        checked, raw, marked, note = _field_counts(checked, raw, lf, plan, path, longer)
        every = mark_rows(every, marked, FIELD_COUNT)
        notes += note
    with _step("repeats"):
        repeats = _duplicate_rows(every, lf, sources)
    return checked, checks, raw, repeats, notes


def _field_counts(checked: pl.DataFrame, raw: pl.DataFrame | None, lf: pl.LazyFrame,
                  plan: ImportPlan, path: Path, longer: bool,
                  ) -> tuple[pl.DataFrame, pl.DataFrame | None, pl.Series,
                             list[tuple[str, dict[str, Any]]]]:
    """Rows with more or fewer fields than the header marked `field_count`.

    The byte scan runs only when it can find something: the reader met a longer row, or
    some rows have no value in the last column (a short row's missing fields read empty).
    """
    sources = plan.source.columns
    none = pl.Series("__row", [], dtype=checked.schema["__row"])
    last = plan.mapping.get(sources[-1])
    if not longer and last and not checked.get_column(last).is_null().any():
        return checked, raw, none, []
    found = ragged_rows(path, plan.source.separator, len(sources), checked.height)
    if found is None:  # the scan's record count disagrees with the reader's: do not guess
        return checked, raw, none, [("field_count_unchecked", {})]
    rows = pl.Series("__row", found).cast(checked.schema["__row"])
    if rows.len() == 0:
        return checked, raw, none, []
    checked = mark_rows(checked, rows, FIELD_COUNT)
    more = _raw_rows(lf, rows, sources)
    raw = more if raw is None else pl.concat([raw.filter(~pl.col("__row").is_in(
        rows.implode())), more])
    return checked, raw, rows, []


def import_frame(con: duckdb.DuckDBPyConnection, table: str, df: pl.DataFrame, file_name: str,
                 mode: str = "append", *, cfg: CrmConfig | None = None,
                 today: dt.date | None = None) -> ImportResult:
    """Validate and load an in-memory frame already in canonical column names.

    Columns with the canonical dtype pass through; text columns are parsed like a file's.
    Exact repeats are duplicates (the frame is the program's own data, not a user's export).
    """
    cfg = cfg or CrmConfig()
    if table not in store.SCHEMA:
        raise UnusableInputError(f"unknown table {table!r}")
    _check_mode(mode)
    unknown = [c for c in df.columns if c not in store.SCHEMA[table]]
    if unknown:
        raise UnusableInputError(f"not columns of {table}: {', '.join(unknown)}")
    missing = missing_required(table, set(df.columns))
    if missing:
        raise UnusableInputError(f"required column missing for {table}: {', '.join(missing)}")
    canon = store.polars_schema(table)
    sources = list(df.columns)
    typed = frozenset(c for c in sources if df.schema[c] == canon[c] and canon[c] != pl.String())
    src = df.select(pl.col(c) if c in typed else pl.col(c).cast(pl.String)
                    for c in sources).rename({c: f"__s{i}" for i, c in enumerate(sources)})
    mapping = {c: c for c in sources}
    dayfirst = {c: detect_dayfirst(df.get_column(c).head(_SAMPLE_ROWS)) for c in sources
                if canon[c] == pl.Date() and c not in typed}
    lf = src.lazy().with_row_index("__row", offset=1)
    rules = Rules(today=today or import_day(con), future_days=cfg.future_date_tolerance_days,
                  max_cell=cfg.max_cell_chars)
    frame, checks = _validated(lf, table, mapping, dayfirst, sources, typed, rules=rules)
    checked = frame.collect()
    sha = hashlib.sha256(df.hash_rows(seed=3).to_numpy().tobytes()).hexdigest()
    if mode == "append":
        earlier = store.find_import(con, table, sha)
        if earlier is not None:
            plan = ImportPlan(table, SourceFile(Path(file_name), "frame"), mapping)
            return _log_repeat(con, plan, file_name, sha, earlier)
    bad_rows = checked.filter(pl.col("__bad") > 0).get_column("__row")
    raw = _raw_rows(lf, bad_rows, sources) if bad_rows.len() else None
    dup_rows = _duplicate_rows(checked, lf, sources)
    return _load(con, table, checked, checks, raw, dup_rows, file_name, sha, mode, mapping,
                 sources)


def _check_mode(mode: str) -> None:
    if mode not in ("append", "replace"):
        raise UnusableInputError(f"mode must be append or replace, got {mode!r}")



def _check_duplicates(duplicates: str) -> None:
    if duplicates not in ("keep", "drop"):
        raise UnusableInputError(f"--duplicates takes keep or drop, got {duplicates!r}")
