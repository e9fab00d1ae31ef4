"""Customer 360: search by id or name; life curve with stage bands and every event on one
timeline; tier, lifetime value, stage, pattern, churn risk and the recommended action."""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from crm_logic import fmt
from crm_logic import lifecycle as lc
from crm_logic.charts import lifecycle as charts
from crm_logic.i18n import t
from ui import lifecycle as ul
from ui import lines as ui_lines
from ui import privacy, show, state
from ui import tables as ui_tables

state.require_frame(__file__)

lang = state.lang()
tr = state.tr
st.title(tr("customer.title"))
st.caption(tr("customer.intro"))

data = state.data()
day = state.as_of()
cfg = state.config()

if not state.has_orders(day):
    st.info(tr("lifecycle.no_orders"))
    st.stop()

with st.spinner():
    life, history = ul.frames(data, cfg, day)

# ---- search -----------------------------------------------------------------------------------
query = st.text_input(tr("customer.search"), key="customer.query", help=tr("customer.search_help"))
matches = privacy.screen(ul.search_customers(data.customers, life, query))
if matches.height == 0:
    st.warning(tr("customer.no_match", q=privacy.md_text(query)))
    st.stop()
names = dict(matches.iter_rows())
ids = list(names)
if query.strip():
    st.caption(tr("customer.matches", n=matches.height))
customer_id = st.selectbox(
    tr("customer.pick"), ids, key="customer.pick",
    format_func=lambda v: f"{v} — {names[v]}" if names.get(v) else str(v),
)
if customer_id is None:
    st.stop()

row = ul.one_row(life, customer_id)
full = ul.one_row(ul.analysis_table(), customer_id) or {}
profile = ul.one_row(data.customers, customer_id) or {}
na = tr("customer.not_available")

# ---- headline ---------------------------------------------------------------------------------
# user data as text: every Markdown character escaped (a name may be `![p](http://…)`)
shown_name = privacy.screen_value("name", profile.get("name"))
st.subheader(privacy.md_text(customer_id) + (f" · {privacy.md_text(shown_name)}"
                                             if shown_name else ""))
if row is None:
    st.info(tr("customer.no_orders"))
m = st.columns(3) + st.columns(3)
tier = full.get("value_tier")
m[0].metric(tr("customer.metric.tier"), t(f"tier.{tier}", lang) if tier else na)
clv = full.get("lifetime_value")
m[1].metric(tr("customer.metric.clv"), show.money(clv) if clv is not None else na)
risk, level = full.get("churn_risk"), full.get("risk_level")
if full.get("churned") and risk is not None:  # lost: the score reads as a win-back chance
    m[2].metric(tr("churn.metric.win_back"), fmt.risk(1.0 - risk),
                help=tr("churn.win_back_help"))
else:
    m[2].metric(tr("customer.metric.risk"),
                fmt.risk(risk) if risk is not None else na,
                delta=t(f"risk.{level}", lang) if level else None, delta_color="off",
                delta_arrow="off")
stage = row["lifecycle_stage"] if row else None
m[3].metric(tr("customer.metric.stage"), t(f"stage.{stage}", lang) if stage else na)
pattern = row["lifecycle_pattern"] if row else None
m[4].metric(tr("customer.metric.pattern"),
            t(f"pattern.{pattern}", lang) if pattern else tr("customer.no_pattern"))
if row:
    status = (tr("customer.status.lost", date=fmt.date(row["churn_date"], lang)) if row["churned"]
              else tr("customer.status.active"))
    m[5].metric(tr("customer.metric.lifetime"), fmt.days(row["lifetime_days"], lang),
                delta=status, delta_color="red" if row["churned"] else "green",
                delta_arrow="off")

# ---- recommended action -----------------------------------------------------------------------
action = full.get("recommended_action")
flags = full.get("risk_flags") or []
with st.container(border=True):
    st.markdown(f"**{tr('customer.action')}**")
    if action:
        st.markdown(ul.label(f"churn.action.{action}", lang, str(action)))
    elif pattern:  # lost: what the life curve says about why
        st.markdown(f"{t(f'pattern.{pattern}', lang)}: {tr(f'lifecycle.cause.{pattern}')}")
    elif stage:
        st.caption(tr("customer.action.stage_based"))
        st.markdown(tr(f"lifecycle.strategy.{stage}"))
    if action and pattern:
        st.caption(f"{t(f'pattern.{pattern}', lang)}: {tr(f'lifecycle.cause.{pattern}')}")
    if flags:
        st.markdown(f"{tr('customer.risk_flags')}: " + "; ".join(
            ul.label(f"churn.flag.{f}", lang, str(f)) for f in flags))

# ---- timeline ---------------------------------------------------------------------------------
series = history.filter(pl.col("customer_id") == customer_id).sort("period_index")
orders = ui_lines.customer_lines(customer_id, day)  # from the store: lines are not held
complaints = data.complaints.filter((pl.col("customer_id") == customer_id)
                                    & (pl.col("received_date") <= day))
interactions = data.interactions.filter((pl.col("customer_id") == customer_id)
                                        & (pl.col("interaction_date") <= day))
days = orders.group_by("order_date").agg(pl.col("amount").sum()).sort("order_date")
st.plotly_chart(
    charts.customer_timeline(series, lc.stage_periods(history, customer_id), days, complaints,
                             interactions, lang, cfg.lifecycle_period,
                             churn_date=row["churn_date"] if row and row["churned"] else None),
    key="customer.timeline",
)

# ---- details ----------------------------------------------------------------------------------
c1, c2 = st.columns([1, 2])
with c1:
    st.markdown(f"**{tr('customer.profile')}**")
    fields = [("channel", None), ("region", None), ("industry", None), ("sales_rep", None),
              ("signup_date", None), ("churn_reason", "churn_reason"),
              ("churn_type", "churn_type")]
    lines = []
    for field, prefix in fields:
        v = profile.get(field)
        if v is None or v == "":
            continue
        shown = (ul.label(f"{prefix}.{v}", lang, str(v)) if prefix
                 else fmt.date(v, lang) if isinstance(v, dt.date) else str(v))
        lines.append(f"- {tr(f'customer.field.{field}')}: {privacy.md_text(shown)}")
    if row:
        lines += [
            f"- {tr('lifecycle.col.first_purchase')}: {fmt.date(row['first_purchase'], lang)}",
            f"- {tr('lifecycle.col.last_purchase')}: {fmt.date(row['last_purchase'], lang)}",
            f"- {tr('lifecycle.col.occasions')}: {fmt.count(row['occasions'])}",
            f"- {tr('lifecycle.col.revenue')}: {show.money(row['revenue'])}",
            f"- {tr('lifecycle.col.peak_stage')}: {tr('stage.' + row['peak_stage'])}",
            f"- {tr('lifecycle.col.stability_months')}: {row['stability_months']:.0f}",
        ]
        if row["typical_gap_days"] is not None:
            lines.append(f"- {tr('lifecycle.col.typical_gap_days')}: "
                         f"{fmt.count(row['typical_gap_days'])}")
        if row["churn_source"]:
            lines.append(f"- {tr('lifecycle.col.churn_source')}: "
                         f"{tr('lifecycle.churn_source.' + row['churn_source'])}")
    st.markdown("\n".join(lines) if lines else tr("customer.none"))
with c2:
    tabs = st.tabs([tr("customer.tab.orders"), tr("customer.tab.complaints"),
                    tr("customer.tab.interactions")])
    for tab, frame, col in ((tabs[0], orders, "order_date"),
                            (tabs[1], complaints, "received_date"),
                            (tabs[2], interactions, "interaction_date")):
        with tab:
            if frame.height == 0:
                st.caption(tr("customer.none"))
                continue
            keep = [c for c in frame.columns if c != "customer_id"
                    and frame.get_column(c).null_count() < frame.height]
            ui_tables.table(frame.select(keep).sort(col, descending=True), lang, links=False,
                            height=300)
