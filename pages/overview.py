"""Overview: the Monday-morning summary of value, lifecycle, churn risk and complaints."""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from crm_logic.charts.overview import coded_counts_bar
from crm_logic.charts.palette import RISK_COLORS, STAGE_COLORS, TIER_COLORS
from crm_logic.complaints import complaint_report
from crm_logic.pipeline import (
    RISK_LEVELS,
    STAGES,
    TIER_ORDER,
    coded_counts,
    revenue_between,
)
from ui import monday, state

state.require_frame(__file__)

lang = state.lang()
tr = state.tr
st.title(tr("overview.title"))
st.caption(tr("overview.intro"))

data = state.data()
day = state.as_of()
cfg = state.config()
orders = data.orders.filter(pl.col("order_date") <= day)

if orders.is_empty():
    st.info(tr("overview.complaints_only") if data.complaints.height else tr("app.no_data"))
    st.stop()

analysis = state.analysis()
table = analysis.customers
churned = pl.col("churned").fill_null(False)
active = table.filter(~churned)


last_12 = revenue_between(orders, day - dt.timedelta(days=365), day)
prev_12 = revenue_between(orders, day - dt.timedelta(days=730),
                          day - dt.timedelta(days=365))
delta = f"{(last_12 / prev_12 - 1):+.1%}" if prev_12 > 0 else None
high = active.filter(pl.col("risk_level") == "high")
big_high = high.filter(pl.col("value_tier").is_in(["platinum", "gold"]))
complaints = complaint_report(data.complaints, cfg, day)

k = st.columns(5)
k[0].metric(tr("overview.kpi.customers"), f"{table.height:,}",
            help=f"{tr('overview.kpi.active')}: {active.height:,} · "
                 f"{tr('overview.kpi.churned')}: {table.height - active.height:,}")
k[1].metric(tr("overview.kpi.revenue_12m"), f"{last_12:,.0f}", delta=delta)
k[2].metric(tr("overview.kpi.clv_total"), f"{table.get_column('lifetime_value').sum():,.0f}")
k[3].metric(tr("overview.kpi.high_risk"), f"{high.height:,}",
            delta=tr("overview.kpi.high_risk_big", n=big_high.height), delta_color="off",
            delta_arrow="off")
sla = complaints.get("sla_breach_rate")
k[4].metric(tr("overview.kpi.open_complaints"), f"{complaints.get('open', 0):,}",
            delta=tr("overview.kpi.sla_breach", pct=f"{sla:.0%}") if sla is not None else None,
            delta_color="off", delta_arrow="off")

monday.kpi_section()  # issue 14: KPIs against the previous complete period

mixes = [  # (counts, code prefix, title, colours, horizontal, key)
    (coded_counts(table.get_column("value_tier"), TIER_ORDER), "tier", "overview.chart.tiers",
     TIER_COLORS, True, "overview_tiers"),
    (coded_counts(active.get_column("lifecycle_stage"), STAGES), "stage",
     "overview.chart.stages", STAGE_COLORS, False, "overview_stages"),
    (coded_counts(active.get_column("risk_level"), RISK_LEVELS), "risk", "overview.chart.risk",
     RISK_COLORS, False, "overview_risk"),
]
for col, (counts, prefix, title, colors, horizontal, key) in zip(st.columns(3), mixes,
                                                                 strict=True):
    col.plotly_chart(coded_counts_bar(counts, prefix, title, lang, colors, horizontal), key=key)

st.subheader(tr("overview.act_first"))
if big_high.is_empty():
    st.success(tr("overview.act_first_none"))
else:
    from crm_logic.churn import action_text_expr, big_customers_first, readable_flags_expr

    top = big_customers_first(big_high).head(20)
    view = top.select(
        "customer_id",
        pl.col("value_tier").replace_strict({t: tr(f"tier.{t}") for t in TIER_ORDER},
                                            default=pl.col("value_tier")),
        pl.col("lifetime_value").round(0),
        pl.col("churn_risk").round(2),
        pl.col("lifecycle_stage").replace_strict({s: tr(f"stage.{s}") for s in STAGES},
                                                 default=pl.col("lifecycle_stage")),
        pl.col("last_order_date"),
        readable_flags_expr(lang),
        action_text_expr(lang),
    )
    labels = {col: tr(f"col.{col}") if col != "customer_id" else tr("customer_id")
              for col in view.columns}
    st.dataframe(
        view.rename(labels), hide_index=True, width="stretch",
        column_config={
            labels["last_order_date"]: st.column_config.DateColumn(format="YYYY-MM-DD"),
            labels["churn_risk"]: st.column_config.ProgressColumn(
                min_value=0.0, max_value=1.0, format="percent"),
            labels["lifetime_value"]: st.column_config.NumberColumn(format="localized"),
        },
    )
for w in analysis.warnings:
    st.caption(f":material/warning: {w}")

monday.four_r_section()  # issue 14: the 4R scorecard
monday.scenario_section()  # issue 14: save, load and compare what-if settings
