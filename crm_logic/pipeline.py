"""One customer table from every analysis: value, lifecycle, churn — as of one date.

`analyse` is what the report, the exports and the overview read; pages with their own
what-if controls call the area functions directly. It runs the value models once and hands
their output to churn, so nothing is fitted twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import polars as pl

# the codes live in crm_logic.codes; re-exported here under the names older callers use
from crm_logic.codes import PATTERNS as PATTERNS
from crm_logic.codes import RISK_LEVELS as RISK_LEVELS
from crm_logic.codes import STAGES as STAGES
from crm_logic.codes import TIERS
from crm_logic.config import CrmConfig
from crm_logic.store import CrmData

TIER_ORDER = TIERS

# The contract's export columns, in this order (more may follow).
EXPORT_COLUMNS: tuple[str, ...] = (
    "customer_id", "value_tier", "lifetime_value", "historic_value", "predicted_value",
    "rfm_segment", "lifecycle_stage", "lifecycle_pattern", "churn_risk", "risk_level",
    "risk_flags", "last_order_date", "orders", "recommended_action",
    "lifetime_value_low", "lifetime_value_high",  # the 90% interval (crm_logic.value.intervals)
)


@dataclass(frozen=True)
class Analysis:
    """Everything known about each customer as of one date."""

    as_of: dt.date
    customers: pl.DataFrame  # one row per customer with an order up to as_of
    fits: Any = None  # the value models' fitted parameters
    warnings: list[str] = field(default_factory=list)


def has_orders(data: CrmData, as_of: dt.date) -> bool:
    """Does the data hold an order line on or before as_of?"""
    from crm_logic import occasions

    first = occasions.table(data, occasions.ALL_DAYS, ("day",)).get_column("day").min()
    return isinstance(first, dt.date) and first <= as_of  # no cut copied (pages ask often)


def latest_date(data: CrmData) -> dt.date | None:
    """The latest date in the data: orders, else complaints, else interactions."""
    from crm_logic import occasions

    occ = occasions.table(data, occasions.ALL_DAYS, ("day",))
    for frame, col in ((occ, "day"), (data.complaints, "received_date"),
                       (data.interactions, "interaction_date")):
        if frame.height:
            value = frame.get_column(col).max()
            if isinstance(value, dt.date):
                return value
    return None


def coded_counts(series: pl.Series, keys: tuple[str, ...]) -> dict[str, int]:
    """Count of each code in `keys` (zero where absent; nulls and other codes ignored)."""
    got = series.drop_nulls().value_counts()
    found = dict(zip(got[series.name].to_list(), got["count"].to_list(), strict=True))
    return {k: int(found.get(k, 0)) for k in keys}


def revenue_between(orders: pl.DataFrame, start: dt.date, end: dt.date) -> float:
    """Net revenue of the orders dated after `start` up to and including `end`."""
    window = orders.filter((pl.col("order_date") > start) & (pl.col("order_date") <= end))
    return float(window.get_column("amount").sum() or 0.0)


def resolve_as_of(data: CrmData, as_of: dt.date | None) -> dt.date:
    """`as_of` if given, else the latest date in the data (never the clock)."""
    if as_of is not None:
        return as_of
    latest = latest_date(data)
    if latest is None:
        raise ValueError("the store holds no dated rows: give --as-of or import data first")
    return latest


def analyse(data: CrmData, cfg: CrmConfig, as_of: dt.date, fits: Any = None,
            life: pl.DataFrame | None = None) -> Analysis:
    """Value, lifecycle and churn per customer, joined on customer_id.

    Parts already at hand for the same data and as_of may be given (the app holds them, so a
    model setting such as the horizon neither refits nor recomputes life curves): `fits`
    (`segmentation.fit_models`: they read no config field) and `life`
    (`lifecycle.customer_lifecycle` under the same `lifecycle.CONFIG_FIELDS`)."""
    from crm_logic import churn, lifecycle, segmentation

    value, fits = segmentation.value_table(data, cfg, as_of, fits=fits)
    if life is None:
        life = lifecycle.customer_lifecycle(data, cfg, as_of)
    risk = churn.churn_scores(data, cfg, as_of, value=value, lifecycle=life)
    life_cols = [c for c in life.columns if c not in value.columns or c == "customer_id"]
    table = value.join(life.select(life_cols), on="customer_id", how="left")
    risk_cols = [c for c in risk.columns if c not in table.columns or c == "customer_id"]
    table = table.join(risk.select(risk_cols), on="customer_id", how="left")
    lost = pl.col("churned").fill_null(False)
    table = table.with_columns(
        pl.when(lost).then(churn.lost_action_expr()).otherwise(pl.col("recommended_action"))
        .alias("recommended_action")
    )
    warnings = list(getattr(fits, "warnings", []) or [])
    return Analysis(as_of=as_of, customers=table, fits=fits, warnings=warnings)


def snapshot(data: CrmData, cfg: CrmConfig, as_of: dt.date) -> pl.DataFrame:
    """The columns a past period's value KPIs read (`kpis._snapshot`: churned, value_tier,
    lifetime_value, risk_level), equal to `analyse(...).customers`' and cheaper: no life
    curves (the lost rule runs on its own, `crm_logic.lost`) and no value intervals. The
    trained risk model reads no lifecycle stage; where there is none (rule-based risk reads
    the decline stage) the full analysis runs. At 250,000 customers: 7 s instead of 13 s."""
    from crm_logic import churn, segmentation

    value, _ = segmentation.value_table(data, cfg, as_of, intervals=False)
    risk = churn.churn_scores(data, cfg, as_of, value=value)
    if risk.height and (risk.get_column("model") != "logistic").any():
        return analyse(data, cfg, as_of).customers
    return value.select("customer_id", "value_tier", "lifetime_value").join(
        risk.select("customer_id", "churned", "churn_risk", "risk_level"), on="customer_id",
        how="left")


def relabel_snapshot(table: pl.DataFrame, cfg: CrmConfig) -> pl.DataFrame:
    """`snapshot`'s table with the labels stage of `cfg` applied (value tiers, risk
    levels): what `snapshot` under `cfg` gives, without reading data again."""
    from crm_logic import churn, segmentation

    if table.height == 0 or "churn_risk" not in table.columns:
        return table
    return table.with_columns(segmentation.value_tier_expr(cfg, table.height)).with_columns(
        pl.when(pl.col("churn_risk").is_not_null()).then(churn.risk_level_expr(cfg))
        .alias("risk_level"))


# the labels-stage fields `relabel` applies (value tiers, risk levels; actions follow from
# them): no other labels field changes the customer table, so a cache of relabelled tables
# keys on these alone (a churn-band or what-if-money change re-labels nothing: 0.25 s at
# 250,000 customers). tests/test_stage_splits.py checks every other labels field.
RELABEL_FIELDS: tuple[str, ...] = (
    "tier_platinum_share", "tier_gold_share", "tier_iron_share", "risk_high", "risk_medium",
)


def value_rank(analysis: Analysis) -> pl.Series:
    """Each customer's rank by lifetime value (`segmentation.value_rank_expr`): what the
    tiers cut, fixed for an analysis whatever the tier shares (give it to `relabel`)."""
    from crm_logic import segmentation

    return analysis.customers.select(segmentation.value_rank_expr()).to_series()


def relabel(analysis: Analysis, cfg: CrmConfig, rank: pl.Series | None = None) -> Analysis:
    """`analysis` with the labels stage of `cfg` applied (config.LABEL_FIELDS): value tiers,
    risk levels and the actions that follow. The same table `analyse(data, cfg, as_of)`
    gives when `analysis` was analysed with the same features-stage fields; no data read,
    no model fitted (a threshold what-if). `rank`: `value_rank(analysis)` when held."""
    from crm_logic import churn, segmentation

    table = analysis.customers
    if table.height == 0:
        return analysis
    scored = pl.col("churn_risk").is_not_null()
    lost = pl.col("churned").fill_null(False)
    table = table.with_columns(segmentation.value_tier_expr(cfg, table.height, rank))
    table = table.with_columns(
        pl.when(scored).then(churn.risk_level_expr(cfg)).alias("risk_level"))
    table = table.with_columns(
        pl.when(lost).then(churn.lost_action_expr())
        .when(scored).then(churn.action_expr()).alias("recommended_action"))
    return Analysis(as_of=analysis.as_of, customers=table, fits=analysis.fits,
                    warnings=analysis.warnings)


def export_frame(table: pl.DataFrame, customers: pl.DataFrame) -> pl.DataFrame:
    """The contract's columns first, then name/phone/email (masked on export by default).

    Money is rounded to cents and churn_risk to 4 decimals: a campaign list, not a dump.
    """
    cols = [c for c in EXPORT_COLUMNS if c in table.columns]
    money = [c for c in ("lifetime_value", "historic_value", "predicted_value",
                         "lifetime_value_low", "lifetime_value_high") if c in cols]
    out = table.select(cols).with_columns(
        [pl.col(c).round(2) for c in money]
        + ([pl.col("churn_risk").round(4)] if "churn_risk" in cols else [])
    )
    personal = [c for c in ("name", "phone", "email") if c in customers.columns]
    if personal and customers.height:
        people = customers.unique("customer_id", keep="first").select("customer_id", *personal)
        out = out.join(people, on="customer_id", how="left")
    return out
