"""UI-side helpers of the Churn page: cached analysis results and display frames.

Caching lives here (never in crm_logic), held once per server process (`st.cache_resource`,
bounded) and split like the analysis (`ui.state`): what reads the data is keyed by the store
path, the data version, the as-of date (or cut-off) and the features-stage fields; what a
labels-stage field changes (tiers in the churn rate, its acceptable range, the backtest's
"high") is a small result derived from it, keyed by those fields too.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from crm_logic import churn, store
from crm_logic.charts.churn import code_label
from crm_logic.config import CrmConfig, stage_items
from crm_logic.i18n import t
from ui import state

_TIER_LABELS = ("tier_platinum_share", "tier_gold_share", "tier_iron_share")
_RATE_LABELS = (*_TIER_LABELS, "churn_rate_acceptable_max", "churn_rate_acceptable_min")
_RISK_LABELS = ("risk_high", "risk_medium")


def _labels(cfg: CrmConfig, fields: tuple[str, ...]) -> tuple:
    return tuple((f, getattr(cfg, f)) for f in fields)


def customer_table() -> pl.DataFrame:
    """Value, lifecycle and churn per customer (the shared cached analysis)."""
    return state.analysis().customers


@st.cache_resource(show_spinner=False, max_entries=8)
def _scored(path: str, version: int, day: dt.date, features: tuple, labels: tuple,
            _table: pl.DataFrame) -> pl.DataFrame:
    active = _table.filter(~pl.col("churned").fill_null(False) if "churned" in _table.columns
                           else pl.lit(True))
    return churn.big_customers_first(active.filter(pl.col("churn_risk").is_not_null()))


def scored(table: pl.DataFrame) -> pl.DataFrame:
    """Customers that can still be kept (not lost) and carry a churn risk, big ones first;
    held per the analysis' stages (`table` is the session's analysis, `customer_table`): a
    revisit does not sort them again (0.26 s at 250,000 customers)."""
    cfg = state.config()  # the order reads the tiers and risk levels, no other label
    return _scored(str(store.db_path()), state.version(), state.as_of(),
                   stage_items(cfg, "features"), _labels(cfg, (*_TIER_LABELS, *_RISK_LABELS)),
                   table)


@st.cache_resource(show_spinner=False, max_entries=4)
def _lost(path: str, version: int, day: dt.date, features: tuple, _data: store.CrmData,
          _table: pl.DataFrame) -> pl.DataFrame:
    return churn.lost_customers(_data, CrmConfig(**dict(features)), day, lifecycle=_table)


def lost(data: store.CrmData, cfg: CrmConfig, day: dt.date, table: pl.DataFrame) -> pl.DataFrame:
    """`churn.lost_customers` with the lifecycle analysis' churn (features stage), cached."""
    return _lost(str(store.db_path()), state.version(), day, stage_items(cfg, "features"),
                 data, table)


@st.cache_resource(show_spinner=False, max_entries=8)
def _causes(path: str, version: int, day: dt.date, features: tuple, tiers: tuple,
            _lost: pl.DataFrame, _table: pl.DataFrame) -> pl.DataFrame:
    return churn.churn_causes(_lost, tiers=_table, lifecycle=_table)


def causes(cfg: CrmConfig, day: dt.date, lost: pl.DataFrame,
           table: pl.DataFrame) -> pl.DataFrame:
    """`churn.churn_causes` of `lost` with the table's tiers and patterns, held per the
    features stage and the tier shares (all it reads): a risk-level change does not group
    the lost customers again (0.12-0.14 s at 250,000 customers)."""
    return _causes(str(store.db_path()), state.version(), day, stage_items(cfg, "features"),
                   _labels(cfg, _TIER_LABELS), lost, table)


@st.cache_resource(show_spinner=False, max_entries=4)
def _rate_inputs(path: str, version: int, day: dt.date, features: tuple, _data: store.CrmData,
                 _table: pl.DataFrame) -> pl.DataFrame:
    gone = _lost(path, version, day, features, _data, _table)
    return churn.rate_inputs(_data, CrmConfig(**dict(features)), day, lost=gone)


@st.cache_resource(show_spinner=False, max_entries=16)
def _rates(path: str, version: int, day: dt.date, features: tuple, labels: tuple,
           _data: store.CrmData, _table: pl.DataFrame) -> pl.DataFrame:
    inputs = _rate_inputs(path, version, day, features, _data, _table)
    return churn.rates_from(inputs, CrmConfig(**dict(features), **dict(labels)), day,
                            tiers=_table)


def rates(data: store.CrmData, cfg: CrmConfig, day: dt.date, table: pl.DataFrame) -> pl.DataFrame:
    """`churn.churn_rate_by_month` by value tier (`table` = the analysis under `cfg`): who
    left when, per features stage; tiers and the acceptable range applied per their fields."""
    return _rates(str(store.db_path()), state.version(), day, stage_items(cfg, "features"),
                  _labels(cfg, _RATE_LABELS), data, table)


@st.cache_resource(show_spinner=False, max_entries=4)
def _backtest_scores(path: str, version: int, cutoff: dt.date, horizon: int, features: tuple,
                     _data: store.CrmData) -> churn.BacktestScores:
    return churn.backtest_scores(_data, CrmConfig(**dict(features)), cutoff, horizon)


@st.cache_resource(show_spinner=False, max_entries=16)
def _backtest(path: str, version: int, cutoff: dt.date, horizon: int, features: tuple,
              labels: tuple, _data: store.CrmData) -> churn.BacktestResult:
    held = _backtest_scores(path, version, cutoff, horizon, features, _data)
    return churn.backtest_result(held, CrmConfig(**dict(features), **dict(labels)))


def backtest(data: store.CrmData, cfg: CrmConfig, cutoff: dt.date,
             horizon: int) -> churn.BacktestResult:
    """`churn.backtest` at a past cut-off: scored once per features stage, the risk levels
    ("high") applied per their fields."""
    return _backtest(str(store.db_path()), state.version(), cutoff, int(horizon),
                     stage_items(cfg, "features"), _labels(cfg, _RISK_LABELS), data)


@st.cache_resource(show_spinner=False, max_entries=8)
def _train_horizon(path: str, version: int, day: dt.date, risk_horizon_days: int,
                   _data: store.CrmData) -> int | None:
    return churn.train_horizon(_data, CrmConfig(risk_horizon_days=risk_horizon_days), day)


def train_horizon(data: store.CrmData, cfg: CrmConfig, day: dt.date) -> int | None:
    """`churn.train_horizon` (the model's horizon), once per data version and as-of."""
    return _train_horizon(str(store.db_path()), state.version(), day,
                          int(cfg.risk_horizon_days), data)


LIST_COLUMNS: tuple[str, ...] = (
    "customer_id", "value_tier", "lifecycle_stage", "churn_risk", "risk_level", "risk_flags",
    "recommended_action", "value_at_stake", "expected_loss", "days_since_last",
    "last_order_date",
)


def display_list(rows: pl.DataFrame, lang: str) -> pl.DataFrame:
    """The at-risk list with translated codes and headers (display only)."""
    cols = [c for c in LIST_COLUMNS if c in rows.columns]
    out = rows.select(cols).with_columns(
        churn.readable_flags_expr(lang), churn.action_text_expr(lang),
        pl.col("risk_level").replace_strict(
            {lvl: t(f"risk.{lvl}", lang) for lvl in churn.RISK_LEVELS}, default=None),
        pl.col("value_tier").map_elements(lambda c: code_label("value_tier", c, lang),
                                          return_dtype=pl.String),
    )
    if "lifecycle_stage" in out.columns:
        stages = {s: t(f"stage.{s}", lang) for s in churn.STAGES}
        out = out.with_columns(pl.col("lifecycle_stage").replace_strict(stages, default=None))
    return out.rename({c: t(f"churn.col.{c}", lang) for c in out.columns})


def at_risk_csv(rows: pl.DataFrame, customers: pl.DataFrame, lang: str) -> bytes:
    """The contract's at-risk columns, flags readable, action text appended; safe CSV."""
    from crm_logic.export import to_safe_csv
    from crm_logic.pipeline import export_frame

    out = export_frame(rows, customers)
    if lang != "en":  # the page's language: Chinese headers and values
        from crm_logic.localise import localise_frame

        return to_safe_csv(localise_frame(out, lang))
    if "risk_flags" in out.columns:
        out = out.with_columns(churn.readable_flags_expr(lang))
    if "recommended_action" in out.columns:
        out = out.with_columns(
            churn.action_text_expr(lang, "recommended_action")
            .alias("recommended_action_text")
        )
    return to_safe_csv(out)


def cause_table(by: pl.DataFrame, column: str, lang: str) -> pl.DataFrame:
    """`churn.causes_by` with translated codes and headers."""
    return by.with_columns(
        pl.col(column).map_elements(lambda c: code_label(column, c, lang), return_dtype=pl.String)
    ).rename({c: t(f"churn.col.{c}", lang) for c in by.columns})
