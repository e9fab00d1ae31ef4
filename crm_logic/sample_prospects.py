"""Synthetic prospects for the sample data set (`crm_logic.sample.generate` calls `prospects`).

About a third of the prospects converted into customers of the sample (the same person: name,
phone and email are the customer's; registered a few days to two months before the signup).
Sources follow the domain's personal relations (relatives, friends, colleagues,
teacher-student, hometown) plus two other channels; customers who became loyal came more often
through friends and colleagues, trials that ended early more often through ads and events.
MAN answers (money, authority, need): converted prospects nearly always said yes to all three;
the others most often lack purchasing power, then authority. Deterministic for a seed; uses
its own random stream, so the rest of the sample does not change with it.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from crm_logic import store

SOURCES: tuple[str, ...] = ("relatives", "friends", "colleagues", "teacher_student", "hometown",
                            "online", "event")
# source weights: prospects that did not convert, and converted customers by their truth
_OPEN_WEIGHTS = np.array([0.15, 0.22, 0.17, 0.08, 0.12, 0.17, 0.09])
_LOYAL_WEIGHTS = np.array([0.14, 0.30, 0.26, 0.10, 0.08, 0.08, 0.04])  # long-term, stability
_EARLY_WEIGHTS = np.array([0.10, 0.12, 0.08, 0.05, 0.15, 0.30, 0.20])  # early abort, exploration
_OTHER_WEIGHTS = np.array([0.17, 0.22, 0.17, 0.09, 0.12, 0.15, 0.08])
CONVERTED_SHARE_OF_CUSTOMERS = 0.15  # customers who came in as a registered prospect
PROSPECTS_PER_CONVERSION = 3  # about a third of the prospects converted
# P(yes) per MAN answer (money, authority, need); UNKNOWN_SHARE of the answers are blank
_YES_CONVERTED = (0.95, 0.95, 0.97)
_YES_OPEN = (0.52, 0.64, 0.78)
UNKNOWN_SHARE = 0.04
OPEN_SPAN_DAYS = 730  # unconverted prospects registered over the last two years
_EPOCH = dt.date(1970, 1, 1)


def _pick(rng: np.random.Generator, weights: np.ndarray) -> np.ndarray:
    """One source index per row of `weights` (rows sum to anything positive)."""
    cdf = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    return np.minimum((rng.random((len(weights), 1)) > cdf).sum(axis=1), weights.shape[1] - 1)


def _answers(rng: np.random.Generator, yes: np.ndarray) -> list[pl.Series]:
    """MAN answers: True with probability `yes` (rows x 3), some left blank."""
    draw = rng.random(yes.shape) < yes
    blank = rng.random(yes.shape) < UNKNOWN_SHARE
    return [pl.Series(draw[:, k]).set(pl.Series(blank[:, k]), None) for k in range(3)]


def prospects(customers: pl.DataFrame, truth: pl.DataFrame, seed: int,
              end_date: dt.date) -> pl.DataFrame:
    """The prospects table (canonical schema) for a generated sample."""
    rng = np.random.default_rng([seed, 15])
    n = customers.height
    n_conv = max(1, round(n * CONVERTED_SHARE_OF_CUSTOMERS)) if n else 0
    n_open = n_conv * (PROSPECTS_PER_CONVERSION - 1)
    conv = np.sort(rng.choice(n, size=n_conv, replace=False)) if n_conv else np.array([], int)
    group = truth.select(pl.coalesce("pattern", "stage")).to_series().gather(conv).to_numpy()
    weights = np.tile(_OTHER_WEIGHTS, (n_conv, 1))
    weights[np.isin(group, ["long_term", "stability"])] = _LOYAL_WEIGHTS
    weights[np.isin(group, ["early_abort", "exploration"])] = _EARLY_WEIGHTS
    signup = customers.get_column("signup_date").gather(conv).to_physical().to_numpy()
    conv_day = signup - np.floor(rng.uniform(3, 60, n_conv)).astype(np.int64)
    end_day = (end_date - _EPOCH).days
    open_day = end_day - np.floor(rng.random(n_open) * OPEN_SPAN_DAYS).astype(np.int64)
    people = customers.select("customer_id", "name", "phone", "email")
    picked = people[pl.Series(conv)]
    # unconverted people: a surname and a given name from two other sample people (Chinese
    # names only; the sample's English and odd-looking names are left out)
    han = people.get_column("name").filter(
        people.get_column("name").str.contains(r"^[\u4e00-\u9fff]{2,}$"))
    a = han.sample(n_open, with_replacement=True, seed=seed + 1)
    b = han.sample(n_open, with_replacement=True, seed=seed + 2)
    phone = pl.Series(np.floor(rng.random(n_open) * 1e9).astype(np.int64)).cast(pl.String)
    others = pl.DataFrame({
        "customer_id": pl.Series([None] * n_open, dtype=pl.String),
        "name": a.str.slice(0, 1) + b.str.slice(1),
        "phone": "13" + phone.str.zfill(9),
        "email": pl.Series([None] * n_open, dtype=pl.String),
    })
    yes = np.vstack([np.tile(_YES_CONVERTED, (n_conv, 1)), np.tile(_YES_OPEN, (n_open, 1))])
    money, authority, need = _answers(rng, yes)
    source = np.concatenate([_pick(rng, weights), _pick(rng, np.tile(_OPEN_WEIGHTS,
                                                                      (n_open, 1)))])
    frame = pl.concat([picked, others]).with_columns(
        pl.Series("created_date", np.concatenate([conv_day, open_day]).astype(np.int32))
        .cast(pl.Date),
        pl.Series("source", SOURCES, dtype=pl.String).gather(source),
        money.alias("has_money"), authority.alias("has_authority"), need.alias("has_need"),
    ).rename({"customer_id": "converted_customer_id"})
    frame = frame.sort("created_date", "converted_customer_id", "name", nulls_last=True)
    frame = frame.with_columns(
        ("P" + pl.int_range(1, frame.height + 1).cast(pl.String).str.zfill(6))
        .alias("prospect_id"))
    schema = store.polars_schema("prospects")
    return frame.select(list(schema)).cast(schema)  # type: ignore[arg-type]
