"""Action center: one action per customer from an editable rule table; lists to download."""

from __future__ import annotations

import polars as pl
import streamlit as st

from crm_logic import actions, scenarios
from crm_logic.charts.overview import coded_counts_bar
from crm_logic.export import to_safe_csv
from crm_logic.i18n import t
from ui import actions as ua
from ui import privacy, state
from ui import tables as ui_tables

state.require_frame(__file__)

lang = state.lang()
tr = state.tr
st.title(tr("actions.title"))
st.caption(tr("actions.intro"))

data = state.data()
day = state.as_of()
cfg = state.config()
if not state.has_orders(day):
    st.info(tr("actions.no_orders"))
    st.stop()

top = st.container()  # the actions and lists, shown above the rule table that drives them

# --- the rule table (what-if: edits apply here at once; saving makes them the store's) -------
st.subheader(tr("actions.rules_title"))
st.caption(tr("actions.rules_help"))
base = ua.saved_rules()
edit_key = f"actions.rules_editor.{st.session_state.get('actions.rules_version', 0)}"
cells = ui_tables.coded_cells(actions.CODES, lang)  # rules shown and typed in the page language
edited = st.data_editor(
    ui_tables.cells_to_labels(base, cells), num_rows="dynamic", hide_index=True, key=edit_key,
    width="stretch",
    height=(base.height + 2) * 35 + 3,
    column_config={
        "action": st.column_config.SelectboxColumn(
            tr("actions.col.action"), options=list(actions.ACTIONS), required=True,
            format_func=lambda c: t(f"action.{c}", lang)),
        **{c: st.column_config.TextColumn(tr(f"actions.cond.{c}"), default=actions.ANY)
           for c in actions.CONDITIONS},
    },
)
if isinstance(edited, pl.DataFrame):
    edited = ui_tables.cells_to_codes(edited, cells)
try:
    rules = actions.validate_rules(pl.DataFrame(edited, schema=dict.fromkeys(
        actions.RULE_COLUMNS, pl.String)) if not isinstance(edited, pl.DataFrame) else edited)
except ValueError as exc:
    st.error(tr("actions.rules_error", msg=str(exc)))
    rules = actions.validate_rules(base)


def _bump() -> None:
    st.session_state["actions.rules_version"] = st.session_state.get(
        "actions.rules_version", 0) + 1


b = st.columns([1, 1, 3])
if b[0].button(tr("actions.rules_save"), key="actions.rules_save", type="primary"):
    scenarios.save_rules(state.connection(), rules)
    _bump()
    st.toast(tr("actions.rules_saved"))
    st.rerun()
if b[1].button(tr("actions.rules_reset"), key="actions.rules_reset"):
    scenarios.reset_rules(state.connection())
    _bump()
    st.rerun()
if not rules.equals(actions.validate_rules(base)):
    b[2].caption(tr("actions.rules_unsaved"))

# --- the actions: counts, value at stake, what to do -----------------------------------------
assigned = ua.assigned(cfg, rules)
summary = actions.summary(assigned)
top.subheader(tr("actions.summary_title"))
top.caption(tr("actions.total", n=f"{assigned.height:,}"))
left, right = top.columns([3, 2])
table = pl.DataFrame(summary).select(
    pl.col("action").replace_strict({a: tr(f"action.{a}") for a in actions.ACTIONS})
    .alias(tr("actions.col.action")),
    pl.col("customers").alias(tr("actions.col.customers")),
    pl.col("value_at_stake").round(0).alias(tr("actions.col.value_at_stake")),
    pl.col("action").replace_strict({a: tr(f"action.{a}.what") for a in actions.ACTIONS})
    .alias(tr("actions.col.what")),
    pl.col("action").alias(tr("actions.col.code")),
)
left.dataframe(table, hide_index=True, width="stretch", height=(table.height + 1) * 35 + 3,
               column_config={
    tr("actions.col.value_at_stake"): st.column_config.NumberColumn(format="localized")})
right.plotly_chart(
    coded_counts_bar({r["action"]: r["customers"] for r in summary}, "action",
                     "actions.summary_title", lang, horizontal=True),
    key="actions.chart")

# --- one action's list, linked to Customer 360, and its download ----------------------------
present = [r["action"] for r in summary if r["customers"]] or list(actions.ACTIONS)
pick = top.selectbox(tr("actions.pick"), present, key="actions.pick",
                    format_func=lambda c: f"{t(f'action.{c}', lang)} ({c})")
rows = actions.action_list(assigned, pick or present[0])
if rows.is_empty():
    top.info(tr("actions.list_empty"))
else:
    view = rows.select(
        (pl.lit(f"/customer?lang={lang}&customer=") + pl.col("customer_id")).alias("link"),
        pl.col("value_at_stake").round(0), pl.col("lifetime_value").round(0),
        pl.col("value_tier").replace_strict({t: tr(f"tier.{t}") for t in actions.CODES["tier"]},
                                            default=pl.col("value_tier")),
        pl.col("lifecycle_stage").replace_strict(
            {s: tr(f"stage.{s}") for s in actions.CODES["stage"]},
            default=pl.col("lifecycle_stage")),
        pl.col("risk_level").replace_strict({r: tr(f"risk.{r}") for r in actions.CODES["risk"]},
                                            default=pl.col("risk_level")).fill_null("–"),
        "open_complaint", "lost", "top_category", "rule",
    )
    labels = {"link": tr("customer_id"), "value_at_stake": tr("actions.col.value_at_stake"),
              "lifetime_value": tr("col.lifetime_value"), "value_tier": tr("col.value_tier"),
              "lifecycle_stage": tr("col.lifecycle_stage"),
              "risk_level": tr("actions.col.risk_level"),
              "open_complaint": tr("actions.col.open_complaint"),
              "lost": tr("actions.col.lost"), "top_category": tr("four_r.category"),
              "rule": tr("actions.col.rule")}
    top.dataframe(view.rename(labels), hide_index=True, width="stretch", column_config={
        labels["link"]: st.column_config.LinkColumn(display_text=r"customer=(.*)$"),
        labels["value_at_stake"]: st.column_config.NumberColumn(format="localized"),
        labels["lifetime_value"]: st.column_config.NumberColumn(format="localized"),
    })
    listed = actions.export_frame(assigned, pick)
    privacy.download_button(tr("actions.download"), lambda listed=listed: to_safe_csv(listed),
                            container=top,
                            what=f"actions: {pick}", rows=listed.height, masked=True,
                            file_name=f"actions-{pick}-{day}.csv", mime="text/csv",
                            key="actions.download")
