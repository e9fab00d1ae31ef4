"""Customer lifecycle: life curves by pattern, stage mix over time, stage flow, cohort
retention, strategy by stage, customer lists."""

from __future__ import annotations

import polars as pl
import streamlit as st

from crm_logic import fmt
from crm_logic import lifecycle as lc
from crm_logic.charts import lifecycle as charts
from crm_logic.export import to_safe_csv
from crm_logic.i18n import t
from crm_logic.localise import localise_frame
from ui import lifecycle as ul
from ui import privacy, select, show, state

state.require_frame(__file__)

lang = state.lang()
tr = state.tr
st.title(tr("lifecycle.title"))
st.caption(tr("lifecycle.intro"))

data = state.data()
day = state.as_of()

# ---- what-if controls -----------------------------------------------------------------------
with st.sidebar.expander(tr("what_if"), expanded=False):
    st.caption(tr("lifecycle.cfg.help"))
    state.cfg_control("lifecycle_period", st.selectbox, "lifecycle.cfg.period",
                      options=list(lc.PERIODS),
                      format_func=lambda v, _l=lang: t(f"lifecycle.period.{v}", _l))
    state.cfg_control("lifecycle_volume", st.selectbox, "lifecycle.cfg.volume",
                      options=list(lc.VOLUMES),
                      format_func=lambda v, _l=lang: t(f"lifecycle.volume.{v}", _l))
    state.cfg_control("smoothing_months", st.slider, "lifecycle.cfg.smoothing",
                      min_value=1, max_value=12, step=1)
    state.cfg_control("smoothing_gap_multiple", st.slider, "lifecycle.cfg.gap_multiple",
                      min_value=0.0, max_value=5.0, step=0.5)
    state.cfg_control("smoothing_max_months", st.slider, "lifecycle.cfg.smoothing_max",
                      min_value=1, max_value=24, step=1)
    state.cfg_control("churn_gap_floor_days", st.slider, "lifecycle.cfg.churn_floor",
                      min_value=30, max_value=730, step=10)
    state.cfg_control("churn_gap_multiple", st.slider, "lifecycle.cfg.churn_multiple",
                      min_value=1.0, max_value=10.0, step=0.5)
    state.cfg_control("churn_prior_gaps", st.slider, "lifecycle.cfg.churn_prior_gaps",
                      min_value=0, max_value=10, step=1)
    state.cfg_control("churn_gap_cap_days", st.slider, "lifecycle.cfg.churn_cap",
                      min_value=90, max_value=1095, step=15)
    state.cfg_control("churn_repeat_gap_multiple", st.slider, "lifecycle.cfg.repeat_gap",
                      min_value=0.0, max_value=3.0, step=0.1)
    state.cfg_control("unknown_start_days", st.slider, "lifecycle.cfg.unknown_days",
                      min_value=0, max_value=365, step=1)
    state.cfg_control("unknown_start_gaps", st.slider, "lifecycle.cfg.unknown_gaps",
                      min_value=0.0, max_value=5.0, step=0.5)
    state.cfg_control("exploration_max_occasions", st.slider, "lifecycle.cfg.exploration_max",
                      min_value=1, max_value=6, step=1)
    state.cfg_control("exploration_min_months", st.slider, "lifecycle.cfg.exploration_min",
                      min_value=1, max_value=12, step=1)
    state.cfg_control("formation_min_growth", st.slider, "lifecycle.cfg.formation_growth",
                      min_value=0.0, max_value=2.0, step=0.05, format="%.2f")
    state.cfg_control("peak_spike_multiple", st.slider, "lifecycle.cfg.spike",
                      min_value=0.0, max_value=10.0, step=0.5)
    state.cfg_control("rise_months", st.slider, "lifecycle.cfg.rise_months",
                      min_value=1, max_value=12, step=1)
    state.cfg_control("rise_min_growth", st.slider, "lifecycle.cfg.rise_growth",
                      min_value=0.0, max_value=1.0, step=0.05, format="%.2f")
    state.cfg_control("stability_peak_share", st.slider, "lifecycle.cfg.stability_share",
                      min_value=0.3, max_value=1.0, step=0.05, format="%.2f")
    state.cfg_control("stability_min_months", st.slider, "lifecycle.cfg.stability_min",
                      min_value=1, max_value=12, step=1)
    state.cfg_control("stability_min_purchase_periods", st.slider,
                      "lifecycle.cfg.stability_purchases", min_value=1, max_value=12, step=1)
    state.cfg_control("decline_peak_share", st.slider, "lifecycle.cfg.decline_share",
                      min_value=0.1, max_value=0.9, step=0.05, format="%.2f")
    state.cfg_control("decline_min_months", st.slider, "lifecycle.cfg.decline_min",
                      min_value=1, max_value=12, step=1)
    state.cfg_control("decline_yoy_share", st.slider, "lifecycle.cfg.decline_yoy",
                      min_value=0.1, max_value=1.5, step=0.05, format="%.2f")
    state.cfg_control("long_term_min_months", st.slider, "lifecycle.cfg.long_term_min",
                      min_value=3, max_value=48, step=1)
    state.cfg_control("implausible_amount_multiple", st.slider, "lifecycle.cfg.implausible",
                      min_value=10.0, max_value=10000.0, step=10.0)
cfg = state.config()
period = cfg.lifecycle_period

if not state.has_orders(day):
    st.info(tr("lifecycle.no_orders"))
    st.stop()

with st.spinner():
    life, _ = ul.frames(data, cfg, day)  # the history's summaries: ul.history_view
counts = lc.lifecycle_counts(life)
active_n = counts["customers"]["active"]
lost_n = counts["customers"]["churned"]

# ---- headline figures -----------------------------------------------------------------------
m = st.columns(5)
m[0].metric(tr("lifecycle.metric.active"), f"{active_n:,}")
m[1].metric(tr("lifecycle.metric.churned"), f"{lost_n:,}")
m[2].metric(tr("lifecycle.metric.stability_share"),
            f"{counts['stages']['stability'] / active_n:.0%}" if active_n else "–")
m[3].metric(tr("lifecycle.metric.decline"), f"{counts['stages']['decline']:,}")
m[4].metric(tr("lifecycle.metric.long_term_share"),
            f"{counts['patterns']['long_term'] / lost_n:.0%}" if lost_n else "–")
st.caption(tr("lifecycle.hindsight"))

# ---- what the data lets us see: the window, unknown starts, re-trials, odd amounts -----------
notes = ul.notes(data, cfg, day, life)
win = notes["window"]
window_text = tr("lifecycle.window.note" if win["too_short"] else "lifecycle.window.ok",
                 months=win["months"], start=win["start"].isoformat(),
                 end=win["end"].isoformat(), watch=win["watch"], long_term=win["long_term"])
(st.warning if win["too_short"] else st.caption)(window_text)
if notes["unknown_start"]:
    st.info(tr("lifecycle.unknown_start.note", n=f"{notes['unknown_start']:,}",
               days=cfg.unknown_start_days))
if notes["relationships"]:
    st.caption(tr("lifecycle.relationships.note", n=f"{notes['relationships']:,}"))
if notes["implausible"] is not None:
    odd = notes["implausible"]
    st.warning(tr("lifecycle.implausible.note", rows=f"{odd['rows']:,}",
                  customers=", ".join(odd["customers"]), bound=f"{odd['bound']:,.0f}"))

tab_curves, tab_stages, tab_flow, tab_cohorts, tab_strategy = st.tabs([
    tr("lifecycle.tab.curves"), tr("lifecycle.tab.stages"), tr("lifecycle.tab.flow"),
    tr("lifecycle.tab.cohorts"), tr("lifecycle.tab.strategy"),
])

with tab_curves:
    normalise = st.toggle(tr("lifecycle.curves.normalise"), key="lifecycle.normalise")
    min_customers = 10  # fewer: one big customer moves the average too much to read
    curves = ul.history_view("curves", data, cfg, day, normalise=normalise,
                             min_customers=min_customers)
    st.plotly_chart(charts.life_curves_chart(curves, lang, period, normalised=normalise),
                    key="lifecycle.curves")
    st.caption(tr("lifecycle.curves.caption", n=min_customers))
    summary = lc.pattern_summary(life)
    c1, c2 = st.columns([3, 2])
    with c1:
        st.markdown(f"**{tr('lifecycle.summary.title')}**")
        st.dataframe(
            summary.select(
                pl.col("lifecycle_pattern").replace_strict(
                    {p: tr(f"pattern.{p}") for p in lc.PATTERN_CODES})
                .alias(tr("lifecycle.summary.pattern")),
                pl.col("customers").alias(tr("lifecycle.summary.customers")),
                (pl.col("share") * 100).round(1).alias(tr("lifecycle.summary.share")),
                pl.col("avg_lifetime_months").round(1).alias(tr("lifecycle.summary.lifetime")),
                pl.col("avg_value").round(0).alias(tr("lifecycle.summary.value")),
                pl.col("total_value").round(0).alias(tr("lifecycle.summary.total")),
            ),
            hide_index=True, width="stretch",
            column_config={
                tr("lifecycle.summary.share"): st.column_config.NumberColumn(format="%.1f%%"),
                tr("lifecycle.summary.value"): st.column_config.NumberColumn(format="localized"),
                tr("lifecycle.summary.total"): st.column_config.NumberColumn(format="localized"),
            },
        )
        st.caption(tr("lifecycle.summary.value_note"))
        ranked = summary.filter(pl.col("customers") > 0).sort("avg_value", descending=True)
        if ranked.filter(pl.col("lifecycle_pattern") == "long_term").height == 0:
            st.info(tr("lifecycle.verdict.no_data"))
        elif ranked.item(0, "lifecycle_pattern") == "long_term":
            runner = ranked.item(1, "avg_value") if ranked.height > 1 else None
            ratio = ranked.item(0, "avg_value") / runner if runner else float("nan")
            st.success(tr("lifecycle.verdict.agrees",
                          value=show.money(ranked.item(0, "avg_value")), ratio=ratio))
        else:
            st.warning(tr("lifecycle.verdict.disagrees",
                          best=tr(f"pattern.{ranked.item(0, 'lifecycle_pattern')}"),
                          value=show.money(ranked.item(0, "avg_value"))))
    with c2:
        st.plotly_chart(charts.pattern_value_chart(summary, lang), key="lifecycle.value",
                        on_select=select.on_click("lifecycle.value", [
                            ("lifecycle.list.patterns", select.label_codes(
                                "pattern", lc.PATTERNS, lang), "x", True),
                            ("lifecycle.list.status", {t(f"pattern.{p}", lang): "lost"
                                                       for p in lc.PATTERNS}, "x", False)]),
                        selection_mode="points")
        st.caption(tr("lifecycle.click_hint"))

with tab_stages:
    c1, c2 = st.columns([2, 3])
    with c1:
        st.plotly_chart(charts.current_stage_chart(counts["stages"], lang),
                        key="lifecycle.current",
                        on_select=select.on_click("lifecycle.current", [
                            ("lifecycle.list.stages", select.label_codes(
                                "stage", lc.STAGES, lang), "x", True),
                            ("lifecycle.list.status", {t(f"stage.{s}", lang): "active"
                                                       for s in lc.STAGES}, "x", False)]),
                        selection_mode="points")
        st.caption(tr("lifecycle.click_hint"))
    with c2:
        o1, o2 = st.columns(2)
        as_share = o1.toggle(tr("lifecycle.mix.as_share"), key="lifecycle.mix_share")
        n_periods = o2.slider(tr("lifecycle.mix.periods"), min_value=6, max_value=120,
                              value=lc.months_to_periods(24, period) if period != "week"
                              else 52, key="lifecycle.mix_periods")
        mix = ul.history_view("mix", data, cfg, day, periods=n_periods)
        st.plotly_chart(charts.stage_mix_chart(mix, lang, as_share=as_share),
                        key="lifecycle.mix")
    st.caption(tr("lifecycle.mix.caption"))

with tab_flow:
    back = st.slider(tr("lifecycle.flow.periods"), min_value=1, max_value=60,
                     value=lc.months_to_periods(12, period), key="lifecycle.flow_periods")
    flow = ul.history_view("flow", data, cfg, day, periods=back)
    st.plotly_chart(charts.stage_flow_chart(flow, lang, periods=back, period=period),
                    key="lifecycle.flow")
    st.caption(tr("lifecycle.flow.caption"))

with tab_cohorts:
    retention = ul.history_view("cohorts", data, cfg, day, cohorts=24, offsets=24)
    st.plotly_chart(charts.cohort_heatmap(retention, lang, period), key="lifecycle.cohorts")
    st.caption(tr("lifecycle.cohort.caption"))

with tab_strategy:
    st.dataframe(
        pl.DataFrame({
            tr("lifecycle.strategy.stage_col"): [tr(f"stage.{s}") for s in lc.STAGES],
            tr("lifecycle.strategy.now_col"): [counts["stages"][s] for s in lc.STAGES],
            tr("lifecycle.strategy.text_col"): [tr(f"lifecycle.strategy.{s}")
                                                for s in lc.STAGES],
        }),
        hide_index=True, width="stretch",
        column_config={tr("lifecycle.strategy.text_col"): st.column_config.TextColumn(
            width="large")},
    )
    st.markdown(f"**{tr('lifecycle.patterns.title')}**")
    for p in lc.PATTERN_CODES:
        st.markdown(f"- **{tr(f'pattern.{p}')}** ({counts['patterns'][p]:,}): "
                    f"{tr(f'lifecycle.cause.{p}')}")

# ---- customer lists + download ----------------------------------------------------------------
st.subheader(tr("lifecycle.list.title"))
table, has_tiers = ul.listing(data, cfg, day)
PRESETS = {
    "none": None,
    "gold_decline": ("active", ["decline"], [], ["platinum", "gold"]),
    "formation": ("active", ["formation"], [], []),
    "lost_long_term": ("lost", [], ["long_term"], []),
}


def _apply_preset() -> None:
    choice = PRESETS.get(st.session_state.get("lifecycle.list.preset", "none"))
    if choice is None:
        return
    status, stages, patterns, tiers = choice
    st.session_state["lifecycle.list.status"] = status
    st.session_state["lifecycle.list.stages"] = stages
    st.session_state["lifecycle.list.patterns"] = patterns
    st.session_state["lifecycle.list.tiers"] = tiers if has_tiers else []


st.selectbox(tr("lifecycle.list.preset"), list(PRESETS), key="lifecycle.list.preset",
             format_func=lambda v, _l=lang: t(f"lifecycle.list.preset.{v}", _l),
             on_change=_apply_preset)
f = st.columns([1, 2, 2, 2])
status = f[0].radio(tr("lifecycle.list.status"), ["all", "active", "lost"],
                    key="lifecycle.list.status",
                    format_func=lambda v, _l=lang: t(f"lifecycle.list.status.{v}", _l))
stages = f[1].multiselect(tr("lifecycle.list.stage"), list(lc.STAGES),
                          key="lifecycle.list.stages", placeholder=tr("choose_options"),
                          format_func=lambda v, _l=lang: t(f"stage.{v}", _l))
patterns = f[2].multiselect(tr("lifecycle.list.pattern"), list(lc.PATTERN_CODES),
                            key="lifecycle.list.patterns", placeholder=tr("choose_options"),
                            format_func=lambda v, _l=lang: t(f"pattern.{v}", _l))
if has_tiers:
    tiers = f[3].multiselect(tr("lifecycle.list.tier"), ["platinum", "gold", "iron", "lead"],
                             key="lifecycle.list.tiers", placeholder=tr("choose_options"),
                             format_func=lambda v, _l=lang: t(f"tier.{v}", _l))
else:
    tiers = []
    f[3].caption(tr("lifecycle.tiers_unavailable"))
rows = ul.customer_list(table, status, stages, patterns, tiers)
st.caption(tr("lifecycle.list.count", n=f"{rows.height:,}"))
if rows.height == 0:
    st.info(tr("no_rows"))
else:
    shown = 500
    id_label = tr("lifecycle.col.customer_id")
    st.dataframe(ul.display_list(show.with_links(privacy.screen(rows.head(shown))), lang),
                 hide_index=True, width="stretch", height=360, placeholder=fmt.BLANK,
                 column_config={id_label: show.link_column(id_label), **{
                     m: show.money_column(m) for m in (tr("lifecycle.col.lifetime_value"),
                                                        tr("lifecycle.col.revenue"))}})
    if rows.height > shown:
        st.caption(tr("lifecycle.list.shown", n=shown))
    mask = privacy.mask_control("lifecycle.list.mask")
    listed = ul.export_frame(rows)
    privacy.download_button(  # the CSV is made on click (not on every rerun)
        tr("download_csv"), lambda listed=listed, lang=lang, mask=mask: to_safe_csv(
            localise_frame(listed, lang) if lang != "en" else listed, mask=mask),
        what="lifecycle customers", rows=rows.height, masked=mask,
        file_name=f"lifecycle_customers_{day.isoformat()}.csv", mime="text/csv",
        key="lifecycle.list.download",
    )
