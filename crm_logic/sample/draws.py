"""Small vectorised draws and converters shared by the sample generator's parts.

Weighted choices, uniform integers, day numbers to Polars dates, string gathers, ids and the
calendar month grid (with its season factor) that the life curves run on. Part of
`crm_logic.sample`; split out so the table builders (customers, orders, contacts) share one
copy.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from crm_logic.sample.tables import _EPOCH, _PRE_FESTIVAL_BOOST, _SEASON, _SPRING_FESTIVAL


def _choice(rng: np.random.Generator, weights: np.ndarray | list[float], size: int) -> np.ndarray:
    """Indices drawn with the given (unnormalised) weights."""
    w = np.asarray(weights, dtype=float)
    return rng.choice(len(w), size=size, p=w / w.sum())


def _choice_rows(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One index per row of a (n, k) probability matrix (inverse CDF, vectorised)."""
    cdf = np.cumsum(probs / probs.sum(axis=1, keepdims=True), axis=1)
    u = rng.random(len(probs))[:, None]
    return np.minimum((u > cdf).sum(axis=1), probs.shape[1] - 1)


def _ints(rng: np.random.Generator, lo: int | np.ndarray, hi: int | np.ndarray,
          size: int) -> np.ndarray:
    """Uniform integers in [lo, hi] inclusive (bounds may be arrays)."""
    lo_a = np.asarray(lo, dtype=np.int64)
    hi_a = np.asarray(hi, dtype=np.int64)
    return lo_a + np.floor(rng.random(size) * (hi_a - lo_a + 1)).astype(np.int64)


def _day(d: dt.date) -> int:
    return (d - _EPOCH).days


def _dates(days: np.ndarray) -> pl.Series:
    """Days since 1970-01-01 -> a Polars Date series."""
    return pl.Series(np.asarray(days, dtype=np.int32)).cast(pl.Date)


def _strings(values: list[str], idx: np.ndarray) -> pl.Series:
    """values[idx] as a Polars String series (vectorised gather)."""
    return pl.Series(values, dtype=pl.String).gather(np.asarray(idx, dtype=np.int64))


def _ids(prefix: str, numbers: np.ndarray, width: int) -> pl.Series:
    """prefix + zero-padded number, e.g. C000123."""
    digits = pl.Series(np.asarray(numbers, dtype=np.int64)).cast(pl.String).str.zfill(width)
    return pl.select(pl.lit(prefix) + pl.lit(digits)).to_series()


def _years_before(d: dt.date, years: int) -> dt.date:
    """The same calendar day `years` earlier (28 Feb for 29 Feb)."""
    try:
        return d.replace(year=d.year - years)
    except ValueError:
        return d.replace(year=d.year - years, day=28)


def _month_grid(start: dt.date, end: dt.date) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Calendar months covering [start, end]: first day, last day (clipped) and season factor."""
    m0 = np.datetime64(start, "M")
    m1 = np.datetime64(end, "M")
    months = np.arange(m0, m1 + 1)
    first = months.astype("datetime64[D]").astype(np.int64)
    last = (months + 1).astype("datetime64[D]").astype(np.int64) - 1
    lo = np.maximum(first, _day(start))
    hi = np.minimum(last, _day(end))
    years = months.astype("datetime64[Y]").astype(np.int64) + 1970
    moy = months.astype(np.int64) % 12
    season = np.array(_SEASON)[moy]
    for i, (y, m) in enumerate(zip(years, moy, strict=True)):  # one loop per month
        md = _SPRING_FESTIVAL.get(int(y))
        if md is None:
            continue
        peak = dt.date(int(y), *md) - dt.timedelta(days=14)
        if peak.month == m + 1:
            season[i] *= _PRE_FESTIVAL_BOOST
    return lo, hi, season
