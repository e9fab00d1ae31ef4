"""Overview: the Monday-morning summary of value, lifecycle, churn risk and complaints."""

from __future__ import annotations

import polars as pl
import streamlit as st

from crm_logic import fmt
from crm_logic.charts.overview import coded_counts_bar
from crm_logic.charts.palette import RISK_COLORS, STAGE_COLORS, TIER_COLORS
from crm_logic.churn import action_text_expr, big_customers_first, readable_flags_expr
from crm_logic.pipeline import RISK_LEVELS, STAGES, TIER_ORDER, coded_counts
from ui import complaints as uc
from ui import monday, show, state

state.require_frame(__file__)

lang = state.lang()
tr = state.tr
st.title(tr("overview.title"))
st.caption(tr("overview.intro"))

data = state.data()
day = state.as_of()
cfg = state.config()
if not state.has_orders(day):
    st.info(tr("overview.complaints_only") if data.complaints.height else tr("app.no_data"))
    st.stop()

analysis = state.analysis()
table = analysis.customers
churned = pl.col("churned").fill_null(False)
active = table.filter(~churned)


# revenue vs the 12 months before: only when the data cover both periods completely
revenue = monday.revenue_12m(day)
delta = (tr("overview.kpi.revenue_delta", pct=fmt.percent(revenue.change, 1, signed=True))
         if revenue.change is not None else tr("overview.kpi.not_enough_history"))
high = active.filter(pl.col("risk_level") == "high")
big_high = high.filter(pl.col("value_tier").is_in(["platinum", "gold"]))
complaints = uc.report(data, cfg, day)

k = st.columns(5)
k[0].metric(tr("overview.kpi.customers"), fmt.count(table.height),
            help=f"{tr('overview.kpi.active')}: {fmt.count(active.height)} · "
                 f"{tr('overview.kpi.churned')}: {fmt.count(table.height - active.height)}")
k[1].metric(tr("overview.kpi.revenue_12m"), show.money(revenue.value, compact=True),
            delta=delta, delta_color="normal" if revenue.change is not None else "off",
            delta_arrow="auto" if revenue.change is not None else "off",
            help=show.money(revenue.value))
clv_total = float(table.get_column("lifetime_value").sum() or 0.0)
k[2].metric(tr("overview.kpi.clv_total"), show.money(clv_total, compact=True),
            help=show.money(clv_total))
k[3].metric(tr("overview.kpi.high_risk"), fmt.count(high.height),
            delta=tr("overview.kpi.high_risk_big", n=fmt.count(big_high.height)),
            delta_color="off", delta_arrow="off")
sla = complaints.get("sla_breach_rate")
k[4].metric(tr("overview.kpi.open_complaints"), fmt.count(complaints.get("open", 0)),
            delta=tr("overview.kpi.sla_breach", pct=fmt.percent(sla)) if sla is not None
            else None, delta_color="off", delta_arrow="off")

monday.kpi_section()  # issue 14: KPIs against the previous complete period

mixes = [  # (counts, code prefix, column, title, colours, horizontal, key)
    (coded_counts(table.get_column("value_tier"), TIER_ORDER), "tier", "value_tier",
     "overview.chart.tiers", TIER_COLORS, True, "overview_tiers"),
    (coded_counts(active.get_column("lifecycle_stage"), STAGES), "stage", "lifecycle_stage",
     "overview.chart.stages", STAGE_COLORS, False, "overview_stages"),
    (coded_counts(active.get_column("risk_level"), RISK_LEVELS), "risk", "risk_level",
     "overview.chart.risk", RISK_COLORS, False, "overview_risk"),
]
PICK = "overview.pick"  # "<column>:<code>" of the bar clicked last (kept in the address)


def _on_click(key: str, column: str) -> None:
    """A click on a bar lists that bar's customers below (another click on it: all again)."""
    points = ((st.session_state.get(key) or {}).get("selection") or {}).get("points") or []
    codes = [p.get("customdata") for p in points if p.get("customdata")]
    code = codes[0][0] if codes and isinstance(codes[0], list) else (codes[0] if codes else None)
    st.session_state[PICK] = f"{column}:{code}" if code else None


for col, (counts, prefix, column, title, colors, horizontal, key) in zip(
        st.columns(3), mixes, strict=True):
    col.plotly_chart(coded_counts_bar(counts, prefix, title, lang, colors, horizontal),
                     key=key, on_select=lambda k=key, c=column: _on_click(k, c),
                     selection_mode="points")

pick = st.session_state.get(PICK) or ""
column, _, code = pick.partition(":")
prefix = {"value_tier": "tier", "lifecycle_stage": "stage", "risk_level": "risk"}.get(column)
if prefix and code:
    base = table if column == "value_tier" else active
    listed = base.filter(pl.col(column) == code)
    st.subheader(tr("overview.picked", what=tr(f"{prefix}.{code}"), n=fmt.count(listed.height)))
    if st.button(tr("overview.show_act_first"), key="overview.clear_pick"):
        st.session_state[PICK] = None
        st.rerun()
else:
    listed = big_high
    st.subheader(tr("overview.act_first"))
    st.caption(tr("overview.click_hint"))
if listed.is_empty():
    st.success(tr("overview.act_first_none") if not prefix else tr("no_rows"))
else:
    top = big_customers_first(listed).head(200)
    view = top.select(
        "customer_id",
        pl.col("value_tier").replace_strict({t: tr(f"tier.{t}") for t in TIER_ORDER},
                                            default=pl.col("value_tier")),
        pl.col("lifetime_value").round(0),
        pl.col("churn_risk"),
        pl.col("lifecycle_stage").replace_strict({s: tr(f"stage.{s}") for s in STAGES},
                                                 default=pl.col("lifecycle_stage")),
        pl.col("last_order_date"),
        readable_flags_expr(lang),
        action_text_expr(lang),
    )
    labels = {col: tr(f"col.{col}") if col != "customer_id" else tr("customer_id")
              for col in view.columns}
    st.dataframe(
        show.with_links(view).rename(labels), hide_index=True, width="stretch",
        row_height=show.WRAP_ROW_HEIGHT,
        column_config={
            labels["customer_id"]: show.link_column(labels["customer_id"]),
            labels["last_order_date"]: show.date_column(labels["last_order_date"]),
            labels["churn_risk"]: show.risk_column(labels["churn_risk"]),
            labels["lifetime_value"]: show.money_column(labels["lifetime_value"]),
            labels["risk_flags"]: st.column_config.TextColumn(width="medium"),
            labels["recommended_action"]: st.column_config.TextColumn(width="medium"),
        },
    )
notes = [(k, kw) for k, kw in getattr(analysis.fits, "notes", [])
         if not k.startswith("segments.note.rfm")]
for key, kw in notes:
    st.caption(f":material/warning: {tr(key, **kw)}")
if not notes:
    for w in analysis.warnings:
        st.caption(f":material/warning: {w}")

monday.four_r_section()  # issue 14: the 4R scorecard
monday.scenario_section()  # issue 14: save, load and compare what-if settings
