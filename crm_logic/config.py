"""Every threshold of the product, with its default, in one frozen dataclass.

Pages turn each field into a what-if control; the CLI reads overrides from a JSON/TOML
file (`--config FILE`). Logic never hard-codes a number that a user could want to change:
it takes a `CrmConfig`. Derive variants with `dataclasses.replace(cfg, field=value)`.
"""

from __future__ import annotations

import dataclasses
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class CrmConfig:
    """All thresholds; sections follow the modules that use them."""

    # --- value pyramid and lifetime value (segmentation, models) ---------------------------
    tier_platinum_share: float = 0.05  # top 5% of customers by lifetime value
    tier_gold_share: float = 0.15  # next 15%
    tier_iron_share: float = 0.30  # next 30%; the rest is lead
    horizon_days: int = 365  # predicted value looks this far ahead
    discount_rate_yearly: float = 0.10  # discounts predicted value
    margin_share: float = 1.0  # share of revenue that is margin, where the data has no margin
    cost_per_order: float = 0.0  # cost to serve, lowers lifetime value
    cost_per_complaint: float = 0.0  # cost to serve, lowers lifetime value
    rfm_bins: int = 5  # quintiles
    # the purchase model behind predicted value: "bgnbd" (BG/NBD) or "mbgnbd" (MBG/NBD); pick
    # the one the value backtest shows predicting your own holdout better
    value_model: str = "bgnbd"
    interval_level: float = 0.90  # central probability of the value intervals

    # --- lifecycle -------------------------------------------------------------------------
    # Durations are in months whatever the period; they are converted to periods (week,
    # month, quarter) by crm_logic.lifecycle.months_to_periods (at least one period).
    lifecycle_period: str = "month"  # "week" | "month" | "quarter": the volume series' period
    lifecycle_volume: str = "revenue"  # "revenue" | "occasions": what the life curve measures
    smoothing_months: int = 3  # trailing mean window of the volume series (shortest)
    smoothing_gap_multiple: float = 2.0  # ... widened to cover this many typical gaps
    smoothing_max_months: int = 12  # ... but never wider than this
    churn_gap_floor_days: int = 180  # never call a customer lost sooner than this
    churn_gap_multiple: float = 3.0  # ... nor sooner than this many typical gaps
    churn_prior_gaps: int = 3  # fewer gaps: the typical gap is pulled toward the population's
    churn_gap_cap_days: int = 365  # ... and such a customer's lost threshold is at most this
    churn_repeat_gap_multiple: float = 1.1  # a gap seen twice is rhythm: lost only beyond it
    unknown_start_days: int = 31  # first purchase this close to the data's start: history
    unknown_start_gaps: float = 2.0  # ... (or this many typical gaps) before the data, unknown
    exploration_min_months: int = 3  # exploration lasts at least this long (and the trials)
    formation_min_growth: float = 0.2  # formation: volume rose this much above the trials'
    peak_spike_multiple: float = 2.0  # a period counts at most this x the customer's median
    decline_yoy_share: float = 0.8  # with a year behind: decline also below this x a year ago
    exploration_max_occasions: int = 2  # trial orders: the first purchase occasions
    rise_months: int = 3  # formation: the peak volume grew within this many months ...
    rise_min_growth: float = 0.2  # ... by more than this share (a rising series is no plateau)
    stability_peak_share: float = 0.7  # plateau: smoothed volume at least this share of peak
    stability_min_months: int = 2  # ... held this long (not rising) before stability counts
    stability_min_purchase_periods: int = 2  # ... with purchases in at least this many periods
    decline_peak_share: float = 0.5  # decline: smoothed volume below this share of peak
    decline_min_months: int = 2  # ... for at least this long
    long_term_min_months: int = 12  # stability lasting this long makes a long-term pattern
    # amounts beyond this multiple of the data's high quantile of |amount| are flagged
    implausible_amount_multiple: float = 1000.0
    implausible_amount_quantile: float = 0.999

    # --- churn early warning ---------------------------------------------------------------
    recent_window_days: int = 90  # recent window compared with the customer's own baseline
    frequency_drop_share: float = 0.5  # frequency fallen: recent rate below this share
    spend_drop_share: float = 0.5  # spend fallen: recent spend rate below this share
    p_alive_low: float = 0.3  # low probability of being active
    risk_high: float = 0.6  # churn_risk at or above: high
    risk_medium: float = 0.3  # churn_risk at or above: medium
    churn_rate_acceptable_max: float = 0.05  # monthly churn rate alert threshold
    churn_rate_acceptable_min: float = 0.0
    repeat_complaints_min: int = 2  # this many complaints in the recent window: repeated
    inactive_gap_multiple: float = 2.0  # inactive: days since last purchase > this x own gap
    risk_horizon_days: int = 90  # churn_risk = chance of no purchase within this many days
    backtest_horizon_days: int = 180  # backtest truth: no purchase this long after the cut-off
    cost_per_contact: float = 20.0  # retention what-if: cost per contacted customer
    save_rate: float = 0.2  # retention what-if: share of would-be churners a contact keeps

    # --- complaints ------------------------------------------------------------------------
    sla_days: int = 7  # a complaint resolved later than this breaches the SLA
    new_customer_days: int = 180  # tenure below this at the complaint: a new customer
    backlog_age_1_days: int = 7  # open backlog age buckets: 0-7, 8-30, 31-90, over 90 days
    backlog_age_2_days: int = 30
    backlog_age_3_days: int = 90
    repeat_complainer_min: int = 2  # this many complaints (all history to as_of): repeat
    complaint_rate_min_orders: int = 20  # rate per 100 orders shown only with this many orders
    ci_level: float = 0.95  # confidence level of the Wilson intervals (complaints vs churn)
    # channel words (comma separated, case-insensitive, matched inside the channel text) that
    # mark an escalation: to an authority or legal action, the domain's most serious level
    escalation_channels: str = (
        "authority,legal,12315,消协,消费者协会,市场监管,工商,法院,诉讼,律师,仲裁"
    )

    # --- KPIs, 4R scorecard, action center ---------------------------------------------------
    kpi_period: str = "month"  # "month" | "quarter" | "year": KPIs compare complete periods
    relationship_window_days: int = 365  # contacts per customer: interactions this far back
    no_contact_days: int = 90  # stability customers not contacted this long: a relationship gap
    # outcome words (comma separated, case-insensitive, matched inside the interaction's
    # outcome or channel) that mark a reward given to the customer
    reward_words: str = "offer_accepted,reward,gift,coupon,points,奖励,礼品,优惠券,积分"

    # --- import (crm_logic.ingest) -----------------------------------------------------------
    future_date_tolerance_days: int = 0  # dates later than the import day + this: rejected
    max_cell_chars: int = 32_767  # a longer cell rejects its row (Excel's own cell limit)
    max_file_mb: int = 4096  # a larger file (an XLSX: unpacked) is refused before reading

    # --- display ---------------------------------------------------------------------------
    currency: str = ""  # ISO code (CNY, GBP, USD …) for money; "" = from the data, else CNY

    # --- prospects ---------------------------------------------------------------------------
    prospect_open_max_days: int = 180  # a prospect not converted after this long counts as lost

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (for JSON reports and the UI)."""
        return dataclasses.asdict(self)


def config_fields() -> list[str]:
    """Names of all config fields, in declaration order."""
    return [f.name for f in dataclasses.fields(CrmConfig)]


def load_config(path: str | Path | None) -> CrmConfig:
    """Default config, overridden by a JSON or TOML file; unknown keys are an error."""
    if path is None:
        return CrmConfig()
    p = Path(path)
    text = p.read_text(encoding="utf-8")
    data = tomllib.loads(text) if p.suffix.lower() == ".toml" else json.loads(text)
    unknown = sorted(set(data) - set(config_fields()))
    if unknown:
        raise ValueError(f"unknown config keys in {p.name}: {', '.join(unknown)}")
    return dataclasses.replace(CrmConfig(), **data)


# --- stages: what each field feeds (the UI caches each stage apart) -----------------------
# facts (data version: the tables and the purchase-occasion table) read no field.
# "features": features and model fits (as-of, model settings): a change recomputes them.
# "labels": thresholds applied to the features (tier shares, risk levels, SLA views, what-if
# money): a change only re-labels. A field not listed here is "features", the earliest
# stage a setting can feed (always safe, never stale); list a field only when nothing
# before the labels reads it (`crm_logic.pipeline.relabel` re-applies it).
LABEL_FIELDS: frozenset[str] = frozenset({
    "tier_platinum_share", "tier_gold_share", "tier_iron_share",  # value pyramid cut-offs
    "risk_high", "risk_medium",  # risk levels (and the actions that follow from them)
    "churn_rate_acceptable_max", "churn_rate_acceptable_min",  # churn rate alert band
    "cost_per_contact", "save_rate",  # retention what-if money
    "new_customer_days", "backlog_age_1_days", "backlog_age_2_days", "backlog_age_3_days",
    "repeat_complainer_min", "complaint_rate_min_orders", "ci_level", "escalation_channels",
    "currency",  # display only
})
STAGE_ORDER: tuple[str, ...] = ("facts", "features", "labels")


def field_stage(name: str) -> str:
    """The stage a config field feeds: "labels" if declared so, else "features"."""
    return "labels" if name in LABEL_FIELDS else "features"


def stage_items(cfg: CrmConfig, stage: str) -> tuple[tuple[str, Any], ...]:
    """(field, value) of the fields of one stage, sorted: a cache key for that stage."""
    return tuple(sorted((k, v) for k, v in cfg.to_dict().items() if field_stage(k) == stage))
