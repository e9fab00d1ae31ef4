"""Benchmark of the value job: customer summary + BG/NBD + Gamma-Gamma fits + per-customer scores.

Runs our implementation (crm_logic.segmentation / crm_logic.models) and, in the same process
on the same transactions, the same job in lifetimes 0.11.3 (summary_data_from_transaction_data,
BetaGeoFitter, GammaGammaFitter, P(alive), expected purchases, expected spend). Prints a table.

Also times the fits on the other data sets the issue names: the bundled sample, the UCI
Online Retail file (../shared/data/online_retail/) and the synthetic 2,000,000 lines.

    .venv/bin/python scripts/benchmark_value.py [--customers 200000] [--lines 2000000]
                                                [--no-lifetimes] [--no-extra]
"""

from __future__ import annotations

import argparse
import datetime as dt
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


def synthetic_orders(n_customers: int, n_lines: int, seed: int = 42) -> pl.DataFrame:
    """Exactly `n_lines` order lines of `n_customers` buyers, drawn from a BG/NBD-like process:
    purchase rate ~ Gamma, dropout after each purchase ~ Beta, 1-4 lines per occasion,
    spend ~ Gamma-Gamma, 2% refund lines. Vectorised (no loop per customer)."""
    rng = np.random.default_rng(seed)
    span = (AS_OF - START).days
    first = rng.integers(0, span - 1, n_customers)
    lam = rng.gamma(0.9, 1 / 25.0, n_customers)  # purchases per day
    p_drop = rng.beta(0.8, 6.0, n_customers)
    # occasions: geometric number of purchases before dropout, capped by the window
    k = rng.geometric(np.clip(p_drop, 1e-3, 1.0)) - 1
    window = span - first
    k = np.minimum(k, rng.poisson(lam * window))
    occ_cust = np.repeat(np.arange(n_customers), k + 1)
    offs = np.zeros(occ_cust.size, dtype=np.int64)
    repeat = np.ones(occ_cust.size, dtype=bool)
    starts = np.concatenate([[0], np.cumsum(k + 1)[:-1]])
    repeat[starts] = False
    offs[repeat] = (rng.random(int(repeat.sum())) * window[occ_cust[repeat]]).astype(np.int64)
    day = first[occ_cust] + offs
    # every occasion gets one line; the remaining lines go to random occasions (1-4 typical)
    n_occ = occ_cust.size
    if n_occ > n_lines:  # too many occasions for the line budget: keep the first ones
        n_occ = n_lines
        occ_cust, day = occ_cust[:n_lines], day[:n_lines]
    extra = rng.integers(0, n_occ, n_lines - n_occ)
    line_occ = np.sort(np.concatenate([np.arange(n_occ), extra]))
    nu = rng.gamma(4.0, 1 / 0.1, n_customers)  # customer's spend scale
    amount = rng.gamma(3.0, nu[occ_cust[line_occ]] / 3.0 / 2.5)
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
    bgf = BetaGeoFitter()
    _, t["fit_bgnbd"] = _timed(lambda: bgf.fit(s["frequency"], s["recency"], s["T"]))
    rep = s[(s["frequency"] > 0) & (s["monetary_value"] > 0)]
    ggf = GammaGammaFitter()
    _, t["fit_gamma_gamma"] = _timed(lambda: ggf.fit(rep["frequency"], rep["monetary_value"]))

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
    ap.add_argument("--no-lifetimes", action="store_true")
    ap.add_argument("--no-extra", action="store_true", help="skip sample / online retail")
    args = ap.parse_args()
    warnings.simplefilter("default")  # show every warning, hide none

    orders, t_gen = _timed(lambda: synthetic_orders(args.customers, args.lines))
    print(f"synthetic data: {orders.height:,} lines, "
          f"{orders['customer_id'].n_unique():,} customers ({t_gen:.1f} s to generate)\n")
    ours(orders.head(10_000), AS_OF)  # warm-up: imports (scipy.optimize), polars pools
    a = ours(orders, AS_OF)
    rows = [("crm_logic", a)]
    if not args.no_lifetimes:
        rows.append(("lifetimes 0.11.3", with_lifetimes(orders, AS_OF)))
    print("| implementation | customers | summary s | BG/NBD fit s | Gamma-Gamma fit s | "
          "scores s | total s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, r in rows:
        print(f"| {name} | {r['customers']:,} | {r['summary']:.2f} | {r['fit_bgnbd']:.2f} | "
              f"{r['fit_gamma_gamma']:.2f} | {r['scores']:.2f} | {r['total']:.2f} |")
    if len(rows) == 2:
        b = rows[1][1]
        fits_b = b["fit_bgnbd"] + b["fit_gamma_gamma"]
        fits_a = a["fit_bgnbd"] + a["fit_gamma_gamma"]
        print(f"\nspeed-up (total): {b['total'] / a['total']:.1f}x; "
              f"fits only: {fits_b / fits_a:.1f}x")
        bg = a["bg"]
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
