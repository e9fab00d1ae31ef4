"""Per customer: current stage, life-curve pattern, and the stage history frame."""

from __future__ import annotations

import datetime as dt

import polars as pl

from crm_logic.config import CrmConfig
from crm_logic.lifecycle.days import occasion_days
from crm_logic.lifecycle.periods import (
    HISTORY_EXTRA,
    LIFECYCLE_SCHEMA,
    PERIODS_PER_MONTH,
    SERIES_SCHEMA,
    STAGES,
    UNKNOWN_START,
    _check,
    months_to_periods,
)
from crm_logic.lifecycle.relationships import _prepare, current_ends
from crm_logic.lifecycle.series import _dense, _smoothed, _with_periods
from crm_logic.lifecycle.stages import _STABILITY, _with_stages
from crm_logic.store import CrmData


def _stage_names(code: pl.Expr) -> pl.Expr:
    """Stage codes as the STAGES strings."""
    return pl.lit(pl.Series(STAGES, dtype=pl.String)).gather(code)


def _history(ends: pl.DataFrame, grid: pl.DataFrame, period: str) -> pl.DataFrame:
    """The public stage-history frame from the grid (strings and period starts made here)."""
    out = _with_periods(ends, grid, period).with_columns(
        _stage_names(pl.col("_stage")).alias("stage"))
    cols = {**SERIES_SCHEMA, **HISTORY_EXTRA}
    return out.select(list(cols)).cast(cols)  # type: ignore[arg-type]


def stage_history(data: CrmData, cfg: CrmConfig, as_of: dt.date) -> pl.DataFrame:
    """Stage of every customer in every period of the relationship, up to as_of.

    Columns: the `volume_series` columns plus churned (the customer is lost by as_of) and
    stage (code). A lost customer's rows end with the period of the last purchase.
    """
    ends, grid = _prepare(data, cfg, as_of)
    return _history(ends, grid, cfg.lifecycle_period)


def _lifecycle(ends: pl.DataFrame, grid: pl.DataFrame, cfg: CrmConfig,
               as_of: dt.date) -> pl.DataFrame:
    """One row per customer from the grid with stages (see `customer_lifecycle`).

    No group-by: every customer's rows are contiguous (`_offset`, `periods`), and what the
    pattern needs is known at the customer's last row. The highest stage reached is the last
    row's (exploration only ever opens a series, stability once reached stays reached), the
    peak is the running peak there, and the periods in stability a difference of one
    cumulative count.
    """
    period = cfg.lifecycle_period
    long_term = months_to_periods(cfg.long_term_min_months, period)
    periods = (ends.get_column("end_period") - ends.get_column("start_period") + 1)
    last = periods.cast(pl.Int64).cum_sum() - 1
    first = last - periods.cast(pl.Int64) + 1
    stable = (grid.get_column("_stage") == _STABILITY).cast(pl.Int32)
    stable_cum = stable.cum_sum()
    tail = grid.select(
        pl.col("_stage").gather(last).alias("_code"),
        pl.col("_reached").gather(last).alias("_reached"),
        pl.col("_exploration").gather(last).alias("_exploration"),
        pl.col("peak_volume").gather(last).alias("peak_volume"),
        pl.col("volume_smoothed").gather(last).alias("current_volume"),
    ).with_columns(
        (stable_cum.gather(last) - stable_cum.gather(first) + stable.gather(first))
        .alias("stability_periods"),
        periods.cast(pl.Int32).alias("periods"),
    )
    peak_rank = (  # 2 stability reached, 1 formation, 0 exploration only
        pl.when(pl.col("_reached")).then(2).when(pl.col("_exploration")).then(0).otherwise(1)
    )
    peak_stage = (
        pl.when(pl.col("_peak_rank") == 2).then(pl.lit("stability"))
        .when(pl.col("_peak_rank") == 1).then(pl.lit("formation"))
        .otherwise(pl.lit("exploration"))
    )
    pattern = (
        pl.when(~pl.col("churned")).then(None)
        .when(pl.col("unknown_start") & (pl.col("stability_periods") < long_term))
        .then(pl.lit(UNKNOWN_START))
        .when(pl.col("_peak_rank") == 0).then(pl.lit("early_abort"))
        .when(pl.col("_peak_rank") == 1).then(pl.lit("mid_term_abort"))
        .when(pl.col("stability_periods") < long_term).then(pl.lit("early_exit"))
        .otherwise(pl.lit("long_term"))
    )
    end_day = pl.when(pl.col("churned")).then(pl.col("churn_date")).otherwise(pl.lit(as_of))
    out = (
        pl.concat([ends, tail], how="horizontal")
        .with_columns(peak_rank.alias("_peak_rank"),
                      _stage_names(pl.col("_code")).alias("lifecycle_stage"))
        .with_columns(
            peak_stage.alias("peak_stage"),
            pattern.alias("lifecycle_pattern"),
            (pl.col("stability_periods") / PERIODS_PER_MONTH[period]).alias("stability_months"),
            (end_day - pl.col("first_purchase")).dt.total_days().cast(pl.Int32)
            .alias("lifetime_days"),
            pl.when(pl.col("peak_volume") > 0)
            .then(pl.col("current_volume") / pl.col("peak_volume"))
            .otherwise(None).alias("share_of_peak"),
        )
        .select(list(LIFECYCLE_SCHEMA))
    )
    # `ends` is in customer_id order already (customers are numbered in that order)
    return out.cast(LIFECYCLE_SCHEMA)  # type: ignore[arg-type]


def customer_lifecycle(data: CrmData, cfg: CrmConfig, as_of: dt.date) -> pl.DataFrame:
    """One row per customer with orders up to as_of: stage, pattern, churn, lifetime.

    Columns (LIFECYCLE_SCHEMA): customer_id, churned, churn_date, churn_source
    (recorded|inactivity), lifecycle_stage (current stage; for a lost customer the stage when
    lost), lifecycle_pattern (lost customers only), peak_stage, stability_periods,
    stability_months, lifetime_days (first purchase to churn_date, or to as_of), first_purchase,
    last_purchase, occasions, revenue, typical_gap_days, churn_gap_days, days_since_last,
    periods, peak_volume, current_volume, share_of_peak.
    """
    ends, grid = _prepare(data, cfg, as_of)
    return _lifecycle(ends, grid, cfg, as_of)


def lifecycle_frames(
    data: CrmData, cfg: CrmConfig, as_of: dt.date
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(customer_lifecycle, stage_history) computed together from one grid (the page's need)."""
    ends, grid = _prepare(data, cfg, as_of)
    return _lifecycle(ends, grid, cfg, as_of), _history(ends, grid, cfg.lifecycle_period)


def lifecycle_series(data: CrmData, cfg: CrmConfig,
                     as_of: dt.date) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(per-customer ends, the smoothed volume series before any stage rule): what the
    stage rules read. Depends on `SERIES_FIELDS` only; `frames_from_series` applies the
    rules (`RULE_FIELDS`) to it, so a rule change needs no pass over the occasions."""
    _check(cfg)
    occ, ids = occasion_days(data, as_of)
    ends, current = current_ends(occ, ids, data.customers, cfg, as_of)
    return ends, _smoothed(_dense(current, ends, cfg), cfg).drop("_short")


def customers_from_series(ends: pl.DataFrame, series: pl.DataFrame, cfg: CrmConfig,
                          as_of: dt.date) -> pl.DataFrame:
    """`customer_lifecycle` from a held `lifecycle_series` (no stage history made)."""
    return _lifecycle(ends, _with_stages(series, cfg), cfg, as_of)


def frames_from_series(ends: pl.DataFrame, series: pl.DataFrame, cfg: CrmConfig,
                       as_of: dt.date) -> tuple[pl.DataFrame, pl.DataFrame]:
    """`lifecycle_frames` from a held `lifecycle_series` (made with the same
    `SERIES_FIELDS` and as_of): the stage rules of `cfg` applied, the same two frames."""
    grid = _with_stages(series, cfg)
    return _lifecycle(ends, grid, cfg, as_of), _history(ends, grid, cfg.lifecycle_period)
