"""Import orchestration: inspect a file, read it in batches, validate, hand to the writer."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from crm_logic import store
from crm_logic.ingest.mapping import missing_required, resolve_mapping
from crm_logic.ingest.readers import (
    _SAMPLE_ROWS,
    SourceFile,
    _first_line,
    _scan,
    _utf8_path,
    file_sha256,
    sniff,
)
from crm_logic.ingest.result import ImportResult, UnusableInputError, _step
from crm_logic.ingest.validate import (
    Check,
    _duplicate_rows,
    _raw_rows,
    _recheck,
    _validated,
    date_lookup,
)
from crm_logic.ingest.values import NUMBER_FORMS, detect_dayfirst, number_forms
from crm_logic.ingest.writer import _load, _log_repeat

_BATCH_ROWS = 1_000_000  # rows of source text parsed at a time (bounds the text in memory)


# --- importing ---------------------------------------------------------------------------------


@dataclass
class ImportPlan:
    """A file checked and mapped, ready to load (nothing written yet)."""

    table: str
    source: SourceFile
    mapping: dict[str, str]  # source column -> canonical column


def inspect_file(table: str, path: Path, mapping: dict[str, str] | None = None,
                 encoding: str = "auto") -> ImportPlan:
    """Sniff, check and map a file without touching the store; UnusableInputError if unusable."""
    if table not in store.SCHEMA:
        raise UnusableInputError(f"unknown table {table!r}")
    src = sniff(Path(path), encoding)
    final, _ = resolve_mapping(table, src.columns, mapping)
    missing = missing_required(table, set(final.values()))
    if missing:
        hint = " (or quantity and unit_price)" if "amount" in missing else ""
        raise UnusableInputError(
            f"required column missing for {table}: {', '.join(missing)}{hint}; "
            f"columns in the file: {', '.join(src.columns)}")
    return ImportPlan(table, src, final)


def import_file(con: duckdb.DuckDBPyConnection, table: str, path: Path,
                mapping: dict[str, str] | None = None, encoding: str = "auto",
                mode: str = "append", profile: str | None = None,
                file_name: str | None = None,
                progress: Callable[[float], None] | None = None) -> ImportResult:
    """Validate and load one file into `table` (mode "append" or "replace").

    `mapping` overrides the automatic header mapping (and a saved `profile`'s). Bad rows are
    rejected with column and reason; exact repeats are counted as duplicates; a file already
    imported into `table` (same sha256, not replaced since) loads nothing the second time.
    """
    report = progress or (lambda _f: None)
    _check_mode(mode)
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
        plan = inspect_file(table, Path(path), merged, encoding)
    report(0.05)
    name = file_name or Path(path).name
    with ThreadPoolExecutor(max_workers=1) as pool:  # hashing the file overlaps the parsing
        sha_job = pool.submit(file_sha256, Path(path))
        with _utf8_path(plan.source) as p:
            try:
                checked, checks, raw, dup_rows = _check_file(plan, p, report)
            except pl.exceptions.PolarsError as exc:
                raise UnusableInputError(f"the file cannot be read: {_first_line(exc)}") \
                    from exc
        report(0.6)
        with _step("sha-wait"):
            sha = sha_job.result()
    if mode == "append" and (earlier := store.find_import(con, table, sha)):
        return _log_repeat(con, plan, name, sha, earlier)
    report(0.7)
    with _step("store"):
        result = _load(con, table, checked, checks, raw, dup_rows, name, sha, mode,
                       plan.mapping, plan.source.columns)
    report(1.0)
    return result


def _check_file(plan: ImportPlan, path: Path, report: Callable[[float], None],
                ) -> tuple[pl.DataFrame, list[Check], pl.DataFrame | None, pl.Series]:
    """Validated rows, their checks, rejected rows' raw JSON and duplicate row numbers.

    The file is read once, in batches of _BATCH_ROWS rows of text (streaming reader): each
    batch is parsed, rechecked and its rejected rows' text kept, then its text is dropped,
    so only the typed rows accumulate. Date columns are parsed per distinct value
    (`date_lookup`); number columns in their sample's forms first, and rows that fail that
    are read again in every form. Rows sharing a row hash are compared exactly afterwards
    (a filtered second reading of the file, only when there are such rows).
    """
    table, sources, sample = plan.table, plan.source.columns, plan.source.sample
    kinds = {dst: (src, store.SCHEMA[table][dst]) for src, dst in plan.mapping.items()}
    names = {src: f"__s{i}" for i, src in enumerate(sources)}
    dayfirst = {dst: detect_dayfirst(sample.get_column(src))
                for dst, (src, typ) in kinds.items() if typ == "DATE"}
    forms = {dst: number_forms(sample.get_column(src))
             for dst, (src, typ) in kinds.items() if typ == "DOUBLE"}
    lf = _scan(plan.source, path)
    lf = lf.rename(dict(zip(lf.collect_schema().names(), names.values(), strict=True)))
    lf = lf.with_row_index("__row", offset=1)
    parts: list[pl.DataFrame] = []
    keys: list[pl.DataFrame] = []  # __row, __hash, __bad of every row, for the repeats check
    raws: list[pl.DataFrame] = []
    checks: list[Check] = []
    with _step("parse"):
        for text in lf.collect_batches(chunk_size=_BATCH_ROWS, engine="streaming"):
            lookups = {dst: date_lookup(text.get_column(names[src]), dayfirst[dst])
                       for dst, (src, typ) in kinds.items() if typ == "DATE"}
            batch = text.lazy()
            frame, checks = _validated(batch, table, plan.mapping, dayfirst, sources,
                                       forms=forms, lookups=lookups)
            checked = frame.collect()
            if any(f != NUMBER_FORMS for f in forms.values()):
                checked = _recheck(checked, batch, table, plan.mapping, dayfirst, sources,
                                   lookups)
            bad_rows = checked.select("__row", "__bad").filter(pl.col("__bad") > 0)["__row"]
            if bad_rows.len():
                raws.append(_raw_rows(batch, bad_rows, sources))
            keys.append(checked.select("__row", "__hash", "__bad"))
            parts.append(checked.drop("__hash"))
            del text, batch, checked
    report(0.5)
    if not parts:  # header only: one empty batch for the schema
        frame, checks = _validated(lf.head(0), table, plan.mapping, dayfirst, sources)
        keys.append(frame.collect())
        parts.append(keys[0].drop("__hash"))
    checked = pl.concat(parts, rechunk=False) if len(parts) > 1 else parts[0]
    raw = pl.concat(raws) if raws else None
    with _step("repeats"):
        dup_rows = _duplicate_rows(pl.concat(keys), lf, sources)
    return checked, checks, raw, dup_rows


def import_frame(con: duckdb.DuckDBPyConnection, table: str, df: pl.DataFrame, file_name: str,
                 mode: str = "append") -> ImportResult:
    """Validate and load an in-memory frame already in canonical column names.

    Columns with the canonical dtype pass through; text columns are parsed like a file's.
    """
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
    frame, checks = _validated(lf, table, mapping, dayfirst, sources, typed)
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

