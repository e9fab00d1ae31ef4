"""The command line's argument parser (`build_parser`) and its one error type, `UsageError`.

Split out of crm_logic/cli.py (which runs the commands and re-exports both names) to keep
each file under the project's 400-line limit. Only argparse is imported at module level:
start-up counts, so `export`'s choices come from crm_logic.pipeline inside `build_parser`.
"""

from __future__ import annotations

import argparse


class UsageError(Exception):
    """Unusable input or arguments: one plain-language line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse prints usage + exits 2; keep one line
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m crm_logic", description="CRM Lens command line")
    p.add_argument("--db", help="DuckDB store (default: env CRM_DB or data/crm.duckdb)")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    s = sub.add_parser("sample", help="write a realistic synthetic data set")
    s.add_argument("--out", required=True)
    s.add_argument("--customers", type=int, default=20_000)
    s.add_argument("--seed", type=int, default=7)

    ls = sub.add_parser("load-sample", help="load the synthetic sample into the store")
    ls.add_argument("--if-empty", action="store_true", help="only when the store is empty")
    ls.add_argument("--customers", type=int, default=20_000)
    ls.add_argument("--seed", type=int, default=7)

    i = sub.add_parser("import", help="validate and load a CSV, TSV, XLSX or Parquet file")
    i.add_argument("table", choices=["customers", "orders", "complaints", "interactions",
                                     "prospects"])
    i.add_argument("file")
    i.add_argument("--map", action="append", metavar="SRC=DST")
    i.add_argument("--encoding", default="auto")
    i.add_argument("--mode", choices=["append", "replace"], default="append")
    i.add_argument("--profile", help="use a saved mapping profile")
    i.add_argument("--decimal", choices=[",", "."],
                   help="decimal mark of number columns (asked where a column reads both ways)")
    i.add_argument("--duplicates", choices=["keep", "drop"], default="keep",
                   help="rows repeating an earlier row where no id tells them apart")
    i.add_argument("--config", help="thresholds (future-date tolerance, cell and file caps)")

    r = sub.add_parser("report", help="run every analysis, print one JSON object")
    r.add_argument("--as-of")
    r.add_argument("--config")
    _engine_args(r)

    e = sub.add_parser("export", help="write a customer, at-risk, complaint or action list")
    e.add_argument("list", choices=["customers", "at-risk", "complaints", "actions"])
    e.add_argument("--action", help="export actions: only this action's customers (a code)")
    e.add_argument("--out", required=True)
    e.add_argument("--as-of")
    e.add_argument("--config")
    from crm_logic.pipeline import PATTERNS, RISK_LEVELS, STAGES, TIER_ORDER

    e.add_argument("--tier", action="append", choices=TIER_ORDER)
    e.add_argument("--stage", action="append", choices=STAGES)
    e.add_argument("--pattern", action="append", choices=PATTERNS)
    e.add_argument("--risk", action="append", choices=RISK_LEVELS)
    e.add_argument("--encoding", choices=["utf-8-sig", "gbk"], default="utf-8-sig")
    e.add_argument("--no-mask", action="store_true", help="export personal data unmasked")
    e.add_argument("--lang", choices=["en", "zh"], default="en",
                   help="language of the readable flags and actions")
    _engine_args(e)

    u = sub.add_parser("user", help="sign-in users: add (password from stdin), list, remove")
    usub = u.add_subparsers(dest="user_command", required=True, parser_class=_Parser)
    ua = usub.add_parser("add", help="add a user or reset one's password and role")
    ua.add_argument("name")
    ua.add_argument("--role", choices=["viewer", "analyst"], required=True)
    usub.add_parser("list", help="list users and roles")
    ur = usub.add_parser("remove", help="remove a user")
    ur.add_argument("name")

    sc = sub.add_parser("serve-check", help="may the app listen on HOST? (exit 2: refused)")
    sc.add_argument("host")
    sc.add_argument("--port", default="8501")
    sc.add_argument("--secrets", action="append",
                    help="secrets file(s) to look for OIDC in (default: .streamlit/"
                         "secrets.toml here and in the home folder)")
    return p


def _engine_args(p: argparse.ArgumentParser) -> None:
    """`--orders PATH` and `--engine duckdb|spark` (report, export; see crm_logic.engines)."""
    p.add_argument("--orders", help="order lines from a Parquet file or folder instead of "
                                    "the store")
    p.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb",
                   help="where the per-customer aggregation runs (spark: CRM_SPARK_MASTER, "
                        "default local[*])")
