"""Lost customers: churn rate by month, churn causes, the retention what-if."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from crm_logic import occasions
from crm_logic.churn.features import _days, _order_features_at, data_features, purchase_days_of
from crm_logic.churn.model import _recorded_churn
from crm_logic.codes import PATTERNS, TIERS, UNKNOWN
from crm_logic.config import CrmConfig
from crm_logic.lost import lost_at, lost_of
from crm_logic.store import CHURN_REASONS, CHURN_TYPES, CrmData

# --- lost customers: churn rate over time, churn causes ------------------------------------


def lost_customers(
    data: CrmData, cfg: CrmConfig, as_of: dt.date, lifecycle: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Customers lost on `as_of`, with when, why and what they were worth.

    Who and when: the lifecycle's one rule (`lifecycle` churned, churn_date, churn_source
    when given, else `crm_logic.lost.lost_at`). churn_reason/churn_type come from the
    customer record only when its churn_date is on or before as_of ("unknown" = not
    recorded). Columns: customer_id, churn_date, churn_source (recorded|inactivity),
    churn_reason, churn_type, first_date, last_date, lost_value (yearly spend before leaving).
    """
    occ = occasions.table(data, as_of, occasions.DAYS)
    feats = _order_features_at(purchase_days_of(occ, as_of), cfg, as_of).select(
        "customer_id", "first_date", "last_date")
    recorded = _recorded_churn(data.customers, as_of).collect()
    rule = (lost_of(lifecycle) if lifecycle is not None
            and {"churned", "churn_date"} <= set(lifecycle.columns)
            else lost_at(occ, data.customers, cfg, as_of))
    lost = rule.filter(pl.col("churned")).select(
        "customer_id", "churn_date",
        pl.col("churn_source").fill_null("inactivity"))
    lost = lost.join(feats, on="customer_id", how="left")
    lost = lost.join(recorded.select("customer_id", "churn_reason", "churn_type"),
                     on="customer_id", how="left")
    lost = lost.with_columns(
        pl.when(pl.col("churn_reason").is_in(list(CHURN_REASONS)))
        .then(pl.col("churn_reason")).otherwise(pl.lit(UNKNOWN)).alias("churn_reason"),
        pl.when(pl.col("churn_type").is_in(list(CHURN_TYPES)))
        .then(pl.col("churn_type")).otherwise(pl.lit(UNKNOWN)).alias("churn_type"),
    )
    value = _lost_value(occ, cfg, lost)
    return (
        lost.join(value, on="customer_id", how="left")
        .with_columns(pl.col("lost_value").fill_null(0.0))
        .sort("customer_id")
    )


def _lost_value(occ: pl.DataFrame, cfg: CrmConfig, lost: pl.DataFrame) -> pl.DataFrame:
    """Net spend from `horizon_days` before the last purchase on (refunds after it
    included): the yearly value lost."""
    horizon = float(cfg.horizon_days)
    ends = lost.select("customer_id", pl.coalesce("last_date", "churn_date").alias("_end"))
    return (
        occ.lazy()
        .join(ends.lazy(), on="customer_id")
        .filter(_days(pl.col("_end"), pl.col("day")) < horizon)
        .group_by("customer_id")
        .agg(pl.col("revenue").sum().clip(lower_bound=0.0).alias("lost_value"))
        .collect()
    )


def _tier_of(tiers: pl.DataFrame | None) -> pl.DataFrame:
    schema = {"customer_id": pl.String, "value_tier": pl.String}
    if tiers is None or "value_tier" not in tiers.columns:
        return pl.DataFrame(schema=schema)
    return tiers.select(pl.col("customer_id").cast(pl.String),
                        pl.col("value_tier").cast(pl.String)).unique("customer_id")


def churn_rate_by_month(
    data: CrmData,
    cfg: CrmConfig,
    as_of: dt.date,
    tiers: pl.DataFrame | None = None,
    lifecycle: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Monthly churn rate, overall ("all") and per value tier, against the acceptable range.

    churn_rate = customers lost in the month among those active at its start (first
    purchase before the month, not lost before it) / customers active at its start, so never
    above 100%. Customers whose first purchase and loss fall in the same month are counted
    apart (`churned_new`): they were never active at a month's start. Who is lost and when:
    the lifecycle's rule (`lost_customers`). `provisional`: the month ends less than
    churn_gap_floor_days before as_of, so customers who left then may not be recognised yet
    (their rate can still rise). Columns: month (first day), value_tier, active_start,
    churned, churn_rate, above_max, below_min, provisional, churned_new.
    """
    return rates_from(rate_inputs(data, cfg, as_of, lifecycle), cfg, as_of, tiers)


_RATE_SCHEMA: dict[str, pl.DataType] = {
    "month": pl.Date(), "value_tier": pl.String(), "active_start": pl.Int64(),
    "churned": pl.Int64(), "churn_rate": pl.Float64(), "above_max": pl.Boolean(),
    "below_min": pl.Boolean(), "provisional": pl.Boolean(), "churned_new": pl.Int64()}


def rate_inputs(data: CrmData, cfg: CrmConfig, as_of: dt.date,
                lifecycle: pl.DataFrame | None = None,
                lost: pl.DataFrame | None = None) -> pl.DataFrame:
    """What `churn_rate_by_month` counts, per customer with a purchase up to as_of:
    customer_id, first_date, churn_date (null while not lost). `lost`: `lost_customers` of
    the same arguments when at hand (else computed). No tier, no acceptable range: those are
    applied by `rates_from`, so a tier or range what-if re-counts without re-reading."""
    feats = data_features(data, cfg, as_of).select("customer_id", "first_date")
    if feats.height == 0:
        return feats.with_columns(pl.lit(None, pl.Date).alias("churn_date"))
    if lost is None:
        lost = lost_customers(data, cfg, as_of, lifecycle)
    return feats.join(lost.select("customer_id", "churn_date"), on="customer_id", how="left")


def rates_from(inputs: pl.DataFrame, cfg: CrmConfig, as_of: dt.date,
               tiers: pl.DataFrame | None = None) -> pl.DataFrame:
    """`churn_rate_by_month` from its `rate_inputs`: by value tier (`tiers`: customer_id,
    value_tier) and against the acceptable range of `cfg`."""
    schema = _RATE_SCHEMA
    if inputs.height == 0:
        return pl.DataFrame(schema=schema)
    cust = (
        inputs.join(_tier_of(tiers), on="customer_id", how="left")
        .with_columns(pl.col("value_tier").fill_null(UNKNOWN))
    )
    cust = pl.concat([cust, cust.with_columns(value_tier=pl.lit("all"))])
    first_month = inputs.get_column("first_date").min()
    months = pl.date_range(
        first_month.replace(day=1), as_of.replace(day=1), interval="1mo", eager=True
    ).alias("month")
    groups = cust.select("value_tier").unique()
    grid = groups.join(months.to_frame(), how="cross")
    starts = cust.group_by("value_tier", pl.col("first_date").dt.truncate("1mo").alias("month")
                           ).agg(pl.len().alias("_new"))
    same_month = (pl.col("churn_date").dt.truncate("1mo")
                  == pl.col("first_date").dt.truncate("1mo"))
    ends = cust.filter(pl.col("churn_date").is_not_null()).group_by(
        "value_tier", pl.col("churn_date").dt.truncate("1mo").alias("month")
    ).agg((~same_month).sum().alias("churned"), same_month.sum().alias("churned_new"))
    out = (
        grid.join(starts, on=["value_tier", "month"], how="left")
        .join(ends, on=["value_tier", "month"], how="left")
        .with_columns(pl.col("_new", "churned", "churned_new").fill_null(0).cast(pl.Int64))
        .sort("value_tier", "month")
        .with_columns(_gone=pl.col("churned") + pl.col("churned_new"))
        .with_columns(
            active_start=(
                pl.col("_new").cum_sum() - pl.col("_new")
                - (pl.col("_gone").cum_sum() - pl.col("_gone"))
            ).over("value_tier")
        )
    )
    month_end = pl.col("month").dt.offset_by("1mo").dt.offset_by("-1d")
    detect_from = as_of - dt.timedelta(days=int(cfg.churn_gap_floor_days))
    rate = pl.when(pl.col("active_start") > 0).then(
        pl.col("churned") / pl.col("active_start")
    )
    return out.with_columns(churn_rate=rate).with_columns(
        above_max=(pl.col("churn_rate") > float(cfg.churn_rate_acceptable_max)).fill_null(False),
        below_min=(pl.col("churn_rate") < float(cfg.churn_rate_acceptable_min)).fill_null(False),
        provisional=month_end > pl.lit(detect_from, dtype=pl.Date),
    ).select(list(schema)).cast(schema)  # type: ignore[arg-type]


def churn_alerts(rates: pl.DataFrame, tier: str = "all") -> pl.DataFrame:
    """Months (not provisional) whose churn rate left the acceptable range, latest first."""
    return rates.filter(
        pl.col("value_tier") == tier, ~pl.col("provisional"),
        pl.col("above_max") | pl.col("below_min"),
    ).sort("month", descending=True)


def churn_causes(
    lost: pl.DataFrame,
    tiers: pl.DataFrame | None = None,
    lifecycle: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Lost customers by cause, churn type, value tier and life-curve pattern.

    `lost` is `lost_customers(...)`. Missing tier or pattern is "unknown"; a cause or type
    not recorded is "unknown" ("not recorded" on the page). Columns: churn_reason,
    churn_type, value_tier, lifecycle_pattern, customers, lost_value; sorted by lost_value.
    """
    pattern = pl.DataFrame(schema={"customer_id": pl.String, "lifecycle_pattern": pl.String})
    if lifecycle is not None and "lifecycle_pattern" in lifecycle.columns:
        pattern = lifecycle.select(pl.col("customer_id").cast(pl.String),
                                   pl.col("lifecycle_pattern").cast(pl.String))
    keys = ["churn_reason", "churn_type", "value_tier", "lifecycle_pattern"]
    return (
        lost.join(_tier_of(tiers), on="customer_id", how="left")
        .join(pattern.unique("customer_id"), on="customer_id", how="left")
        .with_columns(pl.col("value_tier", "lifecycle_pattern").fill_null(UNKNOWN))
        .group_by(keys)
        .agg(customers=pl.len().cast(pl.Int64), lost_value=pl.col("lost_value").sum())
        .sort(["lost_value", *keys], descending=[True, False, False, False, False])
    )


def causes_by(causes: pl.DataFrame, column: str) -> pl.DataFrame:
    """`churn_causes` summed over one dimension (every known code listed, zeros included)."""
    codes = {
        "churn_reason": (*CHURN_REASONS, UNKNOWN),
        "churn_type": (*CHURN_TYPES, UNKNOWN),
        "value_tier": (*TIERS, UNKNOWN),
        "lifecycle_pattern": (*PATTERNS, UNKNOWN),
    }[column]
    summed = causes.group_by(column).agg(pl.col("customers").sum(), pl.col("lost_value").sum())
    full = pl.DataFrame({column: list(codes)}).join(summed, on=column, how="left")
    return full.with_columns(pl.col("customers").fill_null(0).cast(pl.Int64),
                             pl.col("lost_value").fill_null(0.0))


# --- retention what-if ---------------------------------------------------------------------


@dataclass(frozen=True)
class WhatIf:
    """A retention campaign's expected result."""

    contacted: int  # customers in the target group
    expected_churners: float  # sum of churn_risk in the group
    saved: float  # expected customers kept = save_rate x expected churners
    value_saved: float  # save_rate x sum(churn_risk x value_at_stake)
    cost: float  # contacted x cost_per_contact
    net: float  # value_saved - cost
    roi: float | None  # net / cost (None when the campaign costs nothing)


def retention_whatif(
    scores: pl.DataFrame,
    risk_levels: list[str] | None = None,
    tiers: list[str] | None = None,
    stages: list[str] | None = None,
    cost_per_contact: float = 20.0,
    save_rate: float = 0.2,
) -> WhatIf:
    """Contact a target group (risk level x tier x stage; None or empty = all) and keep
    `save_rate` of those who would otherwise leave. `scores` is `churn_scores(...)`.
    """
    group = scores
    for col, chosen in (("risk_level", risk_levels), ("value_tier", tiers),
                        ("lifecycle_stage", stages)):
        if chosen:
            group = group.filter(pl.col(col).is_in(list(chosen)))
    n = group.height
    churners = float(group.get_column("churn_risk").sum()) if n else 0.0
    at_stake = (
        float((group.get_column("churn_risk") * group.get_column("value_at_stake").fill_null(0.0))
              .sum()) if n else 0.0
    )
    cost = n * float(cost_per_contact)
    value_saved = float(save_rate) * at_stake
    net = value_saved - cost
    return WhatIf(n, churners, float(save_rate) * churners, value_saved, cost, net,
                  net / cost if cost > 0 else None)
