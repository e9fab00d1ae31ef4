"""Writing an import: loaded rows, rejects and the log in one DuckDB transaction."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import polars as pl

from crm_logic import occasions, store
from crm_logic.ingest.result import ImportResult, UnusableInputError
from crm_logic.ingest.validate import Check

if TYPE_CHECKING:
    from crm_logic.ingest.orchestrate import ImportPlan

_INSERT_ROWS = 1_000_000  # rows handed to DuckDB per INSERT
# DuckDB's dict_fsst string compression costs ~60% of an insert's CPU for ~40% less space on
# order lines; imports trade that space for speed (a database-wide DuckDB setting).
_STORAGE_SETTING = "SET disabled_compression_methods = 'dict_fsst'"


def _log_repeat(con: duckdb.DuckDBPyConnection, plan: ImportPlan, name: str, sha: str,
                earlier: dict[str, Any]) -> ImportResult:
    """A file already imported: every row counts as duplicate, nothing is loaded."""
    n = int(earlier["rows_read"])
    result = ImportResult(plan.table, n, 0, 0, n)
    _unmapped_notes(result, plan.source.columns, plan.mapping)
    result.add_note("reimport", table=plan.table, import_id=earlier["import_id"])
    cur = con.cursor()
    _run(cur, "BEGIN TRANSACTION")
    try:
        result.import_id = _next_import_id(cur)
        _insert_log(cur, result, name, sha, "append", plan.mapping)
        _run(cur, "COMMIT")
    except BaseException:
        _run(cur, "ROLLBACK")
        raise
    return result


def _run(cur: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> None:
    """Execute a statement and finish its result (DuckDB 2.0 wants results completed)."""
    cur.execute(sql, params).fetchall()


def _unmapped_notes(result: ImportResult, columns: list[str], mapping: dict[str, str]) -> None:
    for c in columns:
        if c not in mapping:
            result.add_note("unmapped", column=c)


def _next_import_id(cur: duckdb.DuckDBPyConnection) -> int:
    rows = cur.execute("SELECT coalesce(max(import_id), 0) + 1 FROM import_log").fetchall()
    return int(rows[0][0])


def _insert_log(cur: duckdb.DuckDBPyConnection, r: ImportResult, name: str, sha: str,
                mode: str, mapping: dict[str, str]) -> None:
    _run(
        cur, "INSERT INTO import_log VALUES (?, ?, ?, ?, ?, now()::TIMESTAMP, ?, ?, ?, ?, ?, ?)",
        [r.import_id, name, sha, r.table, mode, r.rows_read, r.rows_loaded, r.rows_rejected,
         r.rows_duplicate, json.dumps(mapping, ensure_ascii=False),
         json.dumps(r.warnings, ensure_ascii=False)])


def _load(con: duckdb.DuckDBPyConnection, table: str, checked: pl.DataFrame,
          checks: list[Check], raw: pl.DataFrame | None, dup_rows: pl.Series, name: str,
          sha: str, mode: str, mapping: dict[str, str], columns: list[str],
          notes: Sequence[tuple[str, dict[str, Any]]] = (),
          against_store: str | None = None) -> ImportResult:
    """Write loaded rows, rejects and the log entry in one transaction, the rejects CSV first.

    `raw`: __row + source row as JSON for the rejected rows; `dup_rows`: rows not loaded
    because they repeat an earlier row; `columns`: the source columns (unmapped ones noted);
    `notes`: (code, params) to report; `against_store`: the row id column when rows equal
    to rows already in the store (same id and every value) are duplicates too.
    The rejects CSV is written before the commit: if it cannot be, nothing is imported.
    """
    cols = list(store.SCHEMA[table])
    n_bad = int((checked.get_column("__bad") > 0).sum())
    keep = pl.col("__bad") == 0
    if dup_rows.len():
        keep = keep & ~pl.col("__row").is_in(dup_rows.implode())
    unique = checked.filter(keep) if n_bad or dup_rows.len() else checked
    rejects = _rejects(checked, checks, raw) if n_bad and raw is not None else _no_rejects()
    cur = con.cursor()
    _run(cur, _STORAGE_SETTING)
    _run(cur, "BEGIN TRANSACTION")
    out: Path | None = None
    writing_rejects = False
    try:
        n_stored = 0
        if against_store and mode == "append" and unique.height:
            stored = _stored_repeats(cur, table, unique, against_store)
            if stored.len():
                n_stored = stored.len()
                unique = unique.filter(~pl.col("__row").is_in(stored.implode()))
        unique = unique.select(cols)
        result = ImportResult(table, checked.height, unique.height, n_bad,
                              dup_rows.len() + n_stored)
        _unmapped_notes(result, columns, mapping)
        if dup_rows.len():
            result.add_note("duplicates", n=dup_rows.len())
        if n_stored:
            result.add_note("already_stored", n=n_stored)
        for code, params in notes:
            result.add_note(code, **params)
        result.errors = [{"row": r, "column": c, "reason": why} for r, c, why in rejects.head(
            20).select("row_number", "column_name", "reason").iter_rows()]
        result.import_id = _next_import_id(cur)
        if mode == "replace":
            _run(cur, f"DELETE FROM {table}")
        for start in range(0, unique.height, _INSERT_ROWS):  # slices: lower peak memory
            cur.register("__crm_stage", unique.slice(start, _INSERT_ROWS).to_arrow(
                compat_level=pl.CompatLevel.newest()))  # string views: no copy
            _run(cur, f"INSERT INTO {table} ({', '.join(cols)}) "
                      f"SELECT {', '.join(cols)} FROM __crm_stage")
            cur.unregister("__crm_stage")
        if rejects.height:
            cur.register("__crm_rejects", rejects.to_arrow())
            _run(cur, "INSERT INTO rejects SELECT ?, row_number, column_name, reason, raw "
                      "FROM __crm_rejects", [result.import_id])
            cur.unregister("__crm_rejects")
            writing_rejects = True
            out = _write_rejects(con, result.import_id, name, rejects)
            writing_rejects = False
            result.rejects_file = str(out) if out else None
        if table == "orders":  # the facts stage: the occasion table, in the same transaction
            occasions.rebuild(cur)
        _insert_log(cur, result, name, sha, mode, mapping)
        _run(cur, "COMMIT")
    except BaseException as exc:
        _run(cur, "ROLLBACK")
        if out is not None:
            out.unlink(missing_ok=True)
        if isinstance(exc, OSError) and writing_rejects:
            raise UnusableInputError(
                f"the rejects file cannot be written ({exc.strerror or exc}): "
                "nothing imported") from exc
        raise
    return result


def _no_rejects() -> pl.DataFrame:
    return pl.DataFrame(schema={"row_number": pl.Int64, "column_name": pl.String,
                                "reason": pl.String, "raw": pl.String})


def _rejects(checked: pl.DataFrame, checks: list[Check], raw: pl.DataFrame) -> pl.DataFrame:
    """row_number, column_name, reason, raw of the rejected rows, in row order."""
    code = pl.col("__bad").cast(pl.Int32) - 1
    return (checked.filter(pl.col("__bad") > 0).select("__row", "__bad")
            .join(raw, on="__row", how="left")
            .select(pl.col("__row").cast(pl.Int64).alias("row_number"),
                    code.replace_strict(range(len(checks)), [c for c, _ in checks],
                                        return_dtype=pl.String).alias("column_name"),
                    code.replace_strict(range(len(checks)), [r for _, r in checks],
                                        return_dtype=pl.String).alias("reason"),
                    "raw")
            .sort("row_number"))


def _stored_repeats(cur: duckdb.DuckDBPyConnection, table: str, rows: pl.DataFrame,
                    id_col: str) -> pl.Series:
    """__row of `rows` equal to a row already in `table` (same id, every value the same)."""
    cols = list(store.SCHEMA[table])
    if not cur.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchall()[0][0]:
        return pl.Series("__row", [], dtype=rows.schema["__row"])
    same = " AND ".join(f"o.{c} IS NOT DISTINCT FROM n.{c}" for c in cols if c != id_col)
    cur.register("__crm_new", rows.select("__row", *cols).filter(
        pl.col(id_col).is_not_null()).to_arrow())
    try:
        found = cur.execute(
            f"SELECT n.__row FROM __crm_new n WHERE EXISTS (SELECT 1 FROM {table} o "
            f"WHERE o.{id_col} = n.{id_col} AND {same})").fetchall()
    finally:
        cur.unregister("__crm_new")
    return pl.Series("__row", [r[0] for r in found], dtype=rows.schema["__row"])


def rejects_table(rejects: pl.DataFrame) -> pl.DataFrame:
    """Rejects (row_number, column_name, reason, raw JSON) with the source columns spread out."""
    if rejects.height == 0:
        return rejects.drop("raw", strict=False)
    first = json.loads(rejects.get_column("raw")[0])
    dtype = pl.Struct({k: pl.String for k in first})
    spread = rejects.get_column("raw").str.json_decode(dtype).struct.unnest()
    return pl.concat([rejects.drop("raw"), spread], how="horizontal")


def _write_rejects(con: duckdb.DuckDBPyConnection, import_id: int | None, name: str,
                   rejects: pl.DataFrame) -> Path | None:
    """The rejects as a safe CSV under data/rejects/ next to the store (None: in-memory store)."""
    from crm_logic.export import to_safe_csv

    db_file = store.connection_path(con)
    if db_file is None:
        return None
    folder = db_file.parent / "rejects"
    folder.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "_", Path(name).stem)[:60] or "file"
    out = folder / f"import_{import_id}_{stem}_rejects.csv"
    try:
        out.write_bytes(to_safe_csv(rejects_table(rejects), mask=False))
    except OSError:
        out.unlink(missing_ok=True)
        raise
    return out
