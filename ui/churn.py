"""UI-side helpers of the Churn page: cached analysis results and display frames.

Caching lives here (never in crm_logic): every wrapper is keyed by the store path, the data
version, the as-of date (or cut-off) and the what-if config.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from crm_logic import churn, store
from crm_logic.charts.churn import code_label
from crm_logic.config import CrmConfig
from crm_logic.i18n import t
from ui import state


def _cfg_items(cfg: CrmConfig, *labels: str) -> tuple:
    """Cache key: the features-stage fields and the named labels-stage fields (a result is
    recomputed only when something it reads changes)."""
    from crm_logic.config import stage_items

    return stage_items(cfg, "features") + tuple((f, getattr(cfg, f)) for f in labels)


def customer_table() -> pl.DataFrame:
    """Value, lifecycle and churn per customer (the shared cached analysis)."""
    return state.analysis().customers


def scored(table: pl.DataFrame) -> pl.DataFrame:
    """Customers that can still be kept (not lost) and carry a churn risk, big ones first."""
    active = table.filter(~pl.col("churned").fill_null(False) if "churned" in table.columns
                          else pl.lit(True))
    return churn.big_customers_first(active.filter(pl.col("churn_risk").is_not_null()))


@st.cache_resource(show_spinner=False, max_entries=8)
def _lost(path: str, version: int, day: dt.date, cfg_items: tuple, _data: store.CrmData,
          _table: pl.DataFrame) -> pl.DataFrame:
    return churn.lost_customers(_data, CrmConfig(**dict(cfg_items)), day, lifecycle=_table)


def lost(data: store.CrmData, cfg: CrmConfig, day: dt.date, table: pl.DataFrame) -> pl.DataFrame:
    """`churn.lost_customers` with the lifecycle analysis' churn, cached."""
    return _lost(str(store.db_path()), state.version(), day, _cfg_items(cfg), data, table)


@st.cache_resource(show_spinner=False, max_entries=8)
def _rates(path: str, version: int, day: dt.date, cfg_items: tuple, _data: store.CrmData,
           _table: pl.DataFrame) -> pl.DataFrame:
    return churn.churn_rate_by_month(_data, CrmConfig(**dict(cfg_items)), day, tiers=_table,
                                     lifecycle=_table)


def rates(data: store.CrmData, cfg: CrmConfig, day: dt.date, table: pl.DataFrame) -> pl.DataFrame:
    """`churn.churn_rate_by_month` by value tier, cached."""
    items = _cfg_items(cfg, "tier_platinum_share", "tier_gold_share", "tier_iron_share",
                       "churn_rate_acceptable_max", "churn_rate_acceptable_min")
    return _rates(str(store.db_path()), state.version(), day, items, data, table)


@st.cache_resource(show_spinner=False, max_entries=8)
def _backtest(path: str, version: int, cutoff: dt.date, horizon: int, cfg_items: tuple,
              _data: store.CrmData) -> churn.BacktestResult:
    return churn.backtest(_data, CrmConfig(**dict(cfg_items)), cutoff, horizon)


def backtest(data: store.CrmData, cfg: CrmConfig, cutoff: dt.date,
             horizon: int) -> churn.BacktestResult:
    """`churn.backtest` at a past cut-off, cached."""
    return _backtest(str(store.db_path()), state.version(), cutoff, int(horizon),
                     _cfg_items(cfg, "risk_high", "risk_medium"), data)


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
