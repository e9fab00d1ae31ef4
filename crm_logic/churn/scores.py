"""Flags, churn_risk, risk levels and recommended actions for every customer (lost ones
included)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from crm_logic import occasions
from crm_logic.churn.features import _features_at, days_of
from crm_logic.churn.model import _MBG_FIT_MAX_ROWS, _SEED, _matrix, _train
from crm_logic.codes import BIG_TIERS, FLAGS, RISK_LEVELS, TIERS
from crm_logic.config import CrmConfig
from crm_logic.lost import lost_at, lost_of
from crm_logic.store import CrmData

# --- flags, risk, actions ------------------------------------------------------------------


def churn_flags(cfg: CrmConfig) -> list[pl.Expr]:
    """One Boolean expression per flag in `FLAGS`, over a `customer_features` frame.

    The frame may also carry p_alive (Float64, null when no model ran) and lifecycle_stage
    (String, null when unknown); a missing signal never raises a flag.
    - inactive: days since the last purchase > inactive_gap_multiple x the customer's gap;
    - frequency_drop / spend_drop: purchases / spend per day in the recent window below
      the share of the customer's own baseline (needs a full window of history before it);
    - complaint_open / complaint_late / complaint_repeat: an unresolved complaint; one
      handled (or waiting) longer than sla_days; repeat_complaints_min or more in the window;
    - low_p_alive: P(active) from the value model below p_alive_low;
    - decline: lifecycle stage is decline.
    """
    exprs = {
        "inactive": pl.col("days_since_last")
        > float(cfg.inactive_gap_multiple) * pl.col("expected_gap"),
        "frequency_drop": pl.col("frequency_ratio") < float(cfg.frequency_drop_share),
        "spend_drop": pl.col("spend_ratio") < float(cfg.spend_drop_share),
        "complaint_open": pl.col("complaints_open") > 0,
        "complaint_late": pl.col("complaints_late") > 0,
        "complaint_repeat": pl.col("complaints_recent") >= int(cfg.repeat_complaints_min),
        "low_p_alive": pl.col("p_alive") < float(cfg.p_alive_low),
        "decline": pl.col("lifecycle_stage") == "decline",
    }
    return [exprs[f].fill_null(False).alias(f"flag_{f}") for f in FLAGS]


def risk_level_expr(cfg: CrmConfig, col: str = "churn_risk") -> pl.Expr:
    """high at or above risk_high, medium at or above risk_medium, else low."""
    r = pl.col(col)
    return (
        pl.when(r >= float(cfg.risk_high)).then(pl.lit("high"))
        .when(r >= float(cfg.risk_medium)).then(pl.lit("medium"))
        .otherwise(pl.lit("low"))
        .alias("risk_level")
    )


def risk_flags_expr() -> pl.Expr:
    """The raised flags as a List[String] of codes, in `FLAGS` order.

    The flags are packed into one bit mask per row and the list looked up by mask (at most
    2^8 distinct lists): far cheaper than building a list per row.
    """
    mask = pl.sum_horizontal(
        pl.col(f"flag_{f}").fill_null(False).cast(pl.UInt32) * (1 << i)
        for i, f in enumerate(FLAGS)
    )
    lists = pl.Series(
        [[f for i, f in enumerate(FLAGS) if m >> i & 1] for m in range(1 << len(FLAGS))],
        dtype=pl.List(pl.String),
    )
    return pl.lit(lists).gather(mask).alias("risk_flags")


def lost_action_expr() -> pl.Expr:
    """The domain's advice for a customer already lost: above all, do not lose big customers
    silently — learn why they left and win them back; for the rest, learn the reason."""
    big = pl.col("value_tier").is_in(list(BIG_TIERS)).fill_null(False)
    return (
        pl.when(big).then(pl.lit("win_back_lost")).otherwise(pl.lit("learn_why_lost"))
        .alias("recommended_action")
    )


def action_expr() -> pl.Expr:
    """The domain's strategy per customer (codes in `ACTIONS`), most urgent rule first.

    Big customers at high risk: win them back personally (avoid losing big customers above
    all); complaints: resolve them (a complaint well handled builds loyalty); decline stage:
    recover or terminate; high risk lead tier: find out why, change or let go; other high
    risk: a personal offer; medium: a service contact or loyalty reward; low: maintain.
    """
    level = pl.col("risk_level")
    tier = pl.col("value_tier")
    complaint = pl.col("flag_complaint_open") | pl.col("flag_complaint_late") | pl.col(
        "flag_complaint_repeat"
    )
    return (
        pl.when((level == "high") & tier.is_in(list(BIG_TIERS)).fill_null(False))
        .then(pl.lit("win_back_big"))
        .when(complaint & (level != "low"))
        .then(pl.lit("resolve_complaint"))
        .when(pl.col("flag_decline") & (level != "low"))
        .then(pl.lit("recover_or_terminate"))
        .when((level == "high") & (tier == "lead").fill_null(False))
        .then(pl.lit("review_value"))
        .when(level == "high")
        .then(pl.lit("personal_offer"))
        .when(level == "medium")
        .then(pl.lit("care_contact"))
        .otherwise(pl.lit("maintain"))
        .alias("recommended_action")
    )


def _rule_risk(feats: pl.DataFrame) -> np.ndarray:
    """Transparent stand-in when the past cannot train the model.

    1 - exp(-g / 2) with g = days since the last purchase in units of the customer's gap
    (0 right after a purchase, 0.63 at two gaps), raised by each warning flag that is set:
    each complaint flag closes 20% of the remaining distance to 1, each fall 10%.
    """
    g = (feats.get_column("days_since_last") / feats.get_column("expected_gap")).to_numpy()
    risk = 1.0 - np.exp(-g / 2.0)
    for flag, weight in (("complaint_open", 0.2), ("complaint_late", 0.2),
                         ("complaint_repeat", 0.2), ("frequency_drop", 0.1),
                         ("spend_drop", 0.1)):
        hit = feats.get_column(f"flag_{flag}").to_numpy()
        risk = np.where(hit, 1.0 - (1.0 - risk) * (1.0 - weight), risk)
    return np.clip(risk, 0.0, 1.0)


def lost_before(
    data: CrmData, cfg: CrmConfig, as_of: dt.date, lifecycle: pl.DataFrame | None = None
) -> pl.DataFrame:
    """customer_id, churned, churn_date, churn_source, last_purchase on `as_of`: the
    lifecycle's one lost rule (`crm_logic.lost`), from `lifecycle` when given."""
    if lifecycle is not None and "churned" in lifecycle.columns:
        return lost_of(lifecycle)
    return lost_at(occasions.table(data, as_of, occasions.DAYS), data.customers, cfg, as_of)


def churn_scores(
    data: CrmData,
    cfg: CrmConfig,
    as_of: dt.date,
    value: pl.DataFrame | None = None,
    lifecycle: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One row per customer with a purchase up to `as_of`, lost ones included.

    Every customer gets a churn_risk (chance of no purchase within `risk_horizon_days`);
    `churned` says who is already lost by the lifecycle's rule (`lifecycle.churned` when
    given, else the same rule here): for them 1 - churn_risk is the chance to win them back,
    and the recommended action is a win-back one. `value` may give p_alive_mbg (or p_alive)
    and value_tier; `lifecycle` may give lifecycle_stage.
    Columns: customer_id, churn_risk, risk_level, risk_flags (List[String] of `FLAGS`),
    recommended_action, churned, flag_<code> for each flag, value_tier, lifecycle_stage,
    p_alive, value_at_stake, days_since_last, expected_gap, frequency_ratio, spend_ratio,
    occasions, last_order_date, model ("logistic" | "rules").
    """
    days = days_of(data, as_of)
    feats = _features_at(days, data.complaints, cfg, as_of)
    gone = lost_before(data, cfg, as_of, lifecycle).filter(pl.col("churned"))
    feats = feats.with_columns(
        churned=pl.col("customer_id").is_in(gone.get_column("customer_id").implode()))
    feats = feats.join(_value_inputs(value), on="customer_id", how="left",
                       maintain_order="left")
    if value is None or feats.get_column("p_alive").null_count() == feats.height:
        feats = feats.with_columns(p_alive=_mbg_p_alive(feats))
    feats = feats.join(_lifecycle_inputs(lifecycle), on="customer_id", how="left",
                       maintain_order="left")
    feats = feats.with_columns(churn_flags(cfg))
    model = _train(days, data, cfg, as_of)
    if feats.height == 0:
        risk = np.zeros(0)
    elif model is not None:
        risk = model.predict(_matrix(feats))
    else:
        risk = _rule_risk(feats)
    feats = feats.with_columns(
        churn_risk=pl.Series(np.clip(risk, 0.0, 1.0), dtype=pl.Float64),
        model=pl.lit("logistic" if model is not None else "rules"),
    )
    feats = feats.with_columns(risk_level_expr(cfg), risk_flags_expr())
    feats = feats.with_columns(
        pl.when(pl.col("churned")).then(lost_action_expr()).otherwise(action_expr())
        .alias("recommended_action"))
    return feats.select(
        "customer_id", "churn_risk", "risk_level", "risk_flags", "recommended_action",
        "churned", *[f"flag_{f}" for f in FLAGS],
        "value_tier", "lifecycle_stage", "p_alive", "value_at_stake", "days_since_last",
        "expected_gap", "frequency_ratio", "spend_ratio", "occasions",
        pl.col("last_date").alias("last_order_date"), "model",
    ).pipe(_sorted_by_id)


def _sorted_by_id(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` in customer_id order. Rows come in the occasion table's order (customer_id,
    sorted by DuckDB in byte order, which is Polars' string order): checked, sorted only if
    not (the former word-packed sort of every id is gone: no sort beats any sort)."""
    if frame.get_column("customer_id").is_sorted():
        return frame
    return frame.sort("customer_id")


def _mbg_p_alive(feats: pl.DataFrame) -> pl.Series:
    """P(active) from an MBG/NBD fit (crm_logic.models) on these customers; nulls if no fit.

    Used when no value table with p_alive_mbg is given. MBG/NBD, unlike BG/NBD, lets a
    one-time buyer be gone already. It drives the low_p_alive flag only: on the store's own
    past it did not improve the classifier beyond the rhythm features.
    """
    from crm_logic import models

    x = (feats.get_column("occasions") - 1).cast(pl.Float64).to_numpy()
    t_x = (feats.get_column("tenure_days") - feats.get_column("days_since_last")).to_numpy()
    tt = feats.get_column("tenure_days").to_numpy()
    fit_rows = np.arange(len(x))
    if len(x) > _MBG_FIT_MAX_ROWS:  # population parameters: a large random sample suffices
        fit_rows = np.random.default_rng(_SEED).choice(len(x), _MBG_FIT_MAX_ROWS, replace=False)
    fit = models.fit_mbgnbd(x[fit_rows], t_x[fit_rows], tt[fit_rows]) if len(x) else None
    if fit is None:
        return pl.Series("p_alive", [None] * feats.height, dtype=pl.Float64)
    return pl.Series("p_alive", models.mbgnbd_p_alive(fit, x, t_x, tt), dtype=pl.Float64)


def _value_inputs(value: pl.DataFrame | None) -> pl.DataFrame:
    """customer_id, p_alive, value_tier from the value table (nulls when absent)."""
    schema = {"customer_id": pl.String, "p_alive": pl.Float64, "value_tier": pl.String}
    if value is None or "customer_id" not in value.columns:
        return pl.DataFrame(schema=schema)
    p_col = next((c for c in ("p_alive_mbg", "p_alive") if c in value.columns), None)
    return value.select(
        pl.col("customer_id").cast(pl.String),
        (pl.col(p_col) if p_col else pl.lit(None)).cast(pl.Float64).alias("p_alive"),
        (pl.col("value_tier") if "value_tier" in value.columns else pl.lit(None))
        .cast(pl.String).alias("value_tier"),
    ).unique("customer_id", keep="first")


def _lifecycle_inputs(lifecycle: pl.DataFrame | None) -> pl.DataFrame:
    """customer_id, lifecycle_stage from the lifecycle table (empty when absent)."""
    schema = {"customer_id": pl.String, "lifecycle_stage": pl.String}
    if lifecycle is None or "lifecycle_stage" not in lifecycle.columns:
        return pl.DataFrame(schema=schema)
    return lifecycle.select(
        pl.col("customer_id").cast(pl.String), pl.col("lifecycle_stage").cast(pl.String)
    ).unique("customer_id", keep="first")


def at_risk_counts(scores: pl.DataFrame) -> dict[str, int]:
    """{high, medium, low}: customer counts for `report.at_risk`."""
    got = dict(scores.group_by("risk_level").len().iter_rows())
    return {lvl: int(got.get(lvl, 0)) for lvl in RISK_LEVELS}


def big_customers_first(scores: pl.DataFrame) -> pl.DataFrame:
    """Platinum and gold at high risk lead; then risk level, expected loss, risk.

    Adds expected_loss = churn_risk x value_at_stake (what the company should expect to lose).
    """
    big = (pl.col("value_tier").is_in(list(BIG_TIERS)) & (pl.col("risk_level") == "high"))
    level_rank = pl.col("risk_level").replace_strict(
        {lvl: i for i, lvl in enumerate(RISK_LEVELS)}, default=len(RISK_LEVELS),
        return_dtype=pl.Int64,
    )
    tier_rank = pl.col("value_tier").replace_strict(
        {t: i for i, t in enumerate(TIERS)}, default=len(TIERS), return_dtype=pl.Int64
    )
    return (
        scores.with_columns(
            expected_loss=pl.col("churn_risk") * pl.col("value_at_stake").fill_null(0.0),
            _big=big.fill_null(False), _level=level_rank, _tier=tier_rank,
        )
        .sort(["_big", "_level", "_tier", "expected_loss", "customer_id"],
              descending=[True, False, False, True, False])
        .drop("_big", "_level", "_tier")
    )
