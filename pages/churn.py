"""Churn early warning: flags, at-risk list (big customers first), churn rate, causes,
backtest and retention what-if."""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from crm_logic import churn, fmt
from crm_logic.charts import churn as charts
from ui import churn as uc
from ui import privacy, select, show, state
from ui import tables as ui_tables

state.require_frame(__file__)

lang = state.lang()
tr = state.tr
st.title(tr("churn_early_warning"))
st.caption(tr("churn.intro"))

data = state.data()
day = state.as_of()

with st.expander(tr("churn.thresholds"), expanded=False):
    c = st.columns(4)
    state.cfg_control("recent_window_days", c[0].slider, "churn.cfg.recent_window_days",
                      min_value=14, max_value=365, step=7)
    state.cfg_control("inactive_gap_multiple", c[0].slider, "churn.cfg.inactive_gap_multiple",
                      min_value=1.0, max_value=6.0, step=0.5)
    state.cfg_control("frequency_drop_share", c[1].slider, "churn.cfg.frequency_drop_share",
                      min_value=0.05, max_value=1.0, step=0.05)
    state.cfg_control("spend_drop_share", c[1].slider, "churn.cfg.spend_drop_share",
                      min_value=0.05, max_value=1.0, step=0.05)
    state.cfg_control("p_alive_low", c[2].slider, "churn.cfg.p_alive_low",
                      min_value=0.0, max_value=1.0, step=0.05)
    state.cfg_control("repeat_complaints_min", c[2].number_input,
                      "churn.cfg.repeat_complaints_min", min_value=1, max_value=20, step=1)
    state.cfg_control("risk_high", c[3].slider, "churn.cfg.risk_high",
                      min_value=0.05, max_value=1.0, step=0.05)
    state.cfg_control("risk_medium", c[3].slider, "churn.cfg.risk_medium",
                      min_value=0.0, max_value=1.0, step=0.05)
    state.cfg_control("risk_horizon_days", c[3].slider, "churn.cfg.risk_horizon_days",
                      min_value=30, max_value=365, step=15)

cfg = state.config()
if not state.has_orders(day):
    st.info(tr("churn.no_orders"))
    st.stop()

table = uc.customer_table()
rows = uc.scored(table)

# --- the warning: counts, flags in sentences, at-risk list -------------------------------
counts = churn.at_risk_counts(rows)
high = rows.filter(pl.col("risk_level") == "high")
big_high = high.filter(pl.col("value_tier").is_in(list(churn.BIG_TIERS)))
m = st.columns(5)
m[0].metric(tr("churn.metric.high"), f"{counts['high']:,}")
m[1].metric(tr("churn.metric.medium"), f"{counts['medium']:,}")
m[2].metric(tr("churn.metric.low"), f"{counts['low']:,}")
m[3].metric(tr("churn.metric.big_high"), f"{big_high.height:,}")
m[4].metric(tr("churn.metric.value_at_stake"),
            show.money(float(high.get_column("value_at_stake").fill_null(0).sum()), compact=True))

with st.expander(tr("churn.flags_title"), expanded=True):
    horizon = uc.train_horizon(data, cfg, day) or cfg.risk_horizon_days
    st.markdown(tr("churn.explain.risk", h=horizon, hi=cfg.risk_high, me=cfg.risk_medium))
    if rows.height and rows.get_column("model")[0] == "rules":
        st.info(tr("churn.model.rules"))
    st.markdown("\n".join(f"- **{label}**: {text}"
                          for label, text in churn.flag_explanations(cfg, lang)))

tier_labels = select.label_codes("tier", churn.TIERS, lang)
level_labels = select.label_codes("risk", churn.RISK_LEVELS, lang)
st.plotly_chart(charts.risk_by_tier_chart(rows, lang), key="churn.risk_by_tier",
                on_select=select.on_click(
                    "churn.risk_by_tier",
                    [("churn.list_tiers", tier_labels, "x", True),
                     ("churn.list_levels", level_labels, "name", True)],
                    trace_names=list(level_labels)),
                selection_mode="points")

st.subheader(tr("churn.list_title"))
st.caption(tr("churn.big_caption", d=cfg.horizon_days))
st.caption(tr("churn.click_hint"))
if "churn.list_levels" not in st.session_state:
    st.session_state["churn.list_levels"] = ["high", "medium"]
fl = st.columns(2)
levels = fl[0].multiselect(tr("churn.list_filter"), options=list(churn.RISK_LEVELS),
                           key="churn.list_levels", format_func=lambda v: tr(f"risk.{v}"),
                           placeholder=tr("choose_options"))
tiers = fl[1].multiselect(tr("churn.list_tier_filter"), options=list(churn.TIERS),
                          key="churn.list_tiers", format_func=lambda v: tr(f"tier.{v}"),
                          placeholder=tr("choose_options"))
shown = rows.filter(pl.col("risk_level").is_in(levels or list(churn.RISK_LEVELS)))
if tiers:
    shown = shown.filter(pl.col("value_tier").is_in(tiers))
if shown.height:
    cols = [c for c in uc.LIST_COLUMNS if c in shown.columns]
    ui_tables.table(shown.head(1000).select(cols), lang, key="churn.list")
else:
    st.info(tr("no_rows"))
privacy.download_button(tr("churn.download"),  # the CSV is made on click, not every rerun
                        lambda shown=shown, people=data.customers, lang=lang:
                        uc.at_risk_csv(shown, people, lang),
                        what="at-risk", rows=shown.height, masked=True,
                        file_name=f"at_risk_{day.isoformat()}.csv", mime="text/csv",
                        key="churn.download")

# --- churn rate over time ----------------------------------------------------------------
st.subheader(tr("churn.rate_title"))
r = st.columns(2)
state.cfg_control("churn_rate_acceptable_max", r[0].number_input,
                  "churn.cfg.churn_rate_acceptable_max", min_value=0.0, max_value=1.0,
                  step=0.005, format="%.3f")
state.cfg_control("churn_rate_acceptable_min", r[1].number_input,
                  "churn.cfg.churn_rate_acceptable_min", min_value=0.0, max_value=1.0,
                  step=0.005, format="%.3f")
cfg = state.config()
rates = uc.rates(data, cfg, day, table)
present = [s for s in ("all", *churn.TIERS) if s in set(rates.get_column("value_tier"))]
series = st.multiselect(tr("churn.rate_tier"), options=present, default=["all"],
                        key="churn.rate_series",
                        format_func=lambda v: charts.code_label("value_tier", v, lang),
                        placeholder=tr("choose_options"))
alerts = churn.churn_alerts(rates)
if alerts.height:
    latest = alerts.row(0, named=True)
    st.warning(tr("churn.rate_alert", lo=cfg.churn_rate_acceptable_min,
                  hi=cfg.churn_rate_acceptable_max, n=alerts.height,
                  month=latest["month"].strftime("%Y-%m"), rate=latest["churn_rate"]))
elif rates.height:
    st.success(tr("churn.rate_ok"))
st.plotly_chart(charts.churn_rate_chart(rates, cfg, lang, series or ["all"]),
                key="churn.rate_chart")
st.caption(tr("churn.rate_provisional", d=cfg.churn_gap_floor_days))

# --- churn causes ------------------------------------------------------------------------
st.subheader(tr("churn.causes_title"))
lost = uc.lost(data, cfg, day, table)
if lost.height == 0:
    st.info(tr("churn.causes_none"))
else:
    causes = uc.causes(cfg, day, lost, table)
    unknown = int(lost.filter(pl.col("churn_reason") == churn.UNKNOWN).height)
    st.markdown(tr("churn.causes_summary", n=lost.height,
                   v=float(lost.get_column("lost_value").sum()), u=unknown))
    measures = {tr("churn.col.customers"): "customers", tr("churn.col.lost_value"): "lost_value"}
    picked = st.radio(tr("churn.causes_measure"), options=list(measures), horizontal=True,
                      key=f"churn.causes_measure.{lang}")
    measure = measures.get(picked or "", "customers")
    tabs = st.tabs([tr("churn.causes_by_reason"), tr("churn.causes_by_type"),
                    tr("churn.causes_by_tier"), tr("churn.causes_by_pattern")])
    for tab, column in zip(tabs, ("churn_reason", "churn_type", "value_tier",
                                  "lifecycle_pattern"), strict=True):
        with tab:
            by = churn.causes_by(causes, column)
            st.plotly_chart(charts.causes_chart(by, column, lang, measure),
                            key=f"churn.causes.{column}")
            st.dataframe(uc.cause_table(by, column, lang), hide_index=True)

# --- backtest ----------------------------------------------------------------------------
st.subheader(tr("churn.backtest_title"))
st.caption(tr("churn.backtest_intro"))
first = state.first_order_day() or day
b = st.columns(2)
bt_horizon = state.cfg_control("backtest_horizon_days", b[1].slider,
                               "churn.cfg.backtest_horizon_days", min_value=30,
                               max_value=365, step=15)
default_cut = max(day - dt.timedelta(days=int(bt_horizon)), first)
cutoff = b[0].date_input(tr("churn.backtest_cutoff"), value=default_cut, min_value=first,
                         max_value=day, key="churn.backtest_cutoff")
cfg = state.config()
res = uc.backtest(data, cfg, cutoff, int(bt_horizon))
if res.customers == 0:
    st.info(tr("churn.backtest_empty"))
else:
    k = st.columns(4)
    k[0].metric(tr("churn.backtest_auc"), f"{res.auc:.3f}" if res.auc == res.auc else "–")
    k[1].metric(tr("churn.backtest_auc_recency"),
                f"{res.auc_recency:.3f}" if res.auc_recency == res.auc_recency else "–")
    k[2].metric(tr("churn.backtest_precision"),
                fmt.percent(res.precision_high) if res.high else fmt.BLANK)
    k[3].metric(tr("churn.backtest_recall"),
                fmt.percent(res.recall_high) if res.lost else fmt.BLANK)
    st.markdown(tr("churn.backtest_summary", n=f"{res.customers:,}", cutoff=res.cutoff,
                   lost=f"{res.lost:,}", rate=res.base_rate, h=res.horizon_days,
                   high=f"{res.high:,}", prec=f"{round(res.precision_high * res.high):,}"
                   if res.high else 0))
    if not res.complete:
        st.warning(tr("churn.backtest_incomplete"))
    st.markdown(f"**{tr('churn.lift_title')}**")
    st.plotly_chart(charts.lift_chart(res.lift, lang), key="churn.lift_chart")

# --- retention what-if -------------------------------------------------------------------
st.subheader(tr("churn.whatif_title"))
st.caption(tr("churn.whatif_intro"))
stages_present = [s for s in churn.STAGES
                  if s in set(rows.get_column("lifecycle_stage").drop_nulls())]
scen = st.columns(2)
for col, name, defaults in ((scen[0], "A", ["high"]), (scen[1], "B", ["high", "medium"])):
    with col:
        st.markdown(f"**{tr('churn.scenario', name=name)}**")
        lv = st.multiselect(tr("churn.whatif_levels"), list(churn.RISK_LEVELS), default=defaults,
                            key=f"churn.whatif.{name}.levels",
                            format_func=lambda v: tr(f"risk.{v}"),
                            help=tr("churn.empty_means_all"), placeholder=tr("choose_options"))
        tiers = st.multiselect(tr("churn.whatif_tiers"), list(churn.TIERS),
                               default=list(churn.BIG_TIERS) if name == "A" else [],
                               key=f"churn.whatif.{name}.tiers",
                               format_func=lambda v: tr(f"tier.{v}"),
                               help=tr("churn.empty_means_all"), placeholder=tr("choose_options"))
        stg = st.multiselect(tr("churn.whatif_stages"), stages_present, default=[],
                             key=f"churn.whatif.{name}.stages",
                             format_func=lambda v: tr(f"stage.{v}"),
                             help=tr("churn.empty_means_all"), placeholder=tr("choose_options"))
        if name == "A":  # scenario A's cost and save rate are the shared what-if config
            cost = state.cfg_control("cost_per_contact", st.number_input,
                                     "churn.cfg.cost_per_contact", min_value=0.0, step=5.0)
            save = state.cfg_control("save_rate", st.slider, "churn.cfg.save_rate",
                                     min_value=0.0, max_value=1.0, step=0.05)
        else:
            cost = st.number_input(tr("churn.whatif_cost"), min_value=0.0, step=5.0,
                                   value=float(cfg.cost_per_contact) * 2,
                                   key="churn.whatif.B.cost")
            save = st.slider(tr("churn.whatif_save"), min_value=0.0, max_value=1.0, step=0.05,
                             value=float(cfg.save_rate), key="churn.whatif.B.save")
        w = churn.retention_whatif(rows, lv, tiers, stg, cost, save)
        a1, a2 = st.columns(2)
        a1.metric(tr("churn.whatif_contacted"), f"{w.contacted:,}")
        a2.metric(tr("churn.whatif_saved"), fmt.count(w.saved))
        a1.metric(tr("churn.whatif_value"), show.money(w.value_saved))
        a2.metric(tr("churn.whatif_campaign_cost"), show.money(w.cost))
        a1.metric(tr("churn.whatif_net"), show.money(w.net))
        a2.metric(tr("churn.whatif_roi"), fmt.percent(w.roi) if w.roi is not None else fmt.BLANK)
