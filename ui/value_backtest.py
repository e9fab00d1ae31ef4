"""The Value page's trust section: the forecast's interval and the value backtest.

Caching lives here, in two stages like the analysis (`ui.state`): the backtest refits the
models at the cut-off, so its fits, predictions and scores are held once per server process
per data version, as-of and the value table's features-stage fields (`st.cache_resource`:
shared, never copied, not mutated); the tiers at the cut-off are re-ranked per tier shares
(`value.backtest.with_tiers`, no refit), a small result held per those keys too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import streamlit as st

from crm_logic import fmt, store
from crm_logic.charts import value_backtest as charts
from crm_logic.config import CrmConfig, field_stage
from crm_logic.i18n import t
from crm_logic.value.backtest import BacktestStage, backtest_stage, with_tiers
from ui import state
from ui.segments import VALUE_FIELDS

MODEL_NAMES = {"bgnbd": "BG/NBD", "mbgnbd": "MBG/NBD"}


@st.cache_resource(show_spinner=False, max_entries=4)
def _stage(path: str, version: int, day: dt.date, features: tuple,
           _data: store.CrmData) -> BacktestStage:
    return backtest_stage(_data, CrmConfig(**dict(features)), day)


@st.cache_resource(show_spinner=False, max_entries=16)
def _tiered(path: str, version: int, day: dt.date, features: tuple, labels: tuple,
            _data: store.CrmData) -> dict[str, Any]:
    held = _stage(path, version, day, features, _data)
    return with_tiers(held, CrmConfig(**dict(features), **dict(labels)))


def backtest(data: store.CrmData, cfg: CrmConfig, day: dt.date) -> dict[str, Any]:
    """`value_backtest` for the store, cached per data version, as-of and value settings
    (the fits per features-stage field, the tiers per tier shares)."""
    items = [(k, v) for k, v in sorted(cfg.to_dict().items()) if k in VALUE_FIELDS]
    features = tuple((k, v) for k, v in items if field_stage(k) == "features")
    labels = tuple((k, v) for k, v in items if field_stage(k) == "labels")
    return _tiered(str(store.db_path()), state.version(), day, features, labels, data)


def model_table(bt: dict[str, Any], lang: str) -> pl.DataFrame:
    """Each fitted purchase model's holdout scores side by side (display frame)."""
    rows = []
    for name, s in bt.get("models", {}).items():
        rows.append({
            "model": MODEL_NAMES.get(name, name),
            "in_use": "✓" if name == bt.get("model") else "",
            "predicted_purchases": fmt.count(s["predicted_purchases"]),
            "actual_purchases": fmt.count(s["actual_purchases"]),
            "purchases_ratio": fmt.percent(s["purchases_ratio"]),
            "rmse_purchases": fmt.number(s["rmse_purchases"], 2),
            "spearman": fmt.number(s["spearman"], 2),
            "coverage": fmt.percent(s["coverage"]),
        })
    frame = pl.DataFrame(rows, schema=dict.fromkeys(
        ("model", "in_use", "predicted_purchases", "actual_purchases", "purchases_ratio",
         "rmse_purchases", "spearman", "coverage"), pl.String))
    return frame.rename({c: t(f"value_bt.col.{c}", lang) for c in frame.columns})


def render(data: store.CrmData, cfg: CrmConfig, day: dt.date, forecast: dict[str, float] | None,
           lang: str) -> None:
    """The interval of the forecast, then the backtest (metrics, charts, models)."""
    currency = fmt.resolve_currency(getattr(cfg, "currency", "") or "")

    def money(x: float | None) -> str:
        return fmt.money(x, currency, lang, compact=True)

    with st.spinner():
        bt = backtest(data, cfg, day)
    level = fmt.percent(cfg.interval_level)
    st.subheader(t("value_bt.interval.title", lang))
    if forecast is None:
        st.info(t("value_bt.interval.no_fit", lang))
    else:
        st.markdown(t("value_bt.interval.total", lang, days=cfg.horizon_days,
                      total=money(forecast["total"]), level=level, low=money(forecast["low"]),
                      high=money(forecast["high"])))
    if bt.get("predicted_purchases") is None:
        st.info(t("value_bt.none", lang, cutoff=fmt.date(bt["cutoff"], lang)))
        return
    word = "value_bt.interval.was" if bt.get("total_covered") else "value_bt.interval.was_not"
    st.markdown(t("value_bt.interval.covers", lang, coverage=fmt.percent(bt["coverage"]),
                  level=level, total_word=t(word, lang)))
    cutoff = fmt.date(bt["cutoff"], lang)
    st.caption(t("value_bt.intro", lang, cutoff=cutoff, days=bt["horizon_days"]))
    m = st.columns(4)
    m[0].metric(t("value_bt.metric.purchases", lang), fmt.percent(bt["purchases_ratio"]),
                t("value_bt.metric.counts", lang, pred=fmt.count(bt["predicted_purchases"]),
                  actual=fmt.count(bt["actual_purchases"])),
                delta_color="off", delta_arrow="off")
    m[1].metric(t("value_bt.metric.revenue", lang), fmt.percent(bt["revenue_ratio"]),
                t("value_bt.metric.counts", lang, pred=money(bt["predicted_revenue"]),
                  actual=money(bt["actual_revenue"])),
                delta_color="off", delta_arrow="off")
    m[2].metric(t("value_bt.metric.spearman", lang), fmt.number(bt["spearman"], 2),
                help=t("value_bt.metric.spearman_help", lang))
    m[3].metric(t("value_bt.metric.coverage", lang), fmt.percent(bt["coverage"]),
                help=t("value_bt.metric.coverage_help", lang, level=level))
    c1, c2 = st.columns(2)
    with c1:
        st.plotly_chart(charts.calibration_chart(bt["by_repeat_purchases"], lang),
                        key="value_bt.calibration")
        st.caption(t("value_bt.calibration.caption", lang))
    with c2:
        st.plotly_chart(charts.tier_chart(bt["by_tier"], lang), key="value_bt.tiers")
        st.caption(t("value_bt.tiers.caption", lang, days=bt["horizon_days"], cutoff=cutoff))
    st.markdown(f"**{t('value_bt.models.title', lang)}**")
    st.dataframe(model_table(bt, lang), hide_index=True, width="stretch")
    scores = bt.get("models", {})
    better = bt.get("better_model")
    if better and len(scores) > 1:
        other = next(v for k, v in scores.items() if k != better)
        st.caption(t("value_bt.models.better", lang, model=MODEL_NAMES.get(better, better),
                     best=fmt.number(scores[better]["rmse_purchases"], 2),
                     other=fmt.number(other["rmse_purchases"], 2)))
