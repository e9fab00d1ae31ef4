"""Command line: sample, import, report, export, load-sample, user, serve-check
(see ../shared/contract.md).

Start-up counts (scripts call this): heavy modules are imported inside the command that
needs them. Unusable input or arguments exit 2 with one plain line on stderr and leave the
store untouched. The argument parser and `UsageError` live in crm_logic/cli_parser.py (both
importable from here).
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import json
import sys
from pathlib import Path

from crm_logic.cli_parser import UsageError, build_parser


def _parse_map(items: list[str] | None) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for item in items or []:
        src, sep, dst = item.partition("=")
        if not sep or not src or not dst:
            raise UsageError(f"--map takes SRC=DST, got {item!r}")
        mapping[src] = dst
    return mapping


def _load(args: argparse.Namespace):  # -> (CrmData, occasion table or None, rules or None)
    """The data of `report` / `export`: the store as it is, or order lines aggregated on an
    engine (`--orders`, `--engine spark`); and the saved action rules. The store is held
    only while reading it (imports may run meanwhile)."""
    from crm_logic import engines, store
    from crm_logic.scenarios import load_rules

    has_store = args.orders is None or store.db_path(args.db).is_file()
    con = _read_store(args.db) if has_store else None  # exit 2: no store and no --orders
    try:
        rules = load_rules(con) if con is not None else None
        if args.orders is None and args.engine == "duckdb":
            return store.load_data(con, lines=False), None, rules  # lines: crm_logic.lines
        return (*engines.load(con, args.orders, args.engine), rules)
    except engines.OrdersSourceError as exc:
        raise UsageError(str(exc)) from exc
    except ImportError as exc:
        raise UsageError(f"--engine spark needs pyspark and sqlglot: pip install -r "
                         f"requirements-spark.txt ({exc.name} missing)") from exc
    finally:
        if con is not None:
            con.close()


def _who() -> str:
    """The audit log's user for a command run from a shell: cli:<os user>."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):
        return "cli:unknown"


def _audit(db: str | None, action: str, what: str, rows: int, masked: bool | None) -> None:
    """Write one audit row (export, import) to the store."""

    from crm_logic import audit, store

    con = store.connect(db)
    try:
        audit.record(con, _who(), action, what, rows, masked)
    finally:
        con.close()


def _as_of(value: str | None):  # -> date | None

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
        cfg = _config(args.config)
        inspect_file(args.table, path, merged, args.encoding, args.decimal, cfg)
        created = not db.exists()
        con = store.connect(db)
        try:
            result = import_file(con, args.table, path, mapping=merged,
                                 encoding=args.encoding, mode=args.mode,
                                 decimal=args.decimal, duplicates=args.duplicates,
                                 cfg=cfg)  # the import day: the store's clock
        except BaseException:
            con.close()
            if created:
                for leftover in (db, db.with_name(db.name + ".wal")):
                    leftover.unlink(missing_ok=True)
            raise
    except UnusableInputError as exc:
        raise UsageError(str(exc)) from exc

    from crm_logic import audit

    action = "replace" if args.mode == "replace" else "import"
    audit.record(con, _who(), action, f"{args.table} <- {path.name}", result.rows_loaded,
                 None)
    con.close()
    print(json.dumps(result.to_json_dict(), ensure_ascii=False))
    return 0


def _user(args: argparse.Namespace) -> int:
    """`user add|list|remove`: sign-in users in the store; the password comes from stdin."""

    from crm_logic import auth, store

    if args.user_command == "list":
        path = store.db_path(args.db)
        users = []
        if path.is_file():
            con = store.connect(path, read_only=True)
            users = auth.list_users(con)
            con.close()
        print(", ".join(f"{n} ({r})" for n, r in users) if users else "no users")
        return 0
    if args.user_command == "add":
        password = sys.stdin.readline().rstrip("\r\n")
        try:
            auth.check_name(args.name)
            con = store.connect(args.db)
            try:
                name = auth.add_user(con, args.name, password, args.role)
            finally:
                con.close()
        except auth.AuthError as exc:
            raise UsageError(str(exc)) from exc
        print(f"user {name} saved with role {args.role}")
        return 0
    path = store.db_path(args.db)
    if not path.is_file():
        raise UsageError(f"no user named {args.name!r}")
    con = store.connect(path)
    try:
        removed = auth.remove_user(con, args.name)
    finally:
        con.close()
    if not removed:
        raise UsageError(f"no user named {args.name!r}")
    print(f"user {args.name} removed")
    return 0


def _serve_check(args: argparse.Namespace) -> int:
    """`serve-check HOST`: exit 0 with one line when the app may listen there, else exit 2."""
    import duckdb

    from crm_logic import auth, store

    files = [Path(f) for f in args.secrets] if args.secrets else [
        Path(".streamlit/secrets.toml"), Path.home() / ".streamlit" / "secrets.toml"]
    oidc = any(auth.oidc_configured(f) for f in files)
    users = False
    path = store.db_path(args.db)
    if path.is_file():
        try:
            con = store.connect(path, read_only=True)
        except duckdb.Error as exc:
            raise UsageError(f"store {path} cannot be read (in use?): {exc}") from exc
        users = auth.has_users(con)
        con.close()
    ok, line = auth.serve_check(args.host, users, oidc, args.port)
    if not ok:
        raise UsageError(line)
    print(line)
    return 0


def _read_store(db: str | None):  # -> duckdb connection
    """Open an existing store read-only (report and export never write)."""
    from crm_logic import store

    path = store.db_path(db)
    if not path.is_file():
        raise UsageError(f"no store at {path}: import data first (or load-sample)")
    return store.connect(path, read_only=True)


def _action_arg(args: argparse.Namespace) -> str | None:
    """`--action CODE`: only with `export actions`, and a known code."""
    if args.action is None:
        return None
    if args.list != "actions":
        raise UsageError("--action goes with `export actions`")
    from crm_logic.actions import ACTIONS

    if args.action not in ACTIONS:
        raise UsageError(f"unknown action {args.action!r}: one of {', '.join(ACTIONS)}")
    return args.action


def run(args: argparse.Namespace) -> int:
    """Dispatch one parsed command."""
    if args.command == "sample":
        from crm_logic.sample import write_sample

        print(write_sample(Path(args.out), n_customers=args.customers, seed=args.seed))
        return 0

    from crm_logic import store

    if args.command == "import":
        return _import(args)
    if args.command == "user":
        return _user(args)
    if args.command == "serve-check":
        return _serve_check(args)

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
        data, occ, rules = _load(args)
        report = build_report(data, cfg, day, rules=rules)
        if occ is not None:  # the engine's lines, not the day lines standing for them
            from crm_logic.engines import line_count

            report["counts"]["orders"] = line_count(occ, _as_of(report["as_of"]))
        print(json.dumps(report, ensure_ascii=False))
        return 0

    if args.command == "export":
        from crm_logic.report import export_list

        cfg, day = _config(args.config), _as_of(args.as_of)
        action = _action_arg(args)
        if Path(args.out).is_dir():
            raise UsageError(f"--out names a folder, not a file: {args.out}")
        data, _, rules = _load(args)
        filters = {k: getattr(args, k) for k in ("tier", "stage", "pattern", "risk")}
        n = export_list(data, args.list, Path(args.out), cfg=cfg, as_of=day,
                        filters={k: v for k, v in filters.items() if v},
                        encoding=args.encoding, mask=not args.no_mask, lang=args.lang,
                        action=action, rules=rules)
        if store.db_path(args.db).is_file():  # --orders needs no store: nothing to log into
            _audit(args.db, "export", f"{args.list} -> {Path(args.out).name}", n,
                   masked=not args.no_mask)
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
    except OSError as exc:  # disk full, a folder where a file should be, no permission
        if exc.errno not in _USER_ERRNOS:
            raise
        print(f"error: {exc.strerror}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 2
    except Exception as exc:
        from crm_logic.lines import StoreChangedError
        from crm_logic.store import StoreBusyError

        # held by another process too long, or an import landed while reading: one line
        if isinstance(exc, (StoreBusyError, StoreChangedError)):
            print(f"error: {exc}", file=sys.stderr)
            return 2
        if "No space left on device" not in str(exc):  # DuckDB's own I/O errors
            raise
        print("error: disk full (No space left on device): nothing was changed",
              file=sys.stderr)
        return 2


_USER_ERRNOS = (errno.ENOSPC, errno.EISDIR, errno.EACCES, errno.EROFS, errno.EDQUOT,
                errno.ENOTDIR)
