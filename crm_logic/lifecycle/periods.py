"""Lifecycle codes, output schemas and calendar periods (week, month, quarter)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from crm_logic.codes import PATTERN_CODES, PATTERNS, STAGES, UNKNOWN_START  # noqa: F401
from crm_logic.config import CrmConfig

# every CrmConfig field the lifecycle reads (a cache of its frames must key on all of them)
CONFIG_FIELDS: tuple[str, ...] = (
    "lifecycle_period", "lifecycle_volume", "smoothing_months", "smoothing_gap_multiple",
    "smoothing_max_months", "churn_gap_floor_days", "churn_gap_multiple", "churn_prior_gaps",
    "churn_gap_cap_days", "churn_repeat_gap_multiple", "unknown_start_days",
    "unknown_start_gaps", "exploration_max_occasions", "exploration_min_months",
    "formation_min_growth", "peak_spike_multiple", "rise_months", "rise_min_growth",
    "stability_peak_share", "stability_min_months", "stability_min_purchase_periods",
    "decline_peak_share", "decline_min_months", "decline_yoy_share", "long_term_min_months",
)
# ... split by the step that reads them: the per-customer volume series (periods, volume,
# smoothing, spike cap, the lost rule, unknown starts) and the stage rules applied to a held
# series (`lifecycle_series`, `frames_from_series`): a rule change re-labels the series
SERIES_FIELDS: tuple[str, ...] = (
    "lifecycle_period", "lifecycle_volume", "smoothing_months", "smoothing_gap_multiple",
    "smoothing_max_months", "churn_gap_floor_days", "churn_gap_multiple", "churn_prior_gaps",
    "churn_gap_cap_days", "churn_repeat_gap_multiple", "unknown_start_days",
    "unknown_start_gaps", "peak_spike_multiple",
)
RULE_FIELDS: tuple[str, ...] = tuple(f for f in CONFIG_FIELDS if f not in SERIES_FIELDS)
PERIODS: tuple[str, ...] = ("week", "month", "quarter")
VOLUMES: tuple[str, ...] = ("revenue", "occasions")
PERIODS_PER_MONTH: dict[str, float] = {"week": 52.1775 / 12, "month": 1.0, "quarter": 1 / 3}
PERIOD_DAYS: dict[str, float] = {"week": 7.0, "month": 30.436875, "quarter": 91.310625}
_WEEK_ZERO = dt.date(1970, 1, 5)  # a Monday: week periods start on Mondays

SERIES_SCHEMA: dict[str, pl.DataType] = {
    "customer_id": pl.String(),
    "period_start": pl.Date(),
    "period_index": pl.Int32(),
    "occasions": pl.UInt32(),
    "revenue": pl.Float64(),
    "volume": pl.Float64(),
    "volume_smoothed": pl.Float64(),
    "peak_volume": pl.Float64(),
    "smoothing_window": pl.Int32(),
}
HISTORY_EXTRA: dict[str, pl.DataType] = {
    "churned": pl.Boolean(),
    "stage": pl.String(),
}
LIFECYCLE_SCHEMA: dict[str, pl.DataType] = {
    "customer_id": pl.String(),
    "churned": pl.Boolean(),
    "churn_date": pl.Date(),
    "churn_source": pl.String(),
    "lifecycle_stage": pl.String(),
    "lifecycle_pattern": pl.String(),
    "peak_stage": pl.String(),
    "stability_periods": pl.Int32(),
    "stability_months": pl.Float64(),
    "lifetime_days": pl.Int32(),
    "first_purchase": pl.Date(),
    "last_purchase": pl.Date(),
    "occasions": pl.UInt32(),
    "revenue": pl.Float64(),
    "typical_gap_days": pl.Float64(),
    "churn_gap_days": pl.Float64(),
    "days_since_last": pl.Int32(),
    "periods": pl.Int32(),
    "peak_volume": pl.Float64(),
    "current_volume": pl.Float64(),
    "share_of_peak": pl.Float64(),
    "relationships": pl.Int32(),
    "unknown_start": pl.Boolean(),
}


# --- periods ---------------------------------------------------------------------------------


def _check(cfg: CrmConfig) -> None:
    """Fail early on a config the rules cannot use."""
    if cfg.lifecycle_period not in PERIODS:
        raise ValueError(f"lifecycle_period must be one of {PERIODS}: {cfg.lifecycle_period!r}")
    if cfg.lifecycle_volume not in VOLUMES:
        raise ValueError(f"lifecycle_volume must be one of {VOLUMES}: {cfg.lifecycle_volume!r}")


def months_to_periods(months: float, period: str) -> int:
    """A duration in months as a whole number of periods (at least one)."""
    return max(1, round(months * PERIODS_PER_MONTH[period]))


def period_index(date: pl.Expr, period: str) -> pl.Expr:
    """Absolute period number of a date (months since year 0, weeks since 1970-01-05, ...)."""
    if period == "month":
        return (date.dt.year().cast(pl.Int32) * 12 + date.dt.month().cast(pl.Int32) - 1)
    if period == "quarter":
        return (date.dt.year().cast(pl.Int32) * 4 + (date.dt.month().cast(pl.Int32) - 1) // 3)
    days = (date - pl.lit(_WEEK_ZERO)).dt.total_days()
    return (days // 7).cast(pl.Int32)


def period_start(index: pl.Expr, period: str) -> pl.Expr:
    """First day of the period with absolute number `index` (inverse of `period_index`)."""
    if period == "month":
        return pl.date(index // 12, index % 12 + 1, 1)
    if period == "quarter":
        return pl.date(index // 4, (index % 4) * 3 + 1, 1)
    return pl.lit(_WEEK_ZERO) + pl.duration(days=index.cast(pl.Int64) * 7)


def _period_of(day: dt.date, period: str) -> int:
    """`period_index` of one Python date."""
    return pl.select(period_index(pl.lit(day), period)).item()
