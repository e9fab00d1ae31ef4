"""`generate`: the sample data set assembled, and written to CSV or loaded into the store.

Draws the customers' groups and life curves, turns them into a monthly grid of purchase
occasions (plus trials, spikes and re-trials from `crm_logic.sample_cases`), then calls the
table builders (orders, customers, contacts) and `crm_logic.sample_prospects`. The draw order
on the one random stream is what makes a seed reproducible, so it lives in this one function.
Part of `crm_logic.sample`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from crm_logic import sample_cases as cases
from crm_logic import sample_prospects, store
from crm_logic.sample.contacts import _complaints, _interactions
from crm_logic.sample.curves import _curve, _group_of, _phases
from crm_logic.sample.customers import _customers
from crm_logic.sample.draws import _choice, _day, _ints, _month_grid, _strings, _years_before
from crm_logic.sample.orders import _orders
from crm_logic.sample.tables import DECL, EA, EXPL, FORM, GROUPS, LT, MA, STAB


def generate(n_customers: int = 20_000, seed: int = 7, end_date: dt.date = dt.date(2026, 6, 18),
             years: int = 4) -> dict[str, pl.DataFrame]:
    """The synthetic data set: customers, orders, complaints, interactions (canonical schema)
    and truth (customer_id, pattern, churned, stage, case). Deterministic for a seed. The
    default end date leaves the last month partial (18 of 30 days), as real data does."""
    if n_customers < 1:
        raise ValueError("n_customers must be at least 1")
    if years < 3:
        raise ValueError("years must be at least 3 (long-term customers need the time)")
    rng = np.random.default_rng(seed)
    start = _years_before(end_date, years) + dt.timedelta(days=1)
    lo, hi, season = _month_grid(start, end_date)
    n_months = len(lo)
    end_day = _day(end_date)
    n = n_customers

    g = _group_of(rng, n)
    ph = _phases(rng, g, n_months)
    churned = g < EXPL
    # hard cases from their own stream: the plain customers' draws stay as they were
    rng_cases = np.random.default_rng([seed, 17])
    case = cases.pick(rng_cases, g)
    cases.shift_before_data(rng_cases, ph, g, case, n_months)
    cases.settle_rhythm(rng_cases, ph, case, n_months)
    before = case == cases.BEFORE_DATA

    # Per-customer rhythm and spend: frequency at peak and a heavy-tailed basket.
    rate = np.clip(rng.lognormal(np.log(2.0), 0.4, n), 1.2, 7.0)
    basket = np.maximum(rng.lognormal(np.log(230.0), 0.75, n), 50.0)
    whale = rng.random(n) < 0.04
    basket = np.where(whale, basket * rng.uniform(3, 12, n), basket)
    primary_cat = _choice(rng, [1.2, 1.0, 1.0, 1.1, 1.1, 0.7], n)
    cross_buyer = np.isin(g, [LT, STAB]) | ((g == DECL) & (rng.random(n) < 0.6))

    # Acquisition (first purchase) day.
    acq_month = np.clip(ph["acq"], 0, n_months - 1)
    acq_day = _ints(rng, lo[acq_month], hi[acq_month], n)
    acq_day = np.where(g == EXPL, end_day - _ints(rng, 3, 80, n), acq_day)
    acq_day = np.where(before, _day(start) - 1, acq_day)  # trials before the data: unseen

    # --- monthly grid of purchase occasions ---
    t = np.arange(n_months)[None, :] - ph["acq"][:, None]
    t = np.where(g[:, None] == EXPL, -1, t)
    curve = _curve(ph, t.astype(float))
    noise = rng.lognormal(0.0, 0.1, curve.shape)
    lam = rate[:, None] * curve * season[None, :] * noise
    # Systematic sampling of the cumulative volume: customers keep a rhythm, so a month holds
    # floor or ceil of its expected count and the monthly series follows the curve closely.
    cum = np.cumsum(lam, axis=1)
    phase = rng.random((n, 1))
    counts = (np.floor(cum + phase) - np.floor(cum - lam + phase)).astype(np.int64)
    last_t = ph["span"][:, None]
    # Mid-term aborts are lost at the top of their rise: they buy in its last two months.
    counts = np.where((g[:, None] == MA) & (t >= last_t - 1) & (t <= last_t),
                      np.maximum(counts, 1), counts)
    # Active customers bought recently (relative to their own rhythm).
    active_now = np.isin(g, [FORM, STAB, DECL])[:, None] & (t == last_t)
    counts = np.where(active_now, np.maximum(counts, 1), counts)
    days_in = (hi - lo + 1)[None, :]
    counts = np.minimum(counts, days_in)
    moy = (np.arange(n_months) + (start.month - 1)) % 12  # month of year, 0 = January
    counts = cases.rhythm_counts(counts, case, t, moy)

    cust_m, mon_m = np.nonzero(counts)
    k = counts[cust_m, mon_m]
    occ_c = np.repeat(cust_m, k)
    occ_m = np.repeat(mon_m, k)
    first_idx = np.repeat(np.cumsum(k) - k, k)
    j = np.arange(len(occ_c)) - first_idx
    kk = np.repeat(k, k)
    ndays = hi[occ_m] - lo[occ_m] + 1
    grid_day = lo[occ_m] + np.floor((j + rng.random(len(j))) / kk * ndays).astype(np.int64)
    grid_curve = curve[occ_c, occ_m]
    # A month's spend follows the curve (the customer's need), split over its occasions: the
    # monthly spend series stays smooth while the number of occasions carries the rhythm.
    month_spend = basket[:, None] * lam * (0.3 + 0.7 * curve)
    grid_basket = month_spend[occ_c, occ_m] / kk * rng.lognormal(0, 0.12, len(occ_c))

    # Trial occasions: the first purchase, and for some a second one soon after.
    second = rng.random(n) < np.where(g == EA, 0.45, 0.5)
    gap2 = np.where(g == EA, _ints(rng, 7, 60, n), _ints(rng, 5, 25, n))
    second &= (acq_day + gap2 <= end_day) & ~np.isin(case, [cases.SEASONAL, cases.ANNUAL])
    tr_c = np.concatenate([np.arange(n), np.nonzero(second)[0]])
    tr_day = np.concatenate([acq_day, (acq_day + gap2)[second]])
    tr_curve = ph["c0"][tr_c]
    tr_basket = basket[tr_c] * rng.uniform(0.2, 0.45, len(tr_c))  # trial orders are small

    # one big one-off order (spike cases); early aborts back for a new trial (re-trials)
    sp_c, sp_day, sp_basket = cases.spike_occasions(rng_cases, case, ph, lo, hi, basket,
                                                    n_months)
    last_trial = np.where(second, acq_day + gap2, acq_day)
    rt_c, rt_day, rt_basket, returned = cases.retrial_occasions(rng_cases, case, last_trial,
                                                                end_day, basket)
    occ_cust = np.concatenate([tr_c, occ_c, sp_c, rt_c])
    occ_day = np.concatenate([tr_day, grid_day, sp_day, rt_day])
    occ_curve = np.concatenate([tr_curve, grid_curve, np.ones(len(sp_c)),
                                ph["c0"][rt_c]])
    occ_basket = np.concatenate([tr_basket, grid_basket, sp_basket, rt_basket])
    seen = occ_day >= _day(start)  # trial orders of relationships older than the data
    occ_cust, occ_day, occ_curve, occ_basket = (x[seen] for x in (occ_cust, occ_day,
                                                                   occ_curve, occ_basket))
    churned = churned & ~returned  # a re-trial is an active relationship again
    key = occ_cust * 1_000_000 + (occ_day - _day(start) + 1000)
    _, keep = np.unique(key, return_index=True)  # one occasion per customer and day, sorted
    occ_cust, occ_day, occ_curve, occ_basket = (x[keep] for x in (occ_cust, occ_day, occ_curve,
                                                                  occ_basket))

    first_buy = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(first_buy, occ_cust, occ_day)
    last_buy = np.full(n, np.iinfo(np.int64).min)
    np.maximum.at(last_buy, occ_cust, occ_day)
    in_plateau = occ_curve >= 0.99

    orders = _orders(rng, occ_cust, occ_day, occ_basket, in_plateau, g, primary_cat,
                        cross_buyer, first_buy, end_day)
    customers = _customers(rng, g, first_buy, last_buy, churned, end_day, _day(start))
    complaints, comp_cust, comp_day = _complaints(rng, g, first_buy, last_buy, customers,
                                                  primary_cat, end_day, _day(start))
    interactions = _interactions(rng, g, ph, first_buy, last_buy, lo, hi, comp_cust, comp_day,
                                 end_day, _day(start))

    ids = customers["customer_id"]
    # what can be known: a lost relationship older than the data has no pattern to tell
    # (unless its observed plateau alone is long-term); a re-trial is in exploration
    unknown = before & churned & (g != LT)
    truth = pl.DataFrame({
        "customer_id": ids,
        "pattern": _strings(list(GROUPS), g).set(pl.Series(unknown), "unknown_start")
        .set(pl.Series(~churned), None),
        "churned": churned,
        "stage": _strings(list(GROUPS), g).set(pl.Series(returned), "exploration")
        .set(pl.Series(churned), None),
        "case": _strings(list(cases.CASES), case).set(pl.Series((case == cases.RETRIAL)
                                                                & ~returned), "plain"),
    })
    return {
        "customers": customers.select(store.polars_schema("customers").keys())
        .cast(store.polars_schema("customers")),  # type: ignore[arg-type]
        "orders": orders.cast(store.polars_schema("orders")),  # type: ignore[arg-type]
        "complaints": complaints.cast(store.polars_schema("complaints")),  # type: ignore[arg-type]
        "interactions": interactions.cast(
            store.polars_schema("interactions")),  # type: ignore[arg-type]
        "truth": truth,
        "prospects": sample_prospects.prospects(customers, truth, seed, end_date),
    }


# --- writing and loading ---------------------------------------------------------------------


def summary(data: dict[str, pl.DataFrame]) -> str:
    """One line: row counts and the churned share."""
    truth = data["truth"]
    churned = int(truth["churned"].sum())
    return (f"{data['customers'].height} customers ({churned} churned), "
            f"{data['orders'].height} order lines, {data['complaints'].height} complaints, "
            f"{data['interactions'].height} interactions")


def write_sample(out: Path, n_customers: int = 20_000, seed: int = 7) -> str:
    """Write customers/orders/complaints/interactions/prospects/truth.csv (UTF-8, English
    headers)."""
    data = generate(n_customers=n_customers, seed=seed)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for name, df in data.items():
        df.write_csv(out / f"{name}.csv", date_format="%Y-%m-%d")
    return f"sample written to {out}: {summary(data)}"


def load_sample(con: Any, n_customers: int = 20_000, seed: int = 7) -> str:
    """Generate the sample and load the four tables into the store (replacing their rows)."""
    from crm_logic.ingest import import_frame

    data = generate(n_customers=n_customers, seed=seed)
    loaded = []
    for table in store.TABLES:
        result = import_frame(con, table, data[table], file_name=f"sample:{table}",
                              mode="replace")
        loaded.append(f"{table} {result.rows_loaded}")
    return "sample loaded: " + ", ".join(loaded)
