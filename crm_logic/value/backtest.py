"""The value backtest: fit on the data before a cut-off, predict each customer's purchases
(purchase occasions) and revenue for the horizon after it, compare with what happened.

The classic BTYD check (Fader, Hardie & Lee 2005, figure 4: holdout purchases by number of
calibration repeat purchases), plus what a manager needs before spending on a list: totals,
the tiers (did platinum stay platinum? which share of next period's revenue came from each
predicted tier), the rank correlation of predicted vs actual value, and how often the 90%
intervals (`crm_logic.value.intervals`) held. Every purchase model fitted (BG/NBD, MBG/NBD)
is scored side by side, so the user can pick the one that predicts their own holdout better
(`CrmConfig.value_model`); nothing is tuned to one data set.

Customers are those with a purchase occasion up to the cut-off; revenue from customers who
first bought after it (`new_customer_revenue`) is outside every prediction here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from typing import Any

import numpy as np
import polars as pl

from crm_logic import occasions
from crm_logic.config import CrmConfig
from crm_logic.store import CrmData
from crm_logic.value.bgnbd import BgNbdFit, bgnbd_expected_purchases
from crm_logic.value.intervals import value_intervals

MAX_REPEAT_ROW = 7  # the calibration table's last row: 7 or more repeat purchases
MODELS: tuple[str, ...] = ("bgnbd", "mbgnbd")


def holdout_actuals(occ: pl.DataFrame, start: dt.date, end: dt.date) -> pl.DataFrame:
    """customer_id, actual_purchases (purchase occasions), actual_revenue (net) on the days
    after `start` up to and including `end`, from the purchase-occasion table."""
    return (
        occ.lazy().filter((pl.col("day") > start) & (pl.col("day") <= end))
        .group_by("customer_id")
        .agg(pl.col("is_purchase").sum().cast(pl.Float64).alias("actual_purchases"),
             pl.col("revenue").sum().alias("actual_revenue"))
        .sort("customer_id")  # a fixed order: float sums over it repeat to the last digit
        .collect()
    )


def _spearman(a: np.ndarray, b: np.ndarray) -> float | None:
    """Spearman rank correlation (average ranks for ties); None when either is constant."""
    frame = pl.DataFrame({"a": a, "b": b})
    value = frame.select(pl.corr("a", "b", method="spearman")).item()
    return None if value is None or not math.isfinite(value) else float(value)


def _ratio(pred: float, actual: float) -> float | None:
    return pred / actual if actual else None


def model_scores(
    fit: BgNbdFit, table: pl.DataFrame, horizon: float, level: float,
    gg: Any, fallback: float, intervals: bool = True,
) -> tuple[dict[str, Any], pl.DataFrame]:
    """One purchase model's holdout scores, and the per-customer predictions
    (customer_id, predicted_purchases, predicted_revenue, low, high).

    `table`: the value table at the cut-off joined with the actuals (only customers with a
    purchase occasion). `intervals=False`: point scores only (coverage None), for a model
    shown beside the one in use (the intervals are half the cost of a score)."""
    x = table.get_column("frequency").to_numpy().astype(np.float64)
    t_x = table.get_column("recency_days").to_numpy().astype(np.float64)
    tt = table.get_column("T_days").to_numpy().astype(np.float64)
    m = table.get_column("monetary_value").fill_null(np.nan).to_numpy().astype(np.float64)
    spend = table.get_column("expected_spend").fill_null(0.0).to_numpy()
    expected = bgnbd_expected_purchases(fit, horizon, x, t_x, tt)
    actual_n = table.get_column("actual_purchases").to_numpy()
    actual_r = table.get_column("actual_revenue").to_numpy()
    total_actual = float(actual_r.sum())
    mean = expected * spend
    scores: dict[str, Any] = {
        "model": fit.model,
        "predicted_purchases": float(expected.sum()),
        "actual_purchases": float(actual_n.sum()),
        "purchases_ratio": _ratio(float(expected.sum()), float(actual_n.sum())),
        "predicted_revenue": float(mean.sum()),
        "actual_revenue": total_actual,
        "revenue_ratio": _ratio(float(mean.sum()), total_actual),
        "rmse_purchases": float(np.sqrt(np.mean((expected - actual_n) ** 2))),
        "spearman": _spearman(mean, actual_r),
        "coverage": None, "revenue_low": None, "revenue_high": None, "total_covered": None,
    }
    low = high = mean
    if intervals:
        iv = value_intervals(fit, gg, horizon, x, t_x, tt, m, spend, level=level,
                             expected=expected, fallback=fallback)
        low, high = iv.low, iv.high
        inside = (actual_r >= low - 1e-9) & (actual_r <= high + 1e-9)
        scores.update(coverage=float(inside.mean()), revenue_low=iv.total_low,
                      revenue_high=iv.total_high,
                      total_covered=bool(iv.total_low <= total_actual <= iv.total_high))
    preds = pl.DataFrame({
        "customer_id": table.get_column("customer_id"), "predicted_purchases": expected,
        "predicted_revenue": mean, "revenue_low": low, "revenue_high": high,
    })
    return scores, preds


def by_repeat_purchases(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """Mean predicted vs actual holdout purchases per customer by calibration repeat
    purchases 0..6 and 7+ (every row present, customers 0 where none)."""
    got = (
        frame.with_columns(pl.col("frequency").clip(0, MAX_REPEAT_ROW).alias("_x"))
        .group_by("_x")
        .agg(pl.len().alias("customers"),
             pl.col("predicted_purchases").mean(), pl.col("actual_purchases").mean(),
             pl.col("predicted_revenue").mean(), pl.col("actual_revenue").mean())
    )
    found = {int(r["_x"]): r for r in got.iter_rows(named=True)}
    rows = []
    for x in range(MAX_REPEAT_ROW + 1):
        r = found.get(x, {})
        rows.append({
            "repeat_purchases": x,
            "label": f"{x}+" if x == MAX_REPEAT_ROW else str(x),
            "customers": int(r.get("customers", 0)),
            "predicted_purchases": r.get("predicted_purchases"),
            "actual_purchases": r.get("actual_purchases"),
            "predicted_revenue": r.get("predicted_revenue"),
            "actual_revenue": r.get("actual_revenue"),
        })
    return rows


def by_tier(frame: pl.DataFrame, cfg: CrmConfig) -> list[dict[str, Any]]:
    """Per tier the pyramid gave at the cut-off: customers, predicted and actual revenue,
    the tier's share of next period's revenue, and the share of its customers who held the
    same tier when ranked by next period's actual revenue (same shares, same rule)."""
    from crm_logic.codes import TIERS
    from crm_logic.segmentation import value_tier_expr

    realised = frame.select(
        "customer_id", pl.col("actual_revenue").alias("lifetime_value")
    ).with_columns(value_tier_expr(cfg, frame.height).alias("_realised"))
    joined = frame.with_columns(realised.get_column("_realised"))
    total = float(frame.get_column("actual_revenue").sum())
    got = joined.group_by("value_tier").agg(
        pl.len().alias("customers"),
        pl.col("predicted_revenue").sum(), pl.col("actual_revenue").sum(),
        (pl.col("_realised") == pl.col("value_tier")).mean().alias("stayed_share"),
    )
    found = {r["value_tier"]: r for r in got.iter_rows(named=True)}
    rows = []
    for tier in TIERS:
        r = found.get(tier, {})
        actual = float(r.get("actual_revenue") or 0.0)
        rows.append({
            "tier": tier, "customers": int(r.get("customers", 0)),
            "predicted_revenue": float(r.get("predicted_revenue") or 0.0),
            "actual_revenue": actual,
            "revenue_share": actual / total if total else None,
            "stayed_share": r.get("stayed_share"),
        })
    return rows


@dataclasses.dataclass(frozen=True)
class BacktestStage:
    """The backtest before the tiers (`backtest_stage`): everything but `by_tier`, and what
    `with_tiers` re-labels under other tier shares without refitting."""

    out: dict[str, Any]  # the report's figures, `by_tier` still empty
    cfg: CrmConfig  # the settings at the cut-off (horizon = the holdout's)
    scored: pl.DataFrame | None = None  # buyers at the cut-off: predictions and actuals
    pyramid: pl.DataFrame | None = None  # the cut-off's value table: customer_id,
    # lifetime_value, occasions (the pyramid ranks all of its customers)


def value_backtest(
    data: CrmData, cfg: CrmConfig, as_of: dt.date, cutoff: dt.date | None = None,
) -> dict[str, Any]:
    """The report's `value_backtest`: cut-off default as_of - cfg.horizon_days; the models
    are fitted on the orders up to the cut-off, the horizon ends at as_of at the latest."""
    return with_tiers(backtest_stage(data, cfg, as_of, cutoff), cfg)


def backtest_stage(
    data: CrmData, cfg: CrmConfig, as_of: dt.date, cutoff: dt.date | None = None,
) -> BacktestStage:
    """`value_backtest` up to the tiers: the fits, predictions and scores (every field the
    value table reads but the tier shares); `with_tiers` adds `by_tier`."""
    from crm_logic import segmentation as seg

    h = int(cfg.horizon_days)
    cut = cutoff if cutoff is not None else as_of - dt.timedelta(days=h)
    end = min(cut + dt.timedelta(days=h), as_of)
    horizon = (end - cut).days
    out: dict[str, Any] = {"cutoff": cut.isoformat(), "horizon_days": horizon, "customers": 0,
                           "predicted_purchases": None, "actual_purchases": None,
                           "predicted_revenue": None, "actual_revenue": None,
                           "by_repeat_purchases": [], "by_tier": [],
                           "model": cfg.value_model, "models": {}}
    occ = occasions.table(data, end)  # one occasion table: calibration and holdout
    summary = seg.summary_from_occasions(occ, cut, cfg.margin_share)
    buyers = summary.filter(pl.col("occasions") > 0)
    actual = holdout_actuals(occ, cut, end)
    new_rev = actual.join(buyers.select("customer_id"), on="customer_id", how="anti",
                          maintain_order="left")
    out["new_customer_revenue"] = float(new_rev.get_column("actual_revenue").sum())
    if buyers.height == 0 or horizon <= 0:
        return BacktestStage(out, cfg)
    fits = seg.fit_models(summary)
    # the pyramid as it stood at the cut-off, with the user's settings, horizon = the holdout
    cfg_cut = dataclasses.replace(cfg, horizon_days=horizon)
    table, fits = seg.value_table(data, cfg_cut, cut, fits=fits, summary=summary,
                                  intervals=False)  # scored per model below
    out, scored = _compare(table, fits, actual, cfg_cut, out)
    pyramid = table.select("customer_id", "lifetime_value", "occasions")  # ranked again
    if scored is None:
        return BacktestStage(out, cfg_cut)
    return BacktestStage(out, cfg_cut, scored.drop("value_tier"), pyramid)


def with_tiers(stage: BacktestStage, cfg: CrmConfig) -> dict[str, Any]:
    """The backtest's figures with `by_tier` under the tier shares of `cfg` (the pyramid at
    the cut-off ranked again: no refit). A new dict; `stage` is not changed."""
    out = dict(stage.out)
    if stage.scored is None or stage.pyramid is None:
        return out
    from crm_logic.segmentation import value_tier_expr

    tiers = (stage.pyramid.with_columns(value_tier_expr(cfg, stage.pyramid.height))
             .filter(pl.col("occasions") > 0).get_column("value_tier"))
    out["by_tier"] = by_tier(stage.scored.with_columns(tiers), cfg)
    return out


def backtest_from_table(
    table: pl.DataFrame, fits: Any, actual: pl.DataFrame, cfg: CrmConfig,
    out: dict[str, Any],
) -> dict[str, Any]:
    """The comparison itself, from the value table at the cut-off (its horizon = the
    holdout's) and the holdout actuals; fills and returns `out`."""
    out, scored = _compare(table, fits, actual, cfg, out)
    if scored is not None:
        out["by_tier"] = by_tier(scored, cfg)
    return out


def _compare(
    table: pl.DataFrame, fits: Any, actual: pl.DataFrame, cfg: CrmConfig,
    out: dict[str, Any],
) -> tuple[dict[str, Any], pl.DataFrame | None]:
    """`backtest_from_table` but `by_tier`: fills `out`; the scored buyers (the value table's
    rows with an occasion, in its order, with predictions and actuals) or None unscored."""
    horizon = float(cfg.horizon_days)
    frame = (
        table.filter(pl.col("occasions") > 0)
        .join(actual, on="customer_id", how="left", maintain_order="left")
        .with_columns(pl.col("actual_purchases").fill_null(0.0),
                      pl.col("actual_revenue").fill_null(0.0))
    )
    out["customers"] = frame.height
    buyers = frame.filter(pl.col("occasions") > 0)
    fallback = (float(buyers.get_column("revenue").sum() / buyers.get_column("occasions").sum())
                if buyers.height else 0.0)
    chosen = None
    fitted = {"bgnbd": fits.bgnbd, "mbgnbd": fits.mbgnbd}
    in_use = cfg.value_model if fitted.get(cfg.value_model) is not None else "bgnbd"
    for name in MODELS:
        fit = fitted[name]
        if fit is None:
            continue
        scores, preds = model_scores(fit, frame, horizon, cfg.interval_level,
                                     fits.gamma_gamma, fallback, intervals=name == in_use)
        out["models"][name] = scores
        if name == in_use:
            chosen = (name, scores, preds)
    if chosen is None:
        out["actual_purchases"] = float(frame.get_column("actual_purchases").sum())
        out["actual_revenue"] = float(frame.get_column("actual_revenue").sum())
        return out, None
    name, scores, preds = chosen
    out["model"] = name
    for key in ("predicted_purchases", "actual_purchases", "predicted_revenue",
                "actual_revenue", "purchases_ratio", "revenue_ratio", "spearman", "coverage",
                "revenue_low", "revenue_high", "total_covered"):
        out[key] = scores[key]
    scored = pl.concat([frame, preds.drop("customer_id")], how="horizontal")
    out["by_repeat_purchases"] = by_repeat_purchases(scored)
    ranked = sorted(out["models"].items(), key=lambda kv: kv[1]["rmse_purchases"])
    out["better_model"] = ranked[0][0]
    out["interval_level"] = cfg.interval_level
    return out, scored.select("customer_id", "value_tier", "predicted_revenue", "actual_revenue")
