"""Writing an import: loaded rows, rejects and the log in one DuckDB transaction."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import polars as pl

from crm_logic import store
from crm_logic.ingest.result import ImportResult
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
          sha: str, mode: str, mapping: dict[str, str], columns: list[str]) -> ImportResult:
    """Write loaded rows, rejects and the log entry in one transaction; rejects CSV after.

    `raw`: __row + source row as JSON for the rejected rows; `dup_rows`: rows not loaded
    because they repeat an earlier row; `columns`: the source columns (unmapped ones noted).
    """
    cols = list(store.SCHEMA[table])
    n_bad = int((checked.get_column("__bad") > 0).sum())
    n_dup = dup_rows.len()
    keep = pl.col("__bad") == 0
    if n_dup:
        keep = keep & ~pl.col("__row").is_in(dup_rows.implode())
    unique = (checked.filter(keep) if n_bad or n_dup else checked).select(cols)
    result = ImportResult(table, checked.height, unique.height, n_bad, n_dup)
    _unmapped_notes(result, columns, mapping)
    if n_dup:
        result.add_note("duplicates", n=n_dup)
    rejects = pl.DataFrame(schema={"row_number": pl.Int64, "column_name": pl.String,
                                   "reason": pl.String, "raw": pl.String})
    if n_bad and raw is not None:
        code = pl.col("__bad").cast(pl.Int32) - 1
        rejects = (checked.filter(pl.col("__bad") > 0).select("__row", "__bad")
                   .join(raw, on="__row", how="left")
                   .select(pl.col("__row").cast(pl.Int64).alias("row_number"),
                           code.replace_strict(range(len(checks)), [c for c, _ in checks],
                                               return_dtype=pl.String).alias("column_name"),
                           code.replace_strict(range(len(checks)), [r for _, r in checks],
                                               return_dtype=pl.String).alias("reason"),
                           "raw")
                   .sort("row_number"))
    result.errors = [{"row": r, "column": c, "reason": why} for r, c, why in
                     rejects.head(20).select("row_number", "column_name", "reason").iter_rows()]
    cur = con.cursor()
    _run(cur, _STORAGE_SETTING)
    _run(cur, "BEGIN TRANSACTION")
    try:
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
        _insert_log(cur, result, name, sha, mode, mapping)
        _run(cur, "COMMIT")
    except BaseException:
        _run(cur, "ROLLBACK")
        raise
    if rejects.height:
        result.rejects_file = _write_rejects(con, result.import_id, name, rejects)
    return result


def rejects_table(rejects: pl.DataFrame) -> pl.DataFrame:
    """Rejects (row_number, column_name, reason, raw JSON) with the source columns spread out."""
    if rejects.height == 0:
        return rejects.drop("raw", strict=False)
    first = json.loads(rejects.get_column("raw")[0])
    dtype = pl.Struct({k: pl.String for k in first})
    spread = rejects.get_column("raw").str.json_decode(dtype).struct.unnest()
    return pl.concat([rejects.drop("raw"), spread], how="horizontal")


def _write_rejects(con: duckdb.DuckDBPyConnection, import_id: int | None, name: str,
                   rejects: pl.DataFrame) -> str | None:
    """The rejects as a safe CSV under data/rejects/ next to the store (None: in-memory store)."""
    from crm_logic.export import to_safe_csv

    db_file = store.connection_path(con)
    if db_file is None:
        return None
    folder = db_file.parent / "rejects"
    folder.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "_", Path(name).stem)[:60] or "file"
    out = folder / f"import_{import_id}_{stem}_rejects.csv"
    out.write_bytes(to_safe_csv(rejects_table(rejects), mask=False))
    return str(out)
