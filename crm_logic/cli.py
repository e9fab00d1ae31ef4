"""Command line: sample, import, report, export, load-sample (see ../shared/contract.md).

Start-up counts (scripts call this): heavy modules are imported inside the command that
needs them. Unusable input or arguments exit 2 with one plain line on stderr and leave the
store untouched.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


class UsageError(Exception):
    """Unusable input or arguments: one plain-language line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse prints usage + exits 2; keep one line
        raise UsageError(message)


def _parse_map(items: list[str] | None) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for item in items or []:
        src, sep, dst = item.partition("=")
        if not sep or not src or not dst:
            raise UsageError(f"--map takes SRC=DST, got {item!r}")
        mapping[src] = dst
    return mapping


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

    r = sub.add_parser("report", help="run every analysis, print one JSON object")
    r.add_argument("--as-of")
    r.add_argument("--config")
    _engine_args(r)

    e = sub.add_parser("export", help="write a customer, at-risk or complaint list as CSV")
    e.add_argument("list", choices=["customers", "at-risk", "complaints"])
    e.add_argument("--out", required=True)
    e.add_argument("--as-of")
    e.add_argument("--config")
    e.add_argument("--tier", action="append")
    e.add_argument("--stage", action="append")
    e.add_argument("--pattern", action="append")
    e.add_argument("--risk", action="append")
    e.add_argument("--encoding", choices=["utf-8-sig", "gbk"], default="utf-8-sig")
    e.add_argument("--no-mask", action="store_true", help="export personal data unmasked")
    e.add_argument("--lang", choices=["en", "zh"], default="en",
                   help="language of the readable flags and actions")
    _engine_args(e)
    return p


def _engine_args(p: argparse.ArgumentParser) -> None:
    """`--orders PATH` and `--engine duckdb|spark` (report, export; see crm_logic.engines)."""
    p.add_argument("--orders", help="order lines from a Parquet file or folder instead of "
                                    "the store")
    p.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb",
                   help="where the per-customer aggregation runs (spark: CRM_SPARK_MASTER, "
                        "default local[*])")


def _load(args: argparse.Namespace):  # -> (CrmData, occasion table or None)
    """The data of `report` / `export`: the store as it is, or order lines aggregated on an
    engine (`--orders`, `--engine spark`)."""
    from crm_logic import store

    if args.orders is None and args.engine == "duckdb":
        return store.load_data(_read_store(args.db)), None
    from crm_logic import engines

    has_store = args.orders is None or store.db_path(args.db).is_file()
    con = _read_store(args.db) if has_store else None  # exit 2: no store and no --orders
    try:
        return engines.load(con, args.orders, args.engine)
    except engines.OrdersSourceError as exc:
        raise UsageError(str(exc)) from exc
    except ImportError as exc:
        raise UsageError(f"--engine spark needs pyspark and sqlglot: pip install -r "
                         f"requirements-spark.txt ({exc.name} missing)") from exc
    finally:
        if con is not None:
            con.close()


def _as_of(value: str | None):  # -> date | None
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise UsageError(f"--as-of takes a date YYYY-MM-DD, got {value!r}") from exc


def _config(path: str | None):
    from crm_logic.config import load_config

    try:
        return load_config(path)
    except (OSError, ValueError, TypeError) as exc:
        raise UsageError(f"config file unusable: {exc}") from exc


def _import(args: argparse.Namespace) -> int:
    """`import`: the file is checked before the store is opened, so unusable input writes
    nothing; a store file this command created is removed again if the import fails."""
    from crm_logic import store
    from crm_logic.ingest import UnusableInputError, import_file, inspect_file

    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"no such file: {args.file}")
    mapping = _parse_map(args.map)
    db = store.db_path(args.db)
    try:
        merged: dict[str, str] = {}
        if args.profile:
            if not db.exists():
                raise UsageError(f"no mapping profile named {args.profile!r}")
            ro = store.connect(db, read_only=True)
            try:
                table, merged = store.load_profile(ro, args.profile)
            except KeyError as exc:
                raise UsageError(str(exc).strip("'\"")) from exc
            finally:
                ro.close()
            if table != args.table:
                raise UsageError(f"profile {args.profile!r} is for table {table}")
        merged.update(mapping)
        inspect_file(args.table, path, merged, args.encoding)
        created = not db.exists()
        con = store.connect(db)
        try:
            result = import_file(con, args.table, path, mapping=merged,
                                 encoding=args.encoding, mode=args.mode)
        except BaseException:
            con.close()
            if created:
                for leftover in (db, db.with_name(db.name + ".wal")):
                    leftover.unlink(missing_ok=True)
            raise
    except UnusableInputError as exc:
        raise UsageError(str(exc)) from exc
    print(json.dumps(result.to_json_dict(), ensure_ascii=False))
    return 0


def _read_store(db: str | None):  # -> duckdb connection
    """Open an existing store read-only (report and export never write)."""
    from crm_logic import store

    path = store.db_path(db)
    if not path.is_file():
        raise UsageError(f"no store at {path}: import data first (or load-sample)")
    return store.connect(path, read_only=True)


def run(args: argparse.Namespace) -> int:
    """Dispatch one parsed command."""
    if args.command == "sample":
        from crm_logic.sample import write_sample

        print(write_sample(Path(args.out), n_customers=args.customers, seed=args.seed))
        return 0

    from crm_logic import store

    if args.command == "import":
        return _import(args)

    if args.command == "load-sample":
        from crm_logic.sample import load_sample

        con = store.connect(args.db)
        if args.if_empty and not store.is_empty(con):
            print("store not empty: sample not loaded")
            return 0
        print(load_sample(con, n_customers=args.customers, seed=args.seed))
        return 0

    if args.command == "report":
        from crm_logic.report import build_report

        cfg, day = _config(args.config), _as_of(args.as_of)
        data, occ = _load(args)
        report = build_report(data, cfg, day)
        if occ is not None:  # the engine's lines, not the day lines standing for them
            from crm_logic.engines import line_count

            report["counts"]["orders"] = line_count(occ, _as_of(report["as_of"]))
        print(json.dumps(report, ensure_ascii=False))
        return 0

    if args.command == "export":
        from crm_logic.report import export_list

        cfg, day = _config(args.config), _as_of(args.as_of)
        data, _ = _load(args)
        filters = {k: getattr(args, k) for k in ("tier", "stage", "pattern", "risk")}
        n = export_list(data, args.list, Path(args.out), cfg=cfg, as_of=day,
                        filters={k: v for k, v in filters.items() if v},
                        encoding=args.encoding, mask=not args.no_mask, lang=args.lang)
        print(f"{n} rows written to {args.out}")
        return 0
    raise UsageError(f"unknown command {args.command!r}")


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    try:
        args = build_parser().parse_args(argv)
        return run(args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
