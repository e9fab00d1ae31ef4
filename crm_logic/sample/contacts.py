"""Complaints and interactions of the sample (part of `crm_logic.sample`).

Complaints follow the domain's causes (a bad first order, trouble before churn, background
noise, anonymous ones) with handling, satisfaction and every contract field; interactions are
routine contacts, referrals, complaint follow-ups and win-back attempts. Together because the
follow-ups are drawn from the complaint rows.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from crm_logic.sample.draws import _choice, _choice_rows, _dates, _ids, _ints, _strings
from crm_logic.sample.tables import (
    _CAT_BACKGROUND,
    _CAT_BY_GROUP,
    _CATEGORIES,
    _CHANNEL_WEIGHTS_GOOD,
    _CHANNEL_WEIGHTS_POOR,
    _COMPLAINT_CATEGORIES,
    _COMPLAINT_CHANNELS,
    _DESCRIPTION_TAILS,
    _DESCRIPTIONS,
    _INTERACTION_CHANNELS,
    _N_PRODUCTS,
    _RESOLUTION_BY_CATEGORY,
    _RESOLUTIONS,
    CATALOGUE,
    DECL,
    EA,
    EX,
    EXPL,
    FORM,
    LT,
    MA,
    STAB,
)


def _handling(rng: np.random.Generator, received: np.ndarray, poor: np.ndarray,
              end_day: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Status code (0 open, 1 in progress, 2 resolved), resolved day, satisfaction (NaN)."""
    m = len(received)
    never = poor & (rng.random(m) < 0.4)
    days = np.where(poor, np.ceil(rng.lognormal(np.log(15.0), 0.6, m)),
                    np.ceil(rng.lognormal(np.log(2.5), 0.6, m))).astype(np.int64)
    resolved_day = received + days
    resolved = ~never & (resolved_day <= end_day)
    fresh = received >= end_day - 3
    status = np.where(resolved, 2, np.where(fresh | (rng.random(m) < 0.55), 0, 1))
    on_time = days <= 7
    sat_good = _choice(rng, [0.0, 0.05, 0.15, 0.4, 0.4], m) + 1
    sat_late = _choice(rng, [0.3, 0.35, 0.25, 0.08, 0.02], m) + 1
    satisfaction = np.where(on_time, sat_good, sat_late).astype(float)
    satisfaction[~resolved | (rng.random(m) < 0.12)] = np.nan
    return status, np.where(resolved, resolved_day, -1), satisfaction


def _complaints(rng: np.random.Generator, g: np.ndarray, first_buy: np.ndarray,
                last_buy: np.ndarray, customers: pl.DataFrame, primary_cat: np.ndarray,
                end_day: int, start_day: int) -> tuple[pl.DataFrame, np.ndarray, np.ndarray]:
    """Complaints: a bad first order, trouble before churn, background noise, anonymous ones.

    Returns the frame plus the customer index (-1 anonymous) and received day of each row.
    """
    n = len(g)
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []

    def add(cust: np.ndarray, day: np.ndarray, cat_w: np.ndarray, p_poor: float) -> None:
        cat = _choice(rng, cat_w, len(cust))
        parts.append((cust, np.minimum(day, end_day), cat, rng.random(len(cust)) < p_poor))

    ea = np.nonzero((g == EA) & (rng.random(n) < 0.5))[0]  # a bad first order
    add(ea, first_buy[ea] + _ints(rng, 1, 20, len(ea)), _CAT_BY_GROUP[EA], 0.9)
    for grp, share in ((MA, 0.4), (EX, 0.4), (LT, 0.35)):  # trouble before the end
        c = np.nonzero((g == grp) & (rng.random(n) < share))[0]
        day = np.maximum(first_buy[c], last_buy[c] - _ints(rng, 0, 90, len(c)))
        add(c, day, _CAT_BY_GROUP[grp], 0.85)
    c = np.nonzero((g == DECL) & (rng.random(n) < 0.3))[0]
    add(c, np.maximum(first_buy[c], end_day - _ints(rng, 0, 150, len(c))), _CAT_BY_GROUP[DECL],
        0.5)
    months = (last_buy - first_buy) / 30.44
    k = rng.poisson(0.025 * months + 0.02)
    c = np.repeat(np.arange(n), k)
    hi = np.minimum(last_buy[c] + 30, end_day)
    add(c, _ints(rng, first_buy[c], hi, len(c)), _CAT_BACKGROUND, 0.12)
    n_anon = max(1, sum(len(p[0]) for p in parts) // 100)
    add(np.full(n_anon, -1), _ints(rng, start_day, end_day, n_anon), _CAT_BACKGROUND, 0.3)

    cust, received, cat, poor = (np.concatenate(x) for x in zip(*parts, strict=True))
    order = np.lexsort((cust, received))
    cust, received, cat, poor = cust[order], received[order], cat[order], poor[order]
    m = len(cust)
    status, resolved_day, satisfaction = _handling(rng, received, poor, end_day)
    known = cust >= 0
    safe = np.where(known, cust, 0)
    pcat = np.where(known, primary_cat[safe], _ints(rng, 0, len(_CATEGORIES) - 1, m))
    prod = pcat * _N_PRODUCTS + _ints(rng, 0, _N_PRODUCTS - 1, m)
    names = [name for c in _CATEGORIES for name, _ in CATALOGUE[c]]
    n_tpl = len(next(iter(_DESCRIPTIONS.values())))
    tpl = cat * n_tpl + _ints(rng, 0, n_tpl - 1, m)
    before = [b for c in _COMPLAINT_CATEGORIES for b, _ in _DESCRIPTIONS[c]]
    after = [a for c in _COMPLAINT_CATEGORIES for _, a in _DESCRIPTIONS[c]]
    tails = [""] + _DESCRIPTION_TAILS
    tail = np.where(rng.random(m) < 0.2, _ints(rng, 1, len(tails) - 1, m), 0)
    product = _strings(names, prod)
    description = pl.select(
        pl.lit(_strings(before, tpl)) + pl.lit(product) + pl.lit(_strings(after, tpl))
        + pl.lit(_strings(tails, tail))).to_series()
    channel = _choice_rows(rng, np.where(poor[:, None], _CHANNEL_WEIGHTS_POOR[None, :],
                                         _CHANNEL_WEIGHTS_GOOD[None, :]))
    reps = customers["sales_rep"].gather(safe).set(pl.Series(~known), None)
    reasonable = rng.random(m) < np.where(poor, 0.72, 0.88)
    df = pl.DataFrame({
        "complaint_id": _ids("CP", np.arange(1, m + 1), 6),
        "received_date": _dates(received),
        "customer_id": customers["customer_id"].gather(safe).set(pl.Series(~known), None),
        "product": product,
        "category": _strings(_COMPLAINT_CATEGORIES, cat),
        "description": description,
        "sales_rep": reps,
        "channel": _strings(_COMPLAINT_CHANNELS, channel),
        "desired_resolution": _strings(_RESOLUTIONS, _choice_rows(rng,
                                                                  _RESOLUTION_BY_CATEGORY[cat])),
        "reasonable": reasonable,
        "status": _strings(["open", "in_progress", "resolved"], status),
        "resolved_date": _dates(np.where(resolved_day >= 0, resolved_day, 0)).set(
            pl.Series(resolved_day < 0), None),
        "satisfaction": pl.Series(satisfaction).fill_nan(None),
        # answered within 15 days (as complaint exports' "Timely response?"); open: unknown
        "timely_response": pl.Series(resolved_day - received <= 15).set(
            pl.Series(resolved_day < 0), None),
    })
    return df, cust, received


def _interactions(rng: np.random.Generator, g: np.ndarray, ph: dict[str, np.ndarray],
                  first_buy: np.ndarray, last_buy: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                  comp_cust: np.ndarray, comp_day: np.ndarray, end_day: int,
                  start_day: int) -> pl.DataFrame:
    """Contacts: routine ones, referrals from stable customers, complaint follow-ups, win-backs."""
    n = len(g)
    parts: list[tuple[np.ndarray, ...]] = []  # cust, day, channel, inbound, outcome
    outcomes = ["info", "offer_accepted", "offer_declined", "referral", "complaint_followup"]

    # Routine contacts while the relationship runs; declining ones decline offers more.
    months = (last_buy - first_buy) / 30.44
    k = rng.poisson(0.25 * months + 0.3)
    c = np.repeat(np.arange(n), k)
    day = _ints(rng, np.maximum(first_buy[c] - 10, start_day),
                np.minimum(last_buy[c] + 20, end_day), len(c))
    out_w = np.tile([0.6, 0.25, 0.15, 0.0, 0.0], (len(c), 1))
    out_w[g[c] == DECL] = [0.5, 0.12, 0.38, 0.0, 0.0]
    out_w[g[c] == EA] = [0.7, 0.05, 0.25, 0.0, 0.0]
    out_w[np.isin(g[c], [FORM, MA])] = [0.5, 0.38, 0.12, 0.0, 0.0]
    parts.append((c, day, _choice(rng, [0.3, 0.35, 0.15, 0.1, 0.1], len(c)),
                  rng.random(len(c)) < 0.4, _choice_rows(rng, out_w)))

    # Referrals: stable relationships bring in new customers (not yet in formation).
    lam = np.where(np.isin(g, [LT, STAB]), ph["plateau"] / 12.0 + 0.3, 0.0)
    lam = np.where(g == EX, 0.15, lam)
    k = rng.poisson(lam)
    c = np.repeat(np.arange(n), k)
    p_from = np.minimum(ph["acq"][c] + ph["rise"][c] + 1, len(lo) - 1)
    p_to = np.minimum(ph["acq"][c] + ph["rise"][c] + np.maximum(ph["plateau"][c], 1), len(lo) - 1)
    day = np.minimum(_ints(rng, lo[p_from], hi[p_to], len(c)), end_day)
    parts.append((c, day, _choice(rng, [0.3, 0.5, 0.0, 0.2, 0.0], len(c)),
                  np.ones(len(c), bool), np.full(len(c), 3)))

    # Follow-ups on complaints.
    sel = (comp_cust >= 0) & (rng.random(len(comp_cust)) < 0.7)
    c = comp_cust[sel]
    day = np.minimum(comp_day[sel] + _ints(rng, 0, 5, len(c)), end_day)
    parts.append((c, day, _choice(rng, [0.6, 0.3, 0.1, 0.0, 0.0], len(c)),
                  np.zeros(len(c), bool), np.full(len(c), 4)))

    # Win-back attempts after a churned customer's last purchase, mostly declined.
    day_all = last_buy + _ints(rng, 30, 150, n)
    c = np.nonzero((g < EXPL) & (rng.random(n) < 0.35) & (day_all <= end_day))[0]
    parts.append((c, day_all[c], _choice(rng, [0.5, 0.25, 0.0, 0.0, 0.25], len(c)),
                  np.zeros(len(c), bool), np.where(rng.random(len(c)) < 0.8, 2, 0)))

    cust, day, chan, inbound, outcome = (np.concatenate(x) for x in zip(*parts, strict=True))
    order = np.lexsort((cust, day))
    cust, day, chan, inbound, outcome = (x[order] for x in (cust, day, chan, inbound, outcome))
    return pl.DataFrame({
        "customer_id": _ids("C", cust + 1, 6),
        "interaction_date": _dates(day),
        "channel": _strings(_INTERACTION_CHANNELS, chan),
        "direction": _strings(["outbound", "inbound"], inbound.astype(np.int64)),
        "outcome": _strings(outcomes, outcome),
    }).unique(maintain_order=True)  # two identical contacts on a day are one
