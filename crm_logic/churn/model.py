"""The churn classifier: a small ridge logistic regression trained on the store's own
past, and ROC AUC."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from crm_logic.churn.features import (
    PurchaseDays,
    _epoch,
    _features_at,
    _lazy,
    days_of,
    model_inputs,
)
from crm_logic.config import CrmConfig
from crm_logic.store import CrmData

MODEL_INPUTS: tuple[str, ...] = (
    "x_gap",
    "x_recency",
    "x_tenure_share",
    "x_occasions",
    "x_tenure",
    "x_spend_level",
    "x_one_time",
    "x_frequency_trend",
    "x_spend_trend",
    "x_complaint_open",
    "x_complaint_late",
    "x_complaint_repeat",
)
_TRAIN_MAX_ROWS = 200_000  # the model's sample of the past: plenty for nine coefficients
_TRAIN_MIN_ROWS = 50  # fewer customers in the past: rule score instead of the model
_TRAIN_MIN_CLASS = 10  # ... or fewer than this of either outcome
_RIDGE = 1.0  # L2 penalty on standardised coefficients: keeps the fit stable when sparse
_SEED = 20240605
_MIN_HORIZON_DAYS = 7
_MBG_FIT_MAX_ROWS = 100_000


# --- the classifier ------------------------------------------------------------------------


@dataclass(frozen=True)
class RiskModel:
    """A logistic regression on standardised `MODEL_INPUTS` (numpy, no sklearn)."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray  # intercept first
    train_cutoff: dt.date
    n_train: int
    base_rate: float  # share of the training customers that did not buy again

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Probability of no purchase within the horizon for each row of `x`."""
        z = (x - self.mean) / self.scale
        eta = self.coef[0] + z @ self.coef[1:]
        return 1.0 / (1.0 + np.exp(-np.clip(eta, -35.0, 35.0)))


def fit_logistic(x: np.ndarray, y: np.ndarray, ridge: float = _RIDGE, iters: int = 25) -> tuple[
    np.ndarray, np.ndarray, np.ndarray
]:
    """Ridge logistic regression by Newton steps; returns (mean, scale, coef with intercept)."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale = np.where(scale > 1e-12, scale, 1.0)
    z = np.column_stack([np.ones(len(x)), (x - mean) / scale])
    coef = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], ridge)
    penalty[0] = 0.0
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ coef, -35.0, 35.0)))
        grad = z.T @ (y - p) - penalty * coef
        w = p * (1.0 - p)
        hess = (z * w[:, None]).T @ z + np.diag(penalty) + 1e-9 * np.eye(z.shape[1])
        step = np.linalg.solve(hess, grad)
        coef = coef + step
        if np.max(np.abs(step)) < 1e-8:
            break
    return mean, scale, coef


def _matrix(feats: pl.DataFrame) -> np.ndarray:
    return feats.select(model_inputs()).to_numpy().astype(np.float64)


def train_risk_model(data: CrmData, cfg: CrmConfig, as_of: dt.date) -> RiskModel | None:
    """Fit the classifier on the store's own past; None when the past cannot support it.

    Features at `as_of - risk_horizon_days` (data up to then only) of every customer with a
    purchase by then, lost ones included (everyone gets a churn_risk), label: no purchase
    occasion in the horizon after that cut-off (up to `as_of`, never later).
    """
    return _train(days_of(data, as_of), data, cfg, as_of)


def _train(days: PurchaseDays, data: CrmData, cfg: CrmConfig, as_of: dt.date,
           ) -> RiskModel | None:
    """`train_risk_model` on purchase days up to `as_of` (the cut-off's features filter them)."""
    horizon = _horizon(days, cfg, as_of)
    if horizon is None:
        return None
    cutoff = as_of - dt.timedelta(days=horizon)
    feats = _features_at(days, data.complaints, cfg, cutoff)
    # label: a purchase occasion in (cutoff, as_of]
    later = days.buy & (days.day > _epoch(cutoff))
    bought = np.bincount(days.cust[later], minlength=days.customers) > 0
    inputs = ["days_since_last", "expected_gap", "population_gap", "tenure_days", "occasions",
              "revenue", "frequency_ratio", "spend_ratio", "complaints_open",
              "complaints_late", "complaints_recent"]  # what model_inputs() reads
    train = feats.select(inputs).with_columns(
        no_purchase=pl.Series(~bought[feats.get_column("_cust").to_numpy()])
    )
    if train.height > _TRAIN_MAX_ROWS:
        train = train.sample(_TRAIN_MAX_ROWS, seed=_SEED)
    y = train.get_column("no_purchase").cast(pl.Float64).to_numpy()
    positives = int(y.sum())
    minority = min(positives, train.height - positives)
    if train.height < _TRAIN_MIN_ROWS or minority < _TRAIN_MIN_CLASS:
        return None
    mean, scale, coef = fit_logistic(_matrix(train), y)
    return RiskModel(mean, scale, coef, cutoff, train.height, float(y.mean()))


def train_horizon(data: CrmData, cfg: CrmConfig, as_of: dt.date) -> int | None:
    """`risk_horizon_days`, shortened to half the history so the past cut-off has data.

    None when less than two weeks of history exist before `as_of`.
    """
    return _horizon(days_of(data, as_of), cfg, as_of)


def _horizon(days: PurchaseDays, cfg: CrmConfig, as_of: dt.date) -> int | None:
    if days.day.size == 0:
        return None
    first = dt.date(1970, 1, 1) + dt.timedelta(days=int(days.day.min()))
    horizon = min(int(cfg.risk_horizon_days), (as_of - first).days // 2)
    return horizon if horizon >= _MIN_HORIZON_DAYS else None


def _recorded_churn(customers: pl.DataFrame | pl.LazyFrame, as_of: dt.date) -> pl.LazyFrame:
    """customer_id, churn_date, churn_reason, churn_type recorded on or before `as_of`."""
    return (
        _lazy(customers)
        .filter(pl.col("churn_date") <= pl.lit(as_of, dtype=pl.Date),
                pl.col("customer_id").is_not_null())
        .group_by("customer_id")
        .agg(pl.col("churn_date").max(), pl.col("churn_reason").first(),
             pl.col("churn_type").first())
    )


# --- evaluation ----------------------------------------------------------------------------


def roc_auc(y_true: np.ndarray | pl.Series | list, score: np.ndarray | pl.Series | list) -> float:
    """Area under the ROC curve by ranks (Mann-Whitney U), ties get the average rank.

    `y_true` is 1/True for the positive class (here: the customer was lost). NaN when only
    one class is present.
    """
    y = np.asarray(y_true, dtype=bool)
    s = np.asarray(score, dtype=np.float64)
    n_pos = int(y.sum())
    n_neg = int(len(y) - n_pos)
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    order = np.argsort(s, kind="mergesort")
    sorted_s = s[order]
    ranks = np.empty(len(s), dtype=np.float64)
    # average rank within runs of equal scores
    boundaries = np.flatnonzero(np.diff(sorted_s)) + 1
    starts = np.concatenate([[0], boundaries])
    ends = np.concatenate([boundaries, [len(s)]])
    avg = (starts + ends + 1) / 2.0  # 1-based ranks: mean of start+1 .. end
    ranks[order] = np.repeat(avg, ends - starts)
    u = ranks[y].sum() - n_pos * (n_pos + 1) / 2.0
    return float(u / (n_pos * n_neg))
