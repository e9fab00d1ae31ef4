"""Churn early warning: flags, a churn risk score, backtest, churn rate, causes, retention what-if.

How the score works (and why):
- Every customer gets a feature frame built only from data up to and including `as_of`:
  purchase occasions (the project's one rule, `crm_logic.occasions`: a customer's calendar
  day with at least one order line of amount >= 0), the customer's own purchase rhythm
  (typical gap between occasions, shrunk towards the population's typical gap with one
  pseudo-gap so one-time buyers and two-purchase customers get a sensible rhythm), a recent
  window (`recent_window_days`) against the customer's own
  baseline (frequency and spend per day before the window), and complaints (open at `as_of`,
  late against `sla_days`, repeated within the window).
- Flags (`churn_flags(cfg)`) turn these into readable yes/no warnings.
- `churn_risk` is the probability that the customer makes no purchase within
  `risk_horizon_days`. It comes from a small logistic regression trained on the store's own
  past: features computed at an internal cut-off `as_of - risk_horizon_days` (data up to that
  cut-off only) and the label "no purchase between that cut-off and `as_of`". All inputs are
  relative to the customer's own rhythm or history (scale-free: days since the last purchase
  in units of the customer's gap, share of tenure since the last purchase, log number of
  occasions, recent-vs-baseline frequency and spend, complaints), so a model learned on the
  past transfers to today. Nothing after `as_of` is read. When the past is too short or has
  only one outcome, a transparent rule score stands in (see `_rule_risk`).
- Lost customers: the lifecycle's one rule (`crm_logic.lost`: a recorded churn_date not
  followed by a purchase, else a silence longer than the customer's rhythm allows) says who
  is lost; they are scored too (for them 1 - churn_risk is the chance to win them back)
  and get a win-back action; churn rate, causes and the backtest use the same rule.
- Data: every function starts from the purchase-occasion table (`crm_logic.occasions`,
  one DuckDB query per data version); no pass over the order lines here.

Modules: `features` (per-customer features), `model` (the classifier, ROC AUC), `scores`
(flags, risk, levels, actions), `causes` (lost customers, churn rate, causes, what-if),
`backtest`, `texts` (readable flags and actions).
"""

from __future__ import annotations

from crm_logic.churn.backtest import (
    BacktestResult,
    BacktestScores,
    backtest,
    backtest_result,
    backtest_scores,
    lift_table,
)
from crm_logic.churn.causes import (
    WhatIf,
    _lost_value,
    _tier_of,
    causes_by,
    churn_alerts,
    churn_causes,
    churn_rate_by_month,
    lost_customers,
    rate_inputs,
    rates_from,
    retention_whatif,
)
from crm_logic.churn.features import (
    PurchaseDays,
    _days,
    _derive_features,
    _epoch,
    _features_at,
    _lazy,
    _order_features_at,
    complaint_features,
    customer_features,
    data_features,
    days_of,
    model_inputs,
    order_features,
    purchase_days,
    purchase_days_of,
)
from crm_logic.churn.model import (
    _MBG_FIT_MAX_ROWS,
    _MIN_HORIZON_DAYS,
    _RIDGE,
    _SEED,
    _TRAIN_MAX_ROWS,
    _TRAIN_MIN_CLASS,
    _TRAIN_MIN_ROWS,
    MODEL_INPUTS,
    RiskModel,
    _horizon,
    _matrix,
    _recorded_churn,
    _train,
    fit_logistic,
    roc_auc,
    train_horizon,
    train_risk_model,
)
from crm_logic.churn.scores import (
    _lifecycle_inputs,
    _mbg_p_alive,
    _rule_risk,
    _sorted_by_id,
    _value_inputs,
    action_expr,
    at_risk_counts,
    big_customers_first,
    churn_flags,
    churn_scores,
    lost_action_expr,
    lost_before,
    risk_flags_expr,
    risk_level_expr,
)
from crm_logic.churn.texts import (
    action_text_expr,
    flag_explanations,
    flags_text,
    readable_flags_expr,
)
from crm_logic.codes import ACTIONS, BIG_TIERS, FLAGS, PATTERNS, RISK_LEVELS, STAGES, TIERS, UNKNOWN

__all__ = [
    "ACTIONS",
    "BIG_TIERS",
    "BacktestResult",
    "BacktestScores",
    "FLAGS",
    "MODEL_INPUTS",
    "PATTERNS",
    "PurchaseDays",
    "RISK_LEVELS",
    "RiskModel",
    "STAGES",
    "TIERS",
    "UNKNOWN",
    "WhatIf",
    "_MBG_FIT_MAX_ROWS",
    "_MIN_HORIZON_DAYS",
    "_RIDGE",
    "_SEED",
    "_TRAIN_MAX_ROWS",
    "_TRAIN_MIN_CLASS",
    "_TRAIN_MIN_ROWS",
    "_days",
    "_derive_features",
    "_epoch",
    "_features_at",
    "_horizon",
    "_lazy",
    "_lifecycle_inputs",
    "_lost_value",
    "_matrix",
    "_mbg_p_alive",
    "_order_features_at",
    "_recorded_churn",
    "_rule_risk",
    "_sorted_by_id",
    "_tier_of",
    "_train",
    "_value_inputs",
    "action_expr",
    "action_text_expr",
    "at_risk_counts",
    "backtest",
    "backtest_result",
    "backtest_scores",
    "big_customers_first",
    "causes_by",
    "churn_alerts",
    "churn_causes",
    "churn_flags",
    "churn_rate_by_month",
    "churn_scores",
    "complaint_features",
    "customer_features",
    "data_features",
    "days_of",
    "fit_logistic",
    "flag_explanations",
    "flags_text",
    "lift_table",
    "lost_action_expr",
    "lost_before",
    "lost_customers",
    "model_inputs",
    "order_features",
    "purchase_days",
    "purchase_days_of",
    "rate_inputs",
    "rates_from",
    "readable_flags_expr",
    "retention_whatif",
    "risk_flags_expr",
    "risk_level_expr",
    "roc_auc",
    "train_horizon",
    "train_risk_model",
]
