"""The embedded DuckDB store: the canonical tables plus the project's bookkeeping.

Default file `data/crm.duckdb`; override with env `CRM_DB` or the CLI's `--db`. Analyses
read whole tables into Polars once (`load_data`) and work on frames from there.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_ROOT / "data" / "crm.duckdb"

# Canonical tables: column -> DuckDB type. The first columns of each are required.
SCHEMA: dict[str, dict[str, str]] = {
    "customers": {
        "customer_id": "VARCHAR",
        "name": "VARCHAR",
        "email": "VARCHAR",
        "phone": "VARCHAR",
        "signup_date": "DATE",
        "channel": "VARCHAR",
        "region": "VARCHAR",
        "industry": "VARCHAR",
        "sales_rep": "VARCHAR",
        "churn_date": "DATE",
        "churn_reason": "VARCHAR",
        "churn_type": "VARCHAR",
    },
    "orders": {
        "customer_id": "VARCHAR",
        "order_date": "DATE",
        "amount": "DOUBLE",
        "order_id": "VARCHAR",
        "quantity": "DOUBLE",
        "unit_price": "DOUBLE",
        "product": "VARCHAR",
        "category": "VARCHAR",
        "margin": "DOUBLE",
    },
    "complaints": {
        "complaint_id": "VARCHAR",
        "received_date": "DATE",
        "customer_id": "VARCHAR",
        "product": "VARCHAR",
        "category": "VARCHAR",
        "description": "VARCHAR",
        "sales_rep": "VARCHAR",
        "channel": "VARCHAR",
        "desired_resolution": "VARCHAR",
        "reasonable": "BOOLEAN",
        "status": "VARCHAR",
        "resolved_date": "DATE",
        "satisfaction": "DOUBLE",
        "timely_response": "BOOLEAN",  # complaint exports' "Timely response?" (Yes/No)
    },
    "interactions": {
        "customer_id": "VARCHAR",
        "interaction_date": "DATE",
        "channel": "VARCHAR",
        "direction": "VARCHAR",
        "outcome": "VARCHAR",
    },
    "prospects": {  # potential customers before a first purchase (issue 15)
        "prospect_id": "VARCHAR",
        "created_date": "DATE",
        "name": "VARCHAR",
        "phone": "VARCHAR",
        "email": "VARCHAR",
        "source": "VARCHAR",
        "has_money": "BOOLEAN",
        "has_authority": "BOOLEAN",
        "has_need": "BOOLEAN",
        "converted_customer_id": "VARCHAR",
    },
}

REQUIRED: dict[str, tuple[str, ...]] = {
    "customers": ("customer_id",),
    "orders": ("customer_id", "order_date", "amount"),  # amount may come from qty x price
    "complaints": ("complaint_id", "received_date"),
    "interactions": ("customer_id", "interaction_date"),
    "prospects": ("prospect_id", "created_date"),
}

TABLES: tuple[str, ...] = tuple(SCHEMA)

CHURN_REASONS: tuple[str, ...] = (
    "price", "product", "service", "technology", "promotion",
    "need", "management", "political", "other",
)
CHURN_TYPES: tuple[str, ...] = ("active", "passive")

_BOOKKEEPING_DDL = """
CREATE SEQUENCE IF NOT EXISTS import_id_seq START 1;
CREATE TABLE IF NOT EXISTS import_log (
    import_id BIGINT PRIMARY KEY,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    table_name VARCHAR NOT NULL,
    mode VARCHAR NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    rows_read BIGINT NOT NULL,
    rows_loaded BIGINT NOT NULL,
    rows_rejected BIGINT NOT NULL,
    rows_duplicate BIGINT NOT NULL,
    mapping VARCHAR NOT NULL,      -- JSON {source column: canonical column}
    warnings VARCHAR NOT NULL      -- JSON list of strings
);
CREATE TABLE IF NOT EXISTS rejects (
    import_id BIGINT NOT NULL,
    row_number BIGINT NOT NULL,    -- 1-based data row in the source file
    column_name VARCHAR,
    reason VARCHAR NOT NULL,
    raw VARCHAR                    -- JSON of the source row as read
);
CREATE TABLE IF NOT EXISTS mapping_profiles (
    name VARCHAR PRIMARY KEY,
    table_name VARCHAR NOT NULL,
    mapping VARCHAR NOT NULL,      -- JSON {source column: canonical column}
    created_at TIMESTAMP NOT NULL
);
"""


def db_path(explicit: str | Path | None = None) -> Path:
    """The store file: explicit path, else env CRM_DB, else data/crm.duckdb."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("CRM_DB")
    return Path(env) if env else DEFAULT_DB


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the canonical and bookkeeping tables if they do not exist."""
    for table, cols in SCHEMA.items():
        col_sql = ", ".join(f"{c} {typ}" for c, typ in cols.items())
        con.execute(f"CREATE TABLE IF NOT EXISTS {table} ({col_sql})")
        for c, typ in cols.items():  # a store made before an optional column was added
            con.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {c} {typ}")
    con.execute(_BOOKKEEPING_DDL)
    from crm_logic import occasions  # a store from before the stored occasion table

    if not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                       [occasions.STORED]).fetchall()[0][0]:
        occasions.rebuild(con.cursor())


class StoreBusyError(RuntimeError):
    """The store stayed locked by another process (an import, or a reader) too long."""


LOCK_WAIT_SECONDS = float(os.environ.get("CRM_LOCK_WAIT", "30"))  # how long to wait for it


def _busy(exc: Exception) -> bool:
    """Is this DuckDB error another connection holding the file (not a broken store)?"""
    text = str(exc)
    return "lock" in text.lower() or "different configuration" in text


def connect(path: str | Path | None = None, read_only: bool = False,
            wait: float | None = None) -> duckdb.DuckDBPyConnection:
    """Open (and if needed create) the store.

    DuckDB lets one process write or several read a file, never both: while another process
    (an import, the dashboard reading) holds it, retry for `wait` seconds (default
    `LOCK_WAIT_SECONDS`, env CRM_LOCK_WAIT), then raise `StoreBusyError`. Keep connections
    short: open, read or write, close (the dashboard never holds one between reruns)."""
    p = db_path(path)
    if not read_only:
        p.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + (LOCK_WAIT_SECONDS if wait is None else wait)
    pause = 0.05
    while True:
        try:
            con = duckdb.connect(str(p), read_only=read_only)
            break
        except (duckdb.IOException, duckdb.ConnectionException) as exc:
            if read_only and "different configuration" in str(exc):
                # this process already writes the file (e.g. a page importing): DuckDB lets
                # a second connection share that instance, not open it read-only
                read_only = False
                continue
            if not _busy(exc) or time.monotonic() >= deadline:
                if _busy(exc):
                    raise StoreBusyError(
                        f"the store {p.name} is busy (another import or a reader holds it); "
                        "try again in a moment") from exc
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.5)
    if not read_only:
        create_schema(con)
    return con


@contextmanager
def reading(path: str | Path | None = None,
            wait: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived read-only connection, closed on leaving the block."""
    con = connect(path, read_only=True, wait=wait)
    try:
        yield con
    finally:
        con.close()


def file_stamp(path: str | Path | None = None) -> tuple[int, int, int]:
    """(size, mtime ns of the store file, mtime ns of its WAL): changes when a write lands;
    lets a reader skip opening the store when nothing changed."""
    p = db_path(path)
    wal = p.with_name(p.name + ".wal")
    st = p.stat() if p.exists() else None
    return (st.st_size if st else -1, st.st_mtime_ns if st else -1,
            wal.stat().st_mtime_ns if wal.exists() else -1)


@dataclass(frozen=True)
class CrmData:
    """The canonical tables as Polars frames (all rows; analyses cut at `as_of`)."""

    customers: pl.DataFrame
    orders: pl.DataFrame
    complaints: pl.DataFrame
    interactions: pl.DataFrame
    prospects: pl.DataFrame = field(default_factory=lambda: empty_frame("prospects"))
    # THE purchase-occasion table over every day (`crm_logic.occasions`), built in the store
    # by `load_data`; analyses cut it at their as-of instead of re-reading the lines
    occasions: pl.DataFrame | None = None
    # False: `orders` is empty and the lines stay in the store at `store_path` (data version
    # `version`); the few line questions go there (`crm_logic.lines`)
    lines_held: bool = True
    store_path: Path | None = None
    version: int | None = None

    def counts(self) -> dict[str, int]:
        """Rows per canonical table (order lines counted by the occasion table when the
        lines stay in the store)."""
        out = {t: getattr(self, t).height for t in TABLES}
        if not self.lines_held and self.occasions is not None:
            out["orders"] = int(self.occasions.get_column("lines").sum() or 0)
        return out


def empty_frame(table: str) -> pl.DataFrame:
    """An empty frame with the canonical schema of `table`."""
    return pl.DataFrame(schema=polars_schema(table))


def polars_schema(table: str) -> dict[str, pl.DataType]:
    """The canonical columns of `table` as Polars dtypes."""
    conv = {"VARCHAR": pl.String(), "DATE": pl.Date(), "DOUBLE": pl.Float64(),
            "BOOLEAN": pl.Boolean(), "BIGINT": pl.Int64()}
    return {c: conv[typ] for c, typ in SCHEMA[table].items()}


# Row order of a table read (none by default). The analyses start from the purchase-occasion
# table (built and sorted by customer and day in DuckDB, `crm_logic.occasions`), so order
# lines are no longer sorted on every load (that cost 1-1.5 s per 10M lines).
READ_ORDER: dict[str, str] = {}


def read_table(con: duckdb.DuckDBPyConnection, table: str) -> pl.DataFrame:
    """One canonical table as a Polars frame with the canonical dtypes (`READ_ORDER`)."""
    if table not in SCHEMA:
        raise ValueError(f"unknown table {table!r}")
    present = {r[0] for r in con.cursor().execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
    ).fetchall()}
    if not present:  # a store made before this table existed, opened read-only
        return pl.DataFrame(schema=polars_schema(table))
    # a store made before an optional column existed (read-only: not migrated): nulls
    cols = ", ".join(c if c in present else f"CAST(NULL AS {typ}) AS {c}"
                     for c, typ in SCHEMA[table].items())
    order = f" ORDER BY {READ_ORDER[table]}" if table in READ_ORDER else ""
    df = con.cursor().sql(f"SELECT {cols} FROM {table}{order}").pl()
    return df.cast(polars_schema(table))  # type: ignore[arg-type]


def load_data(con: duckdb.DuckDBPyConnection, lines: bool = True) -> CrmData:
    """All canonical tables, and the purchase-occasion table built in the store.

    `lines=False`: the order lines stay in the store (`CrmData.lines_held`; see
    `crm_logic.lines` for what that saves); analyses read the occasion table."""
    from crm_logic import occasions

    tables = {t: read_table(con, t) if lines or t != "orders" else empty_frame(t)
              for t in TABLES}
    return CrmData(**tables, occasions=occasions.read(con), lines_held=lines,
                   store_path=connection_path(con), version=data_version(con))


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """Changes whenever an import lands: the UI's cache key."""
    row = con.cursor().execute("SELECT coalesce(max(import_id), 0) FROM import_log").fetchone()
    return int(row[0]) if row else 0


def is_empty(con: duckdb.DuckDBPyConnection) -> bool:
    """True when no canonical table holds a row."""
    cur = con.cursor()
    return all(cur.execute(f"SELECT count(*) FROM {t}").fetchone()[0] == 0 for t in TABLES)


# --- bookkeeping: import log, rejects, mapping profiles ------------------------------------------


def connection_path(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The file behind a connection (None for an in-memory store)."""
    row = con.cursor().execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return Path(row[0]) if row and row[0] else None


def find_import(con: duckdb.DuckDBPyConnection, table: str, sha256: str) -> dict | None:
    """The import that loaded this exact file into `table` and is still there, if any.

    "Still there": no replace of `table` happened after it.
    """
    row = con.cursor().execute(
        """
        SELECT import_id, rows_read FROM import_log
        WHERE table_name = ? AND sha256 = ? AND rows_loaded + rows_rejected > 0
          AND import_id >= coalesce((SELECT max(import_id) FROM import_log
                                     WHERE table_name = ? AND mode = 'replace'), 0)
        ORDER BY import_id LIMIT 1
        """,
        [table, sha256, table],
    ).fetchone()
    return {"import_id": int(row[0]), "rows_read": int(row[1])} if row else None


def import_history(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The import log, newest first (mapping and warnings as JSON text)."""
    return con.cursor().sql(
        "SELECT import_id, imported_at, file_name, table_name, mode, rows_read, rows_loaded, "
        "rows_rejected, rows_duplicate, mapping, warnings, sha256 FROM import_log "
        "ORDER BY import_id DESC"
    ).pl()


def import_rejects(con: duckdb.DuckDBPyConnection, import_id: int) -> pl.DataFrame:
    """Rejected rows of one import: row_number, column_name, reason, raw (JSON source row)."""
    return con.cursor().sql(
        f"SELECT row_number, column_name, reason, raw FROM rejects "
        f"WHERE import_id = {int(import_id)} ORDER BY row_number"
    ).pl()


def save_profile(con: duckdb.DuckDBPyConnection, name: str, table: str,
                 mapping: dict[str, str]) -> None:
    """Save (or overwrite) a named mapping profile {source column: canonical column}."""
    if not name.strip():
        raise ValueError("a profile needs a name")
    if table not in SCHEMA:
        raise ValueError(f"unknown table {table!r}")
    con.cursor().execute(
        "INSERT OR REPLACE INTO mapping_profiles VALUES (?, ?, ?, now()::TIMESTAMP)",
        [name.strip(), table, json.dumps(mapping, ensure_ascii=False)],
    )


def list_profiles(con: duckdb.DuckDBPyConnection, table: str | None = None) -> list[str]:
    """Names of saved mapping profiles (of one table, if given), alphabetical."""
    sql = "SELECT name FROM mapping_profiles"
    params: list[str] = []
    if table:
        sql += " WHERE table_name = ?"
        params.append(table)
    return [r[0] for r in con.cursor().execute(sql + " ORDER BY name", params).fetchall()]


def load_profile(con: duckdb.DuckDBPyConnection, name: str) -> tuple[str, dict[str, str]]:
    """A saved profile's (table, mapping); KeyError if there is none by that name."""
    row = con.cursor().execute(
        "SELECT table_name, mapping FROM mapping_profiles WHERE name = ?", [name]
    ).fetchone()
    if row is None:
        raise KeyError(f"no mapping profile named {name!r}")
    return str(row[0]), dict(json.loads(row[1]))
