"""Customers' life curves for the sample generator (part of `crm_logic.sample`).

Each customer's group (a churn pattern or an active stage), its phase lengths (trial, rise,
plateau, decline, lapse) and the share of peak volume in every grid month. Split out of the
former single module because the curve shapes are the domain model of the sample and are
read on their own.
"""

from __future__ import annotations

import numpy as np

from crm_logic.sample.draws import _ints
from crm_logic.sample.tables import (
    DECL,
    EA,
    EX,
    EXPL,
    FORM,
    GROUP_SHARES,
    GROUPS,
    INACTIVE_MONTHS,
    LAPSING_SHARE,
    LT,
    MA,
    STAB,
)


def _group_of(rng: np.random.Generator, n: int) -> np.ndarray:
    """Exact group counts by GROUP_SHARES, shuffled (the remainder goes to stability)."""
    counts = np.floor(np.array(GROUP_SHARES) * n).astype(np.int64)
    counts[STAB] += n - counts.sum()
    groups = np.repeat(np.arange(len(GROUPS)), counts)
    return rng.permutation(groups)


def _phases(rng: np.random.Generator, g: np.ndarray, n_months: int) -> dict[str, np.ndarray]:
    """Per customer: rise/plateau/decline lengths (grid months), acquisition month, curve shape.

    Grid month t = month - acquisition month; t = 0 holds the trial occasions, the rise runs
    t = 1..rise, the plateau the next `plateau` months, the decline the next `decline` months.
    `rise_full` > `rise` for customers still rising at end_date (formation): the curve is cut.
    `lapse`: months without purchases at the end for declining customers drifting away.
    """
    n = len(g)
    rise = np.zeros(n, np.int64)
    rise_full = np.zeros(n, np.int64)
    plateau = np.zeros(n, np.int64)
    decline = np.zeros(n, np.int64)
    last_churn_month = n_months - 1 - INACTIVE_MONTHS  # last grid month a churned one may buy

    m = g == MA
    rise[m] = _ints(rng, 4, 12, m.sum())
    m = g == EX
    rise[m] = _ints(rng, 3, 7, m.sum())
    plateau[m] = _ints(rng, 4, 8, m.sum())
    decline[m] = np.where(rng.random(m.sum()) < 0.4, _ints(rng, 1, 2, m.sum()), 0)
    m = g == LT
    k = int(m.sum())
    rise[m] = _ints(rng, 3, 6, k)
    decline[m] = np.where(rng.random(k) < 0.7, _ints(rng, 3, 7, k), 0)
    plateau[m] = _ints(rng, 18, np.maximum(18, last_churn_month - rise[m] - decline[m]), k)
    m = g == FORM
    rise[m] = _ints(rng, 3, 10, m.sum())
    rise_full[m] = rise[m] + _ints(rng, 1, 4, m.sum())
    m = g == STAB
    k = int(m.sum())
    rise[m] = _ints(rng, 3, 8, k)
    plateau[m] = _ints(rng, 4, np.maximum(4, np.minimum(36, n_months - 2 - rise[m])), k)
    m = g == DECL
    k = int(m.sum())
    rise[m] = _ints(rng, 3, 6, k)
    decline[m] = _ints(rng, 3, 7, k)
    plateau[m] = _ints(rng, 6, np.maximum(6, np.minimum(24, n_months - 6 - rise[m] - decline[m])),
                       k)
    rise_full = np.where(rise_full > 0, rise_full, rise)
    span = rise + plateau + decline  # grid months after the trial month

    churned = g < EXPL
    latest_start = np.where(g == EA, last_churn_month - 2, last_churn_month - span)
    # Declining customers drift away: some have already skipped their last 1-4 months (still
    # too recent to call them lost, but at risk); churn is in progress at any date.
    lapse = np.where((g == DECL) & (rng.random(n) < LAPSING_SHARE), _ints(rng, 1, 4, n), 0)
    acq = np.where(churned, _ints(rng, 0, np.maximum(latest_start, 0), n),
                   n_months - 1 - span - lapse)
    acq = np.clip(acq, 0, n_months - 1)
    # Volume at the start of the rise (share of peak): growth of 20-40% a month up to the peak.
    c0 = np.clip(rng.uniform(1.2, 1.4, n) ** -np.maximum(rise_full, 1), 0.06, 0.3)
    dmin = np.where(g == EX, rng.uniform(0.35, 0.55, n), rng.uniform(0.18, 0.4, n))
    dmin = np.where(g == DECL, rng.uniform(0.25, 0.42, n), dmin)
    return {"rise": rise, "rise_full": rise_full, "plateau": plateau, "decline": decline,
            "span": span, "acq": acq, "c0": c0, "dmin": dmin, "lapse": lapse}


def _curve(ph: dict[str, np.ndarray], t: np.ndarray) -> np.ndarray:
    """Share of peak volume in grid month t (broadcast (n, 1) phases against t)."""
    r = ph["rise"][:, None]
    rf = ph["rise_full"][:, None]
    p = ph["plateau"][:, None]
    d = ph["decline"][:, None]
    c0 = ph["c0"][:, None]
    dmin = ph["dmin"][:, None]
    rising = c0 ** (1.0 - t / np.maximum(rf, 1))  # geometric growth: clearly rising
    falling = dmin ** ((t - r - p) / np.maximum(d, 1))
    return np.select(
        [t <= 0, t <= r, t <= r + p, t <= r + p + d],
        [np.zeros_like(rising), rising, np.ones_like(rising), falling],
        default=0.0,
    )
