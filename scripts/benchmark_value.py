"""Benchmark of the value job: customer summary + BG/NBD + Gamma-Gamma fits + per-customer scores.

Runs our implementation (crm_logic.segmentation / crm_logic.models) and, in the same process
on the same transactions, the same job in lifetimes 0.11.3 (summary_data_from_transaction_data,
BetaGeoFitter, GammaGammaFitter, P(alive), expected purchases, expected spend). Prints a table.
The lines come sorted by customer, then date, as `store.read_table` hands them to the app and
the CLI; the summary of the same lines in random order is timed too.

Also times the fits on the other data sets the issue names: the bundled sample, the UCI
Online Retail file (../shared/data/online_retail/) and the synthetic 2,000,000 lines.

    .venv/bin/python scripts/benchmark_value.py [--customers 200000] [--lines 2000000]
                                                [--no-lifetimes] [--no-extra]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crm_logic import models  # noqa: E402
from crm_logic import segmentation as seg  # noqa: E402
from crm_logic.config import CrmConfig  # noqa: E402
from crm_logic.store import CrmData, empty_frame  # noqa: E402

ONLINE_RETAIL = ROOT.parent / "shared" / "data" / "online_retail" / "online_retail.parquet"
START = dt.date(2023, 1, 1)
AS_OF = dt.date(2024, 12, 31)


TRUE_BG = {"r": 0.6, "alpha": 40.0, "a": 0.8, "b": 2.5}  # per day
TRUE_GG = {"p": 6.0, "q": 4.0, "gamma": 60.0}


def simulate_bgnbd(n: int, span: int, rng: np.random.Generator,
                   r: float, alpha: float, a: float, b: float,
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Purchase occasions drawn from BG/NBD itself: (customer index, day offset from START).

    First purchase uniform over the window; then Poisson purchases at rate lambda ~
    Gamma(r, alpha) until dropout, which follows each repeat purchase with p ~ Beta(a, b).
    Vectorised: one array of gaps for all customers, cumulated per customer."""
    first = rng.integers(0, span - 1, n)
    lam = rng.gamma(r, 1.0 / alpha, n)
    p = rng.beta(a, b, n)
    repeats = np.minimum(rng.geometric(np.clip(p, 1e-6, 1.0)), 400)  # purchases before dropout
    cust = np.repeat(np.arange(n), repeats)
    gaps = rng.exponential(1.0 / lam[cust])
    cum = np.cumsum(gaps)
    starts = np.concatenate([[0], np.cumsum(repeats)[:-1]])
    before = np.concatenate([[0.0], cum])[starts]  # cumulated gaps before each customer
    t = first[cust] + cum - np.repeat(before, repeats)
    keep = t < span
    occ_cust = np.concatenate([np.arange(n), cust[keep]])
    occ_day = np.concatenate([first, np.floor(t[keep]).astype(np.int64)])
    order = np.lexsort((occ_day, occ_cust))
    return occ_cust[order], occ_day[order]


def synthetic_orders(n_customers: int, n_lines: int, seed: int = 42) -> pl.DataFrame:
    """Exactly `n_lines` order lines of `n_customers` buyers: occasions from BG/NBD
    (TRUE_BG), each occasion one line plus the remaining lines spread at random over the
    occasions, spend per line from Gamma-Gamma (TRUE_GG), 2% refund lines."""
    rng = np.random.default_rng(seed)
    span = (AS_OF - START).days + 1
    occ_cust, day = simulate_bgnbd(n_customers, span, rng, **TRUE_BG)
    n_occ = occ_cust.size
    if n_occ > n_lines:  # too many occasions for the line budget: keep the first ones
        n_occ = n_lines
        occ_cust, day = occ_cust[:n_lines], day[:n_lines]
    extra = rng.integers(0, n_occ, n_lines - n_occ)
    line_occ = np.sort(np.concatenate([np.arange(n_occ), extra]))
    nu = rng.gamma(TRUE_GG["q"], 1.0 / TRUE_GG["gamma"], n_customers)  # spend rate
    mean_lines = n_lines / n_occ
    amount = rng.gamma(TRUE_GG["p"], 1.0 / nu[occ_cust[line_occ]]) / mean_lines
    refund = rng.random(n_lines) < 0.02
    amount = np.where(refund, -amount, amount).round(2)
    cust = occ_cust[line_occ]
    return pl.DataFrame({
        "customer_id": pl.Series(cust).cast(pl.String).str.zfill(7),
        "order_date": pl.Series(day[line_occ] + (START - dt.date(1970, 1, 1)).days,
                                dtype=pl.Int32).cast(pl.Date),
        "amount": amount,
        "order_id": pl.Series(line_occ).cast(pl.String),
    }).with_columns(pl.lit(None, pl.Float64).alias("margin"))


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def ours(orders: pl.DataFrame, as_of: dt.date, horizon: float = 365.0) -> dict[str, Any]:
    """summary + BG/NBD + Gamma-Gamma + scores with crm_logic; seconds per step."""
    t: dict[str, Any] = {}
    summary, t["summary"] = _timed(lambda: seg.customer_summary(orders, as_of))
    m = summary.filter(pl.col("occasions") > 0)
    x = m["frequency"].to_numpy().astype(float)
    t_x = m["recency_days"].to_numpy().astype(float)
    tt = m["T_days"].to_numpy().astype(float)
    mon = m["monetary_value"].fill_null(np.nan).to_numpy()
    bg, t["fit_bgnbd"] = _timed(lambda: models.fit_bgnbd(x, t_x, tt))
    gg, t["fit_gamma_gamma"] = _timed(lambda: models.fit_gamma_gamma(x, mon))

    def scores() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return (models.bgnbd_p_alive(bg, x, t_x, tt),
                models.bgnbd_expected_purchases(bg, horizon, x, t_x, tt),
                models.gg_expected_spend(gg, x, mon))

    _, t["scores"] = _timed(scores)
    t["total"] = t["summary"] + t["fit_bgnbd"] + t["fit_gamma_gamma"] + t["scores"]
    t["customers"] = summary.height
    t["bg"], t["gg"] = bg, gg
    return t


def with_lifetimes(orders: pl.DataFrame, as_of: dt.date, horizon: float = 365.0) -> dict[str, Any]:
    """The same job in lifetimes 0.11.3 (pandas summary, BetaGeoFitter, GammaGammaFitter)."""
    from lifetimes import BetaGeoFitter, GammaGammaFitter
    from lifetimes.utils import summary_data_from_transaction_data

    t: dict[str, Any] = {}
    pdf = orders.select("customer_id", "order_date", "amount").to_pandas()
    s, t["summary"] = _timed(lambda: summary_data_from_transaction_data(
        pdf, "customer_id", "order_date", monetary_value_col="amount",
        observation_period_end=as_of.isoformat(), freq="D"))
    from lifetimes.utils import ConvergenceError

    t["notes"] = []

    def fit_with_retry(make: Callable[[float], Any], args: tuple, name: str) -> tuple[Any, float]:
        """lifetimes' own advice on ConvergenceError: retry with a penalizer (time both)."""
        spent = 0.0
        for pen in (0.0, 0.001, 0.01, 0.1):
            fitter = make(pen)
            try:
                _, sec = _timed(lambda f=fitter: f.fit(*args))
                spent += sec
                if pen:
                    t["notes"].append(f"{name}: converged with penalizer_coef={pen}")
                return fitter, spent
            except ConvergenceError:
                t0 = time.perf_counter()
                t["notes"].append(f"{name}: ConvergenceError with penalizer_coef={pen}")
                spent += time.perf_counter() - t0
        raise RuntimeError(f"lifetimes {name} did not converge")

    # time the failed attempts too: that is what a user of lifetimes waits for
    def timed_fit(make: Callable[[float], Any], args: tuple, name: str) -> tuple[Any, float]:
        t0 = time.perf_counter()
        fitter, _ = fit_with_retry(make, args, name)
        return fitter, time.perf_counter() - t0

    bgf, t["fit_bgnbd"] = timed_fit(lambda pen: BetaGeoFitter(penalizer_coef=pen),
                                    (s["frequency"], s["recency"], s["T"]), "BG/NBD")
    rep = s[(s["frequency"] > 0) & (s["monetary_value"] > 0)]
    ggf, t["fit_gamma_gamma"] = timed_fit(lambda pen: GammaGammaFitter(penalizer_coef=pen),
                                          (rep["frequency"], rep["monetary_value"]),
                                          "Gamma-Gamma")

    def scores() -> None:
        bgf.conditional_probability_alive(s["frequency"], s["recency"], s["T"])
        bgf.conditional_expected_number_of_purchases_up_to_time(horizon, s["frequency"],
                                                                 s["recency"], s["T"])
        ggf.conditional_expected_average_profit(rep["frequency"], rep["monetary_value"])

    _, t["scores"] = _timed(scores)
    t["total"] = t["summary"] + t["fit_bgnbd"] + t["fit_gamma_gamma"] + t["scores"]
    t["customers"] = len(s)
    t["bg"] = dict(bgf.params_)
    t["gg"] = dict(ggf.params_)
    return t


def _fastest(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Per step, the fastest of the runs (the others were slowed by other work)."""
    best = dict(runs[0])
    for step in ("summary", "fit_bgnbd", "fit_gamma_gamma", "scores"):
        best[step] = min(r[step] for r in runs)
    best["total"] = min(r["total"] for r in runs)
    best["runs"] = len(runs)
    return best


def fit_times(name: str, orders: pl.DataFrame, as_of: dt.date) -> None:
    """value_table end to end (summary, three fits, value, tiers, RFM) on one data set."""
    data = CrmData(empty_frame("customers"), orders, empty_frame("complaints"),
                   empty_frame("interactions"))
    summary = seg.customer_summary(orders, as_of)
    fits, t_fit = _timed(lambda: seg.fit_models(summary))
    (table, _), t_all = _timed(lambda: seg.value_table(data, CrmConfig(), as_of))
    bg, gg = fits.bgnbd, fits.gamma_gamma
    print(f"| {name} | {orders.height:,} | {table.height:,} | {t_fit:.2f} | {t_all:.2f} | "
          f"{'yes' if bg and bg.converged else 'no'} / {'yes' if gg and gg.converged else 'no'} |"
          f" {'; '.join(fits.warnings) or '-'} |")


def _online_retail() -> pl.DataFrame | None:
    if not ONLINE_RETAIL.exists():
        return None
    raw = pl.read_parquet(ONLINE_RETAIL)
    o = raw.select(
        pl.col("CustomerID").cast(pl.Int64, strict=False).cast(pl.String).alias("customer_id"),
        pl.col("InvoiceDate").str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
        .alias("order_date"),
        (pl.col("Quantity") * pl.col("UnitPrice")).cast(pl.Float64).alias("amount"),
        pl.col("InvoiceNo").cast(pl.String).alias("order_id"),
    )
    return pl.concat([empty_frame("orders"), o], how="diagonal_relaxed")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--customers", type=int, default=200_000)
    ap.add_argument("--lines", type=int, default=2_000_000)
    ap.add_argument("--repeat", type=int, default=5,
                    help="runs per implementation; the fastest counts (the machine is shared)")
    ap.add_argument("--no-lifetimes", action="store_true")
    ap.add_argument("--no-extra", action="store_true", help="skip sample / online retail")
    args = ap.parse_args()
    warnings.simplefilter("default")  # show every warning, hide none

    orders, t_gen = _timed(lambda: synthetic_orders(args.customers, args.lines))
    print(f"synthetic data: {orders.height:,} lines, "
          f"{orders['customer_id'].n_unique():,} customers ({t_gen:.1f} s to generate)\n")
    ours(orders.head(10_000), AS_OF)  # warm-up: imports (scipy.optimize), polars pools
    # the two implementations take turns, so a busy spell on the shared machine slows both
    runs_a: list[dict[str, Any]] = []
    runs_b: list[dict[str, Any]] = []
    caught_a: list[warnings.WarningMessage] = []
    caught_b: list[warnings.WarningMessage] = []
    for _ in range(args.repeat):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")  # counted and summarised below, not hidden
            runs_a.append(ours(orders, AS_OF))
        caught_a += caught
        if not args.no_lifetimes:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                runs_b.append(with_lifetimes(orders, AS_OF))
            caught_b += caught
    a = _fastest(runs_a)
    a["warnings"] = caught_a
    rows = [("crm_logic", a)]
    if runs_b:
        b = _fastest(runs_b)
        b["warnings"] = caught_b
        b["notes"] = sorted({n for r in runs_b for n in r["notes"]})
        rows.append(("lifetimes 0.11.3", b))
    print(f"fastest of {args.repeat} runs per step (total: fastest whole run), the two "
          f"implementations taking turns; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores\n")
    print("| implementation | customers | summary s | BG/NBD fit s | Gamma-Gamma fit s | "
          "scores s | total s | warnings |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in rows:
        print(f"| {name} | {r['customers']:,} | {r['summary']:.2f} | {r['fit_bgnbd']:.2f} | "
              f"{r['fit_gamma_gamma']:.2f} | {r['scores']:.2f} | {r['total']:.2f} | "
              f"{len(r['warnings'])} |")
    for name, r in rows:
        kinds = sorted({f"{w.category.__name__}: {str(w.message).splitlines()[0][:70]}"
                        for w in r["warnings"]})
        for k in kinds:
            print(f"  {name} warning: {k}")
        for note in r.get("notes", []):
            print(f"  {name}: {note}")
    if len(rows) == 2:
        b = rows[1][1]
        fits_b = b["fit_bgnbd"] + b["fit_gamma_gamma"]
        fits_a = a["fit_bgnbd"] + a["fit_gamma_gamma"]
        print(f"\nspeed-up (total): {b['total'] / a['total']:.1f}x; "
              f"fits only: {fits_b / fits_a:.1f}x")
    shuffled = orders.sample(fraction=1.0, shuffle=True, seed=1)
    t_shuffled = min(_timed(lambda: seg.customer_summary(shuffled, AS_OF))[1] for _ in range(3))
    print(f"the lines come as the store reads them (by customer, then date); the summary of "
          f"the same lines in random order (hash plan): {t_shuffled:.2f} s")
    bg = a["bg"]
    print(f"true BG/NBD {TRUE_BG}; ours r={bg.r:.4f} alpha={bg.alpha:.3f} a={bg.a:.4f} "
          f"b={bg.b:.4f} converged={bg.converged}")
    if len(rows) == 2:
        b = rows[1][1]
        print(f"BG/NBD ours r={bg.r:.4f} alpha={bg.alpha:.3f} a={bg.a:.4f} b={bg.b:.4f}; "
              f"lifetimes {', '.join(f'{k}={v:.4f}' for k, v in b['bg'].items())}")
        gg = a["gg"]
        print(f"Gamma-Gamma ours p={gg.p:.4f} q={gg.q:.4f} gamma={gg.gamma:.3f}; "
              f"lifetimes {', '.join(f'{k}={v:.4f}' for k, v in b['gg'].items())}")
    if args.no_extra:
        return
    print("\n| data set | order lines | customers | three fits s | value_table s | "
          "converged BG / GG | warnings |")
    print("|---|---:|---:|---:|---:|---|---|")
    from crm_logic.sample import generate

    sample = generate(n_customers=20_000, seed=7)["orders"]
    fit_times("sample (20,000 customers)", sample, sample["order_date"].max())
    retail = _online_retail()
    if retail is not None:
        fit_times("UCI Online Retail", retail, retail["order_date"].max())
    fit_times(f"synthetic {args.lines:,} lines", orders, AS_OF)


if __name__ == "__main__":
    main()
