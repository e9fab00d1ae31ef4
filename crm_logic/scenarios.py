"""Bookkeeping tables of the action center: the saved rule table and named scenarios.

- `action_rules`: the action center's rule table as last saved (one row per rule, in order);
  the report and `export actions` use it, the defaults when nothing is saved.
- `scenarios`: what-if settings (config field -> value, only those that differ from the
  defaults) saved under a name, to load again or compare with the defaults.

Reads work on read-only connections (a missing table reads as nothing saved).
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import duckdb
import polars as pl

from crm_logic.actions import RULE_COLUMNS, validate_rules
from crm_logic.config import CrmConfig, config_fields

_DDL = """
CREATE TABLE IF NOT EXISTS action_rules (
    position INTEGER NOT NULL, action VARCHAR NOT NULL, stage VARCHAR NOT NULL,
    tier VARCHAR NOT NULL, risk VARCHAR NOT NULL, complaint VARCHAR NOT NULL,
    lost VARCHAR NOT NULL, saved_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS scenarios (
    name VARCHAR PRIMARY KEY, settings VARCHAR NOT NULL, saved_at TIMESTAMP NOT NULL
);
"""


def _has(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    row = con.cursor().execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND schema_name = 'main'",
        [table]).fetchone()
    return bool(row and row[0])


def save_rules(con: duckdb.DuckDBPyConnection, rules: pl.DataFrame) -> pl.DataFrame:
    """Validate and store the rule table (replacing the saved one); returns it as stored."""
    clean = validate_rules(rules)
    cur = con.cursor()
    cur.execute(_DDL)
    cur.execute("BEGIN")
    try:
        cur.execute("DELETE FROM action_rules")
        cur.executemany(
            "INSERT INTO action_rules VALUES (?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP)",
            [[i, *row] for i, row in enumerate(clean.select(RULE_COLUMNS).iter_rows(),
                                                start=1)])
        cur.execute("COMMIT")
    except BaseException:
        cur.execute("ROLLBACK")
        raise
    return clean


def load_rules(con: duckdb.DuckDBPyConnection) -> pl.DataFrame | None:
    """The saved rule table, or None when none is saved."""
    if not _has(con, "action_rules"):
        return None
    df = con.cursor().sql(
        f"SELECT {', '.join(RULE_COLUMNS)} FROM action_rules ORDER BY position").pl()
    return df if df.height else None


def reset_rules(con: duckdb.DuckDBPyConnection) -> None:
    """Forget the saved rule table (the defaults apply again)."""
    if _has(con, "action_rules"):
        con.cursor().execute("DELETE FROM action_rules")


def check_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """Only known config fields, each accepted by CrmConfig; ValueError otherwise."""
    unknown = sorted(set(settings) - set(config_fields()))
    if unknown:
        raise ValueError(f"unknown settings: {', '.join(unknown)}")
    dataclasses.replace(CrmConfig(), **settings)
    return dict(settings)


def changed_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """The settings that differ from the defaults."""
    default = CrmConfig()
    return {k: v for k, v in settings.items() if getattr(default, k) != v}


def save_scenario(con: duckdb.DuckDBPyConnection, name: str, settings: dict[str, Any]) -> None:
    """Save (or overwrite) the settings that differ from the defaults under `name`."""
    if not name.strip():
        raise ValueError("a scenario needs a name")
    keep = changed_settings(check_settings(settings))
    cur = con.cursor()
    cur.execute(_DDL)
    cur.execute("INSERT OR REPLACE INTO scenarios VALUES (?, ?, now()::TIMESTAMP)",
                [name.strip(), json.dumps(keep, ensure_ascii=False)])


def list_scenarios(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Names of the saved scenarios, alphabetical."""
    if not _has(con, "scenarios"):
        return []
    return [r[0] for r in con.cursor().execute(
        "SELECT name FROM scenarios ORDER BY name").fetchall()]


def load_scenario(con: duckdb.DuckDBPyConnection, name: str) -> dict[str, Any]:
    """A saved scenario's settings; KeyError if there is none by that name."""
    row = (con.cursor().execute("SELECT settings FROM scenarios WHERE name = ?", [name])
           .fetchone() if _has(con, "scenarios") else None)
    if row is None:
        raise KeyError(f"no scenario named {name!r}")
    return check_settings(json.loads(row[0]))


def delete_scenario(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Remove a saved scenario (nothing happens when there is none)."""
    if _has(con, "scenarios"):
        con.cursor().execute("DELETE FROM scenarios WHERE name = ?", [name])


def scenario_config(settings: dict[str, Any]) -> CrmConfig:
    """The default config overridden by a scenario's settings."""
    return dataclasses.replace(CrmConfig(), **check_settings(settings))
