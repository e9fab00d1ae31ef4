"""Backtest: score at a past cut-off, compare with who bought in the following horizon."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from crm_logic import occasions
from crm_logic.churn.model import roc_auc
from crm_logic.churn.scores import churn_scores, risk_level_expr
from crm_logic.config import CrmConfig
from crm_logic.store import CrmData

# --- backtest ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BacktestResult:
    """How well the warning, run at a past cut-off, foresaw who stopped buying."""

    cutoff: dt.date
    horizon_days: int
    customers: int  # scored at the cut-off
    lost: int  # of them, no purchase within the horizon
    base_rate: float  # lost / customers
    auc: float  # ROC AUC of churn_risk
    auc_recency: float  # ROC AUC of days since the last purchase (the simple baseline)
    high: int  # flagged high at the cut-off
    precision_high: float  # share of "high" that were lost
    recall_high: float  # share of the lost that were flagged "high"
    complete: bool  # the data reaches cutoff + horizon (otherwise truth is cut short)
    lift: pl.DataFrame  # decile, customers, lost, lost_rate, lift, cum_share_lost


@dataclass(frozen=True)
class BacktestScores:
    """The backtest before the risk levels (`backtest_scores`): per customer scored at the
    cut-off, lost (truth), churn_risk and days_since_last."""

    cutoff: dt.date
    horizon_days: int
    scored: pl.DataFrame  # lost, churn_risk, days_since_last (customers that could be kept)
    complete: bool


def backtest(
    data: CrmData, cfg: CrmConfig, cutoff: dt.date, horizon_days: int | None = None
) -> BacktestResult:
    """Score with data up to `cutoff`, compare with purchases in the following horizon.

    Truth: the customer made no purchase in (cutoff, cutoff + horizon_days]. The scoring
    reads nothing after the cut-off (`churn_scores` cuts every table at its as_of). As on
    the at-risk list, customers already lost at the cut-off (the lifecycle's one rule,
    `crm_logic.lost`) are left out: the test is on those that could be kept.
    """
    return backtest_result(backtest_scores(data, cfg, cutoff, horizon_days), cfg)


def backtest_scores(
    data: CrmData, cfg: CrmConfig, cutoff: dt.date, horizon_days: int | None = None
) -> BacktestScores:
    """`backtest` up to the risk levels: the scores at the cut-off and the truth (every
    field but `risk_high` / `risk_medium`, which `backtest_result` applies)."""
    horizon = int(horizon_days if horizon_days is not None else cfg.backtest_horizon_days)
    end = cutoff + dt.timedelta(days=horizon)
    occ = occasions.table(data, end, occasions.DAYS)
    scores = churn_scores(data, cfg, cutoff).filter(~pl.col("churned"))
    bought = (
        occ.filter(pl.col("day") > cutoff, pl.col("is_purchase"))
        .select("customer_id").unique().with_columns(_bought=pl.lit(True))
    )
    scored = scores.join(bought, on="customer_id", how="left").select(
        pl.col("_bought").is_null().alias("lost"), "churn_risk", "days_since_last")
    latest = occasions.table(data, occasions.ALL_DAYS, ("day",)).get_column("day").max()
    return BacktestScores(cutoff, horizon, scored,
                          complete=isinstance(latest, dt.date) and latest >= end)


def backtest_result(held: BacktestScores, cfg: CrmConfig) -> BacktestResult:
    """The backtest's figures from `backtest_scores`, "high" by the risk levels of `cfg`."""
    scored = held.scored
    y = scored.get_column("lost").to_numpy()
    high = (scored.select(risk_level_expr(cfg)).to_series() == "high").to_numpy()
    n_lost = int(y.sum())
    return BacktestResult(
        cutoff=held.cutoff,
        horizon_days=held.horizon_days,
        customers=scored.height,
        lost=n_lost,
        base_rate=n_lost / scored.height if scored.height else float("nan"),
        auc=roc_auc(y, scored.get_column("churn_risk").to_numpy()),
        auc_recency=roc_auc(y, scored.get_column("days_since_last").to_numpy()),
        high=int(high.sum()),
        precision_high=float(y[high].mean()) if high.any() else float("nan"),
        recall_high=float(high[y].mean()) if n_lost else float("nan"),
        complete=held.complete,
        lift=lift_table(y, scored.get_column("churn_risk").to_numpy()),
    )


def lift_table(y_true: np.ndarray, score: np.ndarray, groups: int = 10) -> pl.DataFrame:
    """Customers in `groups` equal bands by score, riskiest first: how many were lost.

    Columns: decile (1 = riskiest), customers, lost, lost_rate, lift (lost_rate / overall),
    cum_share_lost (share of all lost customers found down to this band).
    """
    n = len(score)
    schema = {"decile": pl.Int64, "customers": pl.Int64, "lost": pl.Int64,
              "lost_rate": pl.Float64, "lift": pl.Float64, "cum_share_lost": pl.Float64}
    if n == 0:
        return pl.DataFrame(schema=schema)
    order = np.argsort(-np.asarray(score, dtype=np.float64), kind="mergesort")
    band = np.empty(n, dtype=np.int64)
    band[order] = np.arange(n) * groups // n + 1
    frame = pl.DataFrame({"decile": band, "lost": np.asarray(y_true, dtype=np.int64)})
    total = max(int(frame.get_column("lost").sum()), 1)
    overall = frame.get_column("lost").mean() or float("nan")
    return (
        frame.group_by("decile").agg(customers=pl.len().cast(pl.Int64),
                                     lost=pl.col("lost").sum().cast(pl.Int64))
        .sort("decile")
        .with_columns(lost_rate=pl.col("lost") / pl.col("customers"))
        .with_columns(lift=pl.col("lost_rate") / overall,
                      cum_share_lost=pl.col("lost").cum_sum() / total)
        .cast(schema)  # type: ignore[arg-type]
    )
