"""Where each customer's current relationship starts, and what the data cannot show.

- A silence longer than the customer's lost threshold ends a relationship; a later purchase
  starts a new one (a re-trial): the lifecycle follows the current relationship only, from
  its first purchase (`relationships` counts them).
- A relationship whose first purchase lies within `unknown_start_days` (or
  `unknown_start_gaps` typical gaps) of the data's first day may be older than the data: its
  start is unknown (`unknown_start`), so it gets no exploration and, once lost, the pattern
  "history before the data" (`unknown_start`) unless its observed stability alone makes it
  long-term.
- The last period, when as_of cuts it short, counts as the share of a period it covers
  (`tail_short`: the missing share).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from crm_logic.config import CrmConfig
from crm_logic.lifecycle.days import occasion_days
from crm_logic.lifecycle.lost import population_gap, relationship_ends
from crm_logic.lifecycle.periods import (
    SERIES_SCHEMA,
    _check,
    _period_of,
    period_start,
)
from crm_logic.lifecycle.series import _dense, _smoothed, _with_periods
from crm_logic.lifecycle.stages import _with_stages
from crm_logic.store import CrmData


def current_relationships(occ: pl.DataFrame, ends: pl.DataFrame
                          ) -> tuple[pl.DataFrame, pl.Series]:
    """(occasion days of each customer's current relationship, relationships per customer c).

    A purchase after a silence longer than the customer's `churn_gap_days` (from `ends`,
    computed on the whole history) starts a new relationship; days before the last such
    purchase are dropped (refund-only days too).
    """
    n_c = int(occ.get_column("c").max() or 0) + 1 if occ.height else 0
    threshold = np.full(n_c, np.inf)
    threshold[ends.get_column("c").to_numpy()] = ends.get_column("churn_gap_days").to_numpy()
    bought = occ.filter(pl.col("purchase")).select("c", "order_date")
    c = bought.get_column("c").to_numpy()
    day = bought.get_column("order_date").cast(pl.Int32).to_numpy()
    brk = np.zeros(c.size, dtype=bool)
    if c.size > 1:
        brk[1:] = (c[1:] == c[:-1]) & ((day[1:] - day[:-1]) > threshold[c[1:]])
    count = np.bincount(c[brk], minlength=n_c) + 1
    start = np.full(n_c, np.iinfo(np.int32).min, dtype=np.int64)
    np.maximum.at(start, c[brk], day[brk])
    if not brk.any():
        return occ, pl.Series("relationships", count, dtype=pl.Int32)
    occ_c = occ.get_column("c").to_numpy()
    keep = occ.get_column("order_date").cast(pl.Int32).to_numpy() >= start[occ_c]
    return occ.filter(pl.Series(keep)), pl.Series("relationships", count, dtype=pl.Int32)


def _unknown_start(ends: pl.DataFrame, relationships: pl.Series, data_start: dt.date,
                   cfg: CrmConfig) -> pl.Series:
    """A first relationship starting within the data's first days or typical gaps."""
    reach = pl.max_horizontal(
        pl.lit(float(cfg.unknown_start_days)),
        pl.col("pulled_gap_days").fill_null(0.0) * cfg.unknown_start_gaps)
    since = (pl.col("first_purchase") - pl.lit(data_start)).dt.total_days()
    first = pl.lit(relationships).gather(pl.col("c")) == 1
    return ends.select((first & (since < reach)).alias("unknown_start")).to_series()


def _tail_short(ends: pl.DataFrame, cfg: CrmConfig, as_of: dt.date) -> pl.Series:
    """Missing share (0..1) of a series' last period when it is the period as_of cuts short."""
    period = cfg.lifecycle_period
    now = _period_of(as_of, period)
    begin, after = pl.select(period_start(pl.lit(now, pl.Int32), period).alias("a"),
                             period_start(pl.lit(now + 1, pl.Int32), period).alias("b")).row(0)
    covered = ((as_of - begin).days + 1) / (after - begin).days
    return ends.select(
        pl.when(pl.col("end_period") == now).then(1.0 - covered).otherwise(0.0)
        .alias("tail_short")).to_series()


def current_ends(occ: pl.DataFrame, ids: pl.Series, customers: pl.DataFrame | None,
                 cfg: CrmConfig, as_of: dt.date) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(`relationship_ends` of each customer's current relationship, its occasion days).

    The one lost rule: the lost threshold from the whole history, a silence longer than it
    ends a relationship, and the current one is judged again on its own gaps. Adds the
    customer's total revenue (every relationship), `relationships`, `unknown_start` and
    `tail_short`. `crm_logic.lost.lost_at` reads the rule through here.
    """
    whole = relationship_ends(occ, customers, cfg, as_of, ids)
    current, relationships = current_relationships(occ, whole)
    ends = whole
    broken = pl.Series(np.flatnonzero(relationships.to_numpy() > 1), dtype=pl.UInt32)
    if broken.len():  # judged again on the current relationship: only those who returned
        population = population_gap(whole.get_column("typical_gap_days"),
                                    whole.get_column("gaps"), cfg)
        again = relationship_ends(current.filter(pl.col("c").is_in(broken.implode())),
                                  customers, cfg, as_of, ids, population)
        ends = pl.concat([whole.filter(~pl.col("c").is_in(broken.implode())), again],
                         how="vertical_relaxed").sort("c")
    data_start = occ.get_column("order_date").min() if occ.height else as_of
    assert isinstance(data_start, dt.date)
    ends = ends.with_columns(
        whole.get_column("revenue"),  # the customer's total, earlier relationships too
        relationships.gather(ends.get_column("c")),
        _unknown_start(ends, relationships, data_start, cfg),
        _tail_short(ends, cfg, as_of),
    )
    return ends, current


def _prepare(data: CrmData, cfg: CrmConfig, as_of: dt.date) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(per-customer ends, per-period grid with stage codes, sorted by customer and period)."""
    _check(cfg)
    occ, ids = occasion_days(data, as_of)
    ends, current = current_ends(occ, ids, data.customers, cfg, as_of)
    return ends, _with_stages(_smoothed(_dense(current, ends, cfg), cfg), cfg)


def volume_series(
    orders: pl.DataFrame, cfg: CrmConfig, as_of: dt.date, customers: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Volume per customer and period up to as_of, dense from the first period, smoothed.

    Columns: customer_id, period_start, period_index (0 = the first period of the customer's
    current relationship), occasions, revenue, volume, volume_smoothed (spike-capped and
    smoothed), peak_volume (its running peak), smoothing_window (periods). `customers`
    (optional) supplies recorded churn dates, which decide where a lost customer's series ends.
    """
    ends, grid = _prepare(CrmData(customers if customers is not None else
                                  pl.DataFrame(schema={"customer_id": pl.String}),
                                  orders, pl.DataFrame(), pl.DataFrame()), cfg, as_of)
    out = _with_periods(ends, grid, cfg.lifecycle_period)
    return out.select(list(SERIES_SCHEMA)).cast(SERIES_SCHEMA)  # type: ignore[arg-type]
