"""Customer master data of the sample (part of `crm_logic.sample`).

Chinese (and a few English) names with the quirks of a real export, e-mail addresses, phone
numbers, signup dates, acquisition channels, regions, industries, sales reps and the churn
record (date, reason, active or passive). Split out of the former single module: one table,
one module.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from crm_logic import store
from crm_logic.sample.draws import _choice, _choice_rows, _dates, _ids, _ints, _strings
from crm_logic.sample.tables import (
    _ACQ_CHANNEL_WEIGHTS,
    _ACQ_CHANNELS,
    _EMAIL_DOMAIN_WEIGHTS,
    _EMAIL_DOMAINS,
    _ENGLISH_NAMES,
    _GIVEN,
    _INDUSTRIES,
    _PASSIVE_BY_REASON,
    _REASON_WEIGHTS,
    _REASONS,
    _REGION_WEIGHTS,
    _REGIONS,
    _SALES_REPS,
    _SURNAME_WEIGHTS,
    _SURNAMES,
    CHURN_RECORD_SHARE,
    EA,
    EX,
    LT,
    MA,
    STAB,
)


def _customers(rng: np.random.Generator, g: np.ndarray, first_buy: np.ndarray,
               last_buy: np.ndarray, churned: np.ndarray, end_day: int,
               start_day: int) -> pl.DataFrame:
    """Customer master data: Chinese names, contacts, signup, channel, region, churn record."""
    n = len(g)
    sur = _choice(rng, _SURNAME_WEIGHTS, n)
    g1 = _ints(rng, 0, len(_GIVEN) - 1, n)
    g2 = _ints(rng, 0, len(_GIVEN) - 1, n)
    single = np.array([len(s) == 1 for s, _ in _GIVEN])
    two = (rng.random(n) < 0.65) & single[g1] & single[g2]  # given names of 1-2 characters
    sur_s = _strings([s for s, _ in _SURNAMES], sur)
    sur_py = _strings([p for _, p in _SURNAMES], sur)
    g1_s, g1_py = _strings([s for s, _ in _GIVEN], g1), _strings([p for _, p in _GIVEN], g1)
    g2_s = _strings([s for s, _ in _GIVEN], g2).set(pl.Series(~two), "")
    g2_py = _strings([p for _, p in _GIVEN], g2).set(pl.Series(~two), "")
    english = rng.random(n) < 0.012
    en_idx = _ints(rng, 0, len(_ENGLISH_NAMES) - 1, n)
    en_name = _strings(_ENGLISH_NAMES, en_idx)
    digits = pl.Series(_ints(rng, 1, 999, n)).cast(pl.String).set(
        pl.Series(rng.random(n) < 0.4), "")
    domain = _strings(_EMAIL_DOMAINS, _choice(rng, _EMAIL_DOMAIN_WEIGHTS, n))
    prefix2 = _strings(["13", "15", "18"], _choice(rng, [0.45, 0.3, 0.25], n))
    phone_rest = pl.Series(_ints(rng, 0, 999_999_999, n)).cast(pl.String).str.zfill(9)

    df = pl.DataFrame({
        "customer_id": _ids("C", np.arange(1, n + 1), 6),
        "sur": sur_s, "g1": g1_s, "g2": g2_s, "sur_py": sur_py, "g1_py": g1_py,
        "g2_py": g2_py, "en": en_name, "english": english, "digits": digits, "domain": domain,
        "p2": prefix2, "p9": phone_rest,
    }).with_columns(
        pl.when(pl.col("english")).then(pl.col("en"))
        .otherwise(pl.col("sur") + pl.col("g1") + pl.col("g2")).alias("name"),
        pl.when(pl.col("english"))
        .then(pl.col("en").str.to_lowercase().str.replace_all(r"[^a-z]", "."))
        .otherwise(pl.col("sur_py") + pl.col("g1_py") + pl.col("g2_py"))
        .add(pl.col("digits")).add(pl.lit("@")).add(pl.col("domain")).alias("email"),
        (pl.col("p2") + pl.col("p9")).alias("phone"),
    )
    # A real export's quirks: formula-like names and doubled spaces (all still valid rows).
    odd = rng.permutation(n)[: min(n, 9)]
    name = df["name"].to_list()
    for i, pos in enumerate(odd):  # at most nine rows
        nm = name[pos]
        if i < 3:
            name[pos] = "=" + nm
        elif i < 5:
            name[pos] = "+" + nm
        elif i < 7:
            name[pos] = nm[0] + "  " + nm[1:] if " " not in nm else nm.replace(" ", "  ")
        else:
            name[pos] = nm + " "
    email = df["email"].set(pl.Series(rng.random(n) < 0.12), None)
    phone = df["phone"].set(pl.Series(rng.random(n) < 0.05), None)

    signup = np.maximum(start_day, first_buy - _ints(rng, 0, 45, n))
    chan_w = np.tile(_ACQ_CHANNEL_WEIGHTS, (n, 1))
    chan_w[np.isin(g, [LT, STAB]), 2] *= 2.0  # loyal customers more often came by referral
    industry = _strings(_INDUSTRIES, _ints(rng, 0, len(_INDUSTRIES) - 1, n)).set(
        pl.Series(rng.random(n) < 0.25), None)
    rep = _strings(_SALES_REPS, _ints(rng, 0, len(_SALES_REPS) - 1, n)).set(
        pl.Series(rng.random(n) < 0.03), None)

    record = churned & (rng.random(n) < CHURN_RECORD_SHARE)
    weights = np.zeros((n, len(_REASONS)))
    for grp in (EA, MA, EX, LT):  # one loop per pattern
        weights[g == grp] = _REASON_WEIGHTS[grp]
    weights[~churned] = 1.0
    reason = _choice_rows(rng, weights)
    passive = rng.random(n) < _PASSIVE_BY_REASON[reason]
    churn_day = np.minimum(last_buy + _ints(rng, 14, 120, n), end_day)
    no_record = pl.Series(~record)
    return pl.DataFrame({
        "customer_id": df["customer_id"],
        "name": pl.Series(name, dtype=pl.String),
        "email": email,
        "phone": phone,
        "signup_date": _dates(signup),
        "channel": _strings(_ACQ_CHANNELS, _choice_rows(rng, chan_w)),
        "region": _strings(_REGIONS, _choice(rng, _REGION_WEIGHTS, n)),
        "industry": industry,
        "sales_rep": rep,
        "churn_date": _dates(churn_day).set(no_record, None),
        "churn_reason": _strings(_REASONS, reason).set(no_record, None),
        "churn_type": _strings(list(store.CHURN_TYPES), passive.astype(np.int64)).set(
            no_record, None),
    })
