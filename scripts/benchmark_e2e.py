"""End-to-end benchmark (issue 10): a large company's data, from CSV files to the open app.

1. Generates the sample (`python -m crm_logic sample --customers N`, default 250,000:
   ~10.8M order lines) unless it is already in the work folder.
2. Imports it into a fresh store, one `import` process per table (wall time, peak RSS).
3. Times `report` as a whole process (wall, peak RSS) and, in its own process on the same
   orders read from the store, the lifetimes 0.11.3 pipeline (summary, BG/NBD, Gamma-Gamma,
   P(alive), expected purchases, expected spend): the ratio of the two.
4. Times the app under AppTest in its own process: the first page, each page, each page
   again (a revisit), a threshold change on every page that has one, and a model setting;
   the process's peak memory, and the memory one more session adds.
5. The degenerate case of the issue: 200,000 customers / 2M lines without dropout
   heterogeneity (everyone buys at one rate, i.i.d. amounts): `import` + `report` as whole
   processes against the lifetimes pipeline.

Prints a Markdown table (the README's). Heavy: run it alone, `nice`, on an idle machine.

    .venv/bin/python scripts/benchmark_e2e.py [--customers 250000] [--work /tmp/crm_bench]
                                             [--skip-app] [--skip-degenerate] [--skip-lifetimes]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TABLES = ("customers", "orders", "complaints", "interactions")


def run_process(args: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run one process; its wall time (s), peak RSS (MB), exit status and output."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, **(env or {})}, text=True)
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    return {"wall": wall, "rss_mb": 0.0, "code": proc.returncode, "out": out, "err": err}


def timed(args: list[str]) -> dict[str, Any]:
    """`run_process` with the child's own peak RSS (GNU time's %M)."""
    res = run_process(["/usr/bin/time", "-f", "PEAK_KB %M", *args])
    for line in res["err"].splitlines():
        if line.startswith("PEAK_KB "):
            res["rss_mb"] = int(line.split()[1]) / 1024
    res["err"] = "\n".join(x for x in res["err"].splitlines() if not x.startswith("PEAK_KB"))
    if res["code"] != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {res['err'][-2000:]}")
    return res


def crm(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "crm_logic", "--db", str(db), *args]


# --- children ------------------------------------------------------------------------------


def lifetimes_child(db: str, as_of: str) -> None:
    """The lifetimes pipeline on the store's orders; prints JSON seconds (reading excluded)."""
    import polars as pl

    from crm_logic import store
    from scripts.benchmark_value import with_lifetimes

    with store.reading(db) as con:
        orders = con.sql("SELECT customer_id, order_date, amount FROM orders").pl()
    day = dt.date.fromisoformat(as_of)
    orders = orders.filter(pl.col("order_date") <= day)
    t = with_lifetimes(orders, day)
    print(json.dumps({k: t[k] for k in ("summary", "fit_bgnbd", "fit_gamma_gamma", "scores",
                                        "total", "customers")}))


CHANGES: dict[str, list[tuple[str, Any]]] = {  # page -> (config field, new value), in turn
    # labels stage (tier shares), a features change (horizon) and back to settings seen before
    "pages/segments.py": [("tier_platinum_share", 0.1), ("tier_platinum_share", 0.05),
                          ("horizon_days", 180), ("tier_gold_share", 0.2),
                          ("horizon_days", 365), ("tier_gold_share", 0.15)],
    # labels stage: risk levels, the churn-rate band, retention what-if money
    "pages/churn.py": [("risk_high", 0.5), ("churn_rate_acceptable_max", 0.1),
                       ("save_rate", 0.3), ("risk_high", 0.6)],
    # lifecycle stage rules (series held), then a rule of the series (lost threshold)
    "pages/lifecycle.py": [("stability_peak_share", 0.6), ("decline_peak_share", 0.4),
                           ("stability_peak_share", 0.7), ("churn_gap_floor_days", 200)],
    "pages/complaints.py": [("sla_days", 10)],
}
PAGES = ("pages/overview.py", "pages/segments.py", "pages/lifecycle.py", "pages/churn.py",
         "pages/complaints.py", "pages/actions.py", "pages/customer.py", "pages/data.py")


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _set(at: Any, key: str, value: Any) -> Any:
    for kind in ("slider", "number_input", "select_slider", "selectbox"):
        try:
            widget = getattr(at, kind)(key=key)
        except (KeyError, IndexError):
            continue
        return widget.set_value(value)
    raise KeyError(key)


def _count_analyses() -> dict[str, float]:
    """Wrap `pipeline.analyse` to count its calls and their seconds (callers import it at
    call time, so the wrapper is what they get)."""
    from crm_logic import pipeline

    seen = {"calls": 0, "seconds": 0.0}
    real = pipeline.analyse

    def counted(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            seen["calls"] += 1
            seen["seconds"] += time.perf_counter() - t0

    pipeline.analyse = counted  # type: ignore[assignment]
    return seen


def app_child(db: str) -> None:
    """AppTest timings of one session (each `at.run()`'s wall time, the server's work for
    that rerun), then a second session; prints JSON (`APPJSON ...`) and a Markdown table
    with the `pipeline.analyse` calls each step made."""
    os.environ["CRM_DB"] = db
    from streamlit.testing.v1 import AppTest

    app = str(ROOT / "app.py")
    out: dict[str, Any] = {"first": {}, "revisit": {}, "change": {}, "analyses": {}}
    seen = _count_analyses()

    def session() -> AppTest:
        at = AppTest.from_file(app, default_timeout=900)
        at.session_state["lang"] = "zh"
        return at

    def step(kind: str, name: str, run: Any) -> None:
        calls = seen["calls"]
        t0 = time.perf_counter()
        at = run()
        out[kind][name] = time.perf_counter() - t0
        out["analyses"][f"{kind} {name}"] = seen["calls"] - calls
        assert not at.exception, (kind, name, [e.value for e in at.exception])

    at = session()
    t0 = time.perf_counter()
    at.run()
    at.switch_page(PAGES[0]).run()
    out["first_page"] = time.perf_counter() - t0
    for page in PAGES:
        step("first", page, lambda p=page: at.switch_page(p).run())
    for page in PAGES:
        step("revisit", page, lambda p=page: at.switch_page(p).run())
    out["rss_every_page_mb"] = _rss_mb()  # the "after visiting every page"
    for page, changes in CHANGES.items():
        at.switch_page(page).run()
        for i, (field, value) in enumerate(changes, start=1):
            step("change", f"{page}:{i}:{field}={value}",
                 lambda f=field, v=value: _set(at, f"cfg.{f}", v).run())
    out["rss_one_session_mb"] = _rss_mb()
    other = session()
    other.run()
    for page in PAGES:
        other.switch_page(page).run()
    out["rss_two_sessions_mb"] = _rss_mb()
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["analyse_calls"], out["analyse_seconds"] = seen["calls"], seen["seconds"]
    print("APPJSON " + json.dumps(out))
    print("\n| step | time | analyse calls |\n|---|---|---|")
    for kind in ("first", "revisit", "change"):
        for name, sec in out[kind].items():
            print(f"| {kind} {name} | {sec:.2f} s | {out['analyses'][f'{kind} {name}']} |")
    print(f"\nRSS one session {out['rss_one_session_mb']:,.0f} MB, two sessions "
          f"{out['rss_two_sessions_mb']:,.0f} MB, peak {out['peak_mb']:,.0f} MB; "
          f"load average {os.getloadavg()[0]:.1f}")


# --- the degenerate data -------------------------------------------------------------------


def degenerate_orders(path: Path, n_customers: int = 200_000, n_lines: int = 2_000_000,
                      seed: int = 7) -> None:
    """Everyone buys at one Poisson rate and never drops out; amounts i.i.d. (issue 10)."""
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(seed)
    start = dt.date(2022, 1, 1)
    cust = rng.integers(0, n_customers, n_lines)
    day = rng.integers(0, 730, n_lines)
    amount = rng.gamma(2.0, 25.0, n_lines).round(2)
    pl.DataFrame({
        "customer_id": pl.Series(cust).cast(pl.String).str.zfill(7),
        "order_date": pl.Series(day + (start - dt.date(1970, 1, 1)).days,
                                dtype=pl.Int32).cast(pl.Date),
        "amount": amount,
    }).write_csv(path)


# --- main ----------------------------------------------------------------------------------


def machine() -> str:
    load = os.getloadavg()
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"{mem:.0f} GB RAM, load average {load[0]:.1f} at start")


def import_all(db: Path, folder: Path, tables: tuple[str, ...] = TABLES) -> dict[str, Any]:
    db.unlink(missing_ok=True)
    db.with_name(db.name + ".wal").unlink(missing_ok=True)
    got: dict[str, Any] = {}
    for table in tables:
        got[table] = timed(crm(db, "import", table, str(folder / f"{table}.csv")))
    return got


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=250_000)
    ap.add_argument("--work", default="/tmp/crm_bench")
    ap.add_argument("--skip-app", action="store_true")
    ap.add_argument("--skip-degenerate", action="store_true")
    ap.add_argument("--skip-lifetimes", action="store_true")
    ap.add_argument("--lifetimes-child", nargs=2, metavar=("DB", "AS_OF"))
    ap.add_argument("--app-child", metavar="DB")
    args = ap.parse_args()
    if args.lifetimes_child:
        lifetimes_child(*args.lifetimes_child)
        return 0
    if args.app_child:
        app_child(args.app_child)
        return 0

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    rows: list[tuple[str, str, str]] = []
    print(f"machine: {machine()}", flush=True)
    folder = work / f"sample_{args.customers}"
    if not (folder / "orders.csv").is_file():
        r = timed(crm(work / "unused.duckdb", "sample", "--out", str(folder),
                      "--customers", str(args.customers)))
        rows.append(("sample (generate CSV)", f"{r['wall']:.1f} s", f"{r['rss_mb']:,.0f} MB"))
        print(r["out"].strip(), flush=True)
    db = work / "bench.duckdb"
    got = import_all(db, folder)
    for table, r in got.items():
        rows.append((f"import {table}", f"{r['wall']:.1f} s", f"{r['rss_mb']:,.0f} MB"))
    print("imported", flush=True)
    rep = timed(crm(db, "report"))
    as_of = json.loads(rep["out"])["as_of"]
    rows.append(("`report` (whole process)", f"{rep['wall']:.1f} s", f"{rep['rss_mb']:,.0f} MB"))
    print(f"report {rep['wall']:.1f} s", flush=True)
    if not args.skip_lifetimes:
        life = timed([sys.executable, str(Path(__file__)), "--lifetimes-child", str(db), as_of])
        t = json.loads(life["out"].strip().splitlines()[-1])
        rows.append(("lifetimes pipeline, same orders (read excluded)", f"{t['total']:.1f} s",
                     f"{life['rss_mb']:,.0f} MB"))
        rows.append(("ratio lifetimes / `report`", f"{t['total'] / rep['wall']:.2f}x", ""))
        print(f"lifetimes {t['total']:.1f} s", flush=True)
    if not args.skip_app:
        app = timed([sys.executable, str(Path(__file__)), "--app-child", str(db)])
        a = json.loads(next(x for x in app["out"].splitlines() if x.startswith("APPJSON "))[8:])
        rows.append(("app: first page (frame + overview)", f"{a['first_page']:.1f} s", ""))
        for page, sec in a["first"].items():
            rows.append((f"app: {page} first visit", f"{sec:.2f} s", ""))
        for page, sec in a["revisit"].items():
            rows.append((f"app: {page} revisit", f"{sec:.2f} s", ""))
        for what, sec in a["change"].items():
            rows.append((f"app: change {what}", f"{sec:.2f} s", ""))
        rows.append(("app: process after every page (twice), one session", "",
                     f"{a['rss_every_page_mb']:,.0f} MB"))
        rows.append(("app: ... and after every what-if above too", "",
                     f"{a['rss_one_session_mb']:,.0f} MB"))
        rows.append(("app: one more session (every page)", "",
                     f"+{a['rss_two_sessions_mb'] - a['rss_one_session_mb']:,.0f} MB"))
        rows.append(("app: process peak", "", f"{a['peak_mb']:,.0f} MB"))
    if not args.skip_degenerate:
        dfolder = work / "degenerate"
        dfolder.mkdir(exist_ok=True)
        if not (dfolder / "orders.csv").is_file():
            degenerate_orders(dfolder / "orders.csv")
        ddb = work / "degenerate.duckdb"
        imp = import_all(ddb, dfolder, ("orders",))["orders"]
        drep = timed(crm(ddb, "report"))
        ours = imp["wall"] + drep["wall"]
        rows.append(("degenerate 200k/2M: `import` + `report`", f"{ours:.1f} s",
                     f"{max(imp['rss_mb'], drep['rss_mb']):,.0f} MB"))
        if not args.skip_lifetimes:
            d_as_of = json.loads(drep["out"])["as_of"]
            life = timed([sys.executable, str(Path(__file__)), "--lifetimes-child", str(ddb),
                          d_as_of])
            t = json.loads(life["out"].strip().splitlines()[-1])
            rows.append(("degenerate: lifetimes pipeline", f"{t['total']:.1f} s",
                         f"{life['rss_mb']:,.0f} MB"))
            rows.append(("degenerate: ratio lifetimes / (import + report)",
                         f"{t['total'] / ours:.2f}x", ""))
    print("\n| step | time | peak memory |\n|---|---|---|")
    for name, sec, mem in rows:
        print(f"| {name} | {sec} | {mem} |")
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
