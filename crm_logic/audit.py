"""Audit log: who exported or imported what, when, how many rows, masked or not.

One bookkeeping table `audit_log` in the store. The CLI's `export` and `import` and every
page download and import write a row; the Data page shows the log to analysts. The time
is passed in (`when`), never read here.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl

ACTIONS: tuple[str, ...] = ("export", "import", "replace", "sample")

_DDL = """
CREATE SEQUENCE IF NOT EXISTS audit_id_seq START 1;
CREATE TABLE IF NOT EXISTS audit_log (
    audit_id BIGINT PRIMARY KEY DEFAULT nextval('audit_id_seq'),
    logged_at TIMESTAMP NOT NULL,
    user_name VARCHAR NOT NULL,   -- signed-in user, "local" (no users), or "cli:<os user>"
    action VARCHAR NOT NULL,      -- export | import | replace | sample
    what VARCHAR NOT NULL,        -- list or table, and file name
    rows BIGINT NOT NULL,
    masked BOOLEAN                -- exports: personal data masked; imports: NULL
);
"""

COLUMNS: tuple[str, ...] = (
    "audit_id", "logged_at", "user_name", "action", "what", "rows", "masked")


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the audit table if it does not exist."""
    con.cursor().execute(_DDL)


def record(con: duckdb.DuckDBPyConnection, user: str, action: str, what: str, rows: int,
           masked: bool | None, when: dt.datetime | None = None) -> int:
    """Write one audit row; returns its id. `when`: else the store's clock (like the import
    log), so the command line reads no clock of its own."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    ensure_schema(con)
    row = con.cursor().execute(
        "INSERT INTO audit_log (logged_at, user_name, action, what, rows, masked) "
        "VALUES (coalesce(?, now()::TIMESTAMP), ?, ?, ?, ?, ?) RETURNING audit_id",
        [when, user, action, what, int(rows), masked],
    ).fetchone()
    return int(row[0]) if row else 0


def history(con: duckdb.DuckDBPyConnection, limit: int = 1000) -> pl.DataFrame:
    """The newest `limit` audit rows, newest first (empty frame when nothing was logged)."""
    has = con.cursor().execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'audit_log'"
    ).fetchone()
    if not has or not has[0]:
        return pl.DataFrame(schema={"audit_id": pl.Int64, "logged_at": pl.Datetime("us"),
                                    "user_name": pl.String, "action": pl.String,
                                    "what": pl.String, "rows": pl.Int64,
                                    "masked": pl.Boolean})
    return con.cursor().sql(
        f"SELECT {', '.join(COLUMNS)} FROM audit_log ORDER BY audit_id DESC "
        f"LIMIT {int(limit)}"
    ).pl()
