"""Complaints: where they come from, whether they are handled in time, what unhandled ones cost."""

from __future__ import annotations

import polars as pl
import streamlit as st

from crm_logic import complaints as cl
from crm_logic import fmt
from crm_logic.charts import complaints as charts
from crm_logic.export import to_safe_csv
from crm_logic.localise import localise_frame
from ui import complaints as uc
from ui import privacy, show, state

state.require_frame(__file__)

lang = state.lang()
tr = state.tr
st.title(tr("complaints.title"))
st.caption(tr("complaints.intro"))

data = state.data()
day = state.as_of()

with st.sidebar.expander(tr("what_if"), expanded=True):
    state.cfg_control("sla_days", st.slider, "complaints.sla_days", min_value=1,
                      max_value=60, step=1, help=tr("complaints.sla_help"))
    state.cfg_control("new_customer_days", st.slider, "complaints.new_customer_days",
                      min_value=30, max_value=720, step=30)
    state.cfg_control("repeat_complainer_min", st.slider, "complaints.repeat_min",
                      min_value=2, max_value=10, step=1)
cfg = state.config()

all_facts = uc.facts(data, cfg, day)
if all_facts.is_empty():
    st.info(tr("complaints.none"))
    st.stop()

has_orders = state.has_orders(day)
if not has_orders:
    st.warning(tr("complaints.no_orders"))

# ---- filters ---------------------------------------------------------------------------------


def _options(col: str) -> list[str]:
    return sorted(all_facts.get_column(col).cast(pl.String).fill_null(cl.UNKNOWN).unique())


first_day = all_facts.get_column("received_date").min()
with st.expander(tr("complaints.filters"), expanded=True):
    f = st.columns([2, 1, 1, 1, 1])
    period = f[0].date_input(tr("complaints.date_range"), value=(first_day, day),
                             min_value=first_day, max_value=day,
                             key=f"complaints.period.{day.isoformat()}")  # new as-of: reset
    cats = f[1].multiselect(tr("complaints.filter.category"), _options("category"),
                            format_func=lambda v: charts.code_label("category", v, lang),
                            key="complaints.f_category", placeholder=tr("choose_options"))
    chans = f[2].multiselect(tr("complaints.filter.channel"), _options("channel"),
                             format_func=lambda v: charts.code_label("channel", v, lang),
                             key="complaints.f_channel", placeholder=tr("choose_options"))
    reps = f[3].multiselect(tr("complaints.filter.rep"), _options("sales_rep"),
                            format_func=lambda v: charts.code_label("sales_rep", v, lang),
                            key="complaints.f_rep", placeholder=tr("choose_options"))
    stats = f[4].multiselect(tr("complaints.filter.status"), list(cl.STATUS_CODES),
                             format_func=lambda v: charts.code_label("status_code", v, lang),
                             key="complaints.f_status", placeholder=tr("choose_options"))
start, end = (period[0], period[-1]) if isinstance(period, tuple) and period else (None, None)
facts = cl.filter_facts(all_facts, start, end, cats, chans, reps, stats)
if facts.is_empty():
    st.info(tr("complaints.none_match"))
    st.stop()

# ---- headline figures ------------------------------------------------------------------------
s = cl.resolution_summary(facts)
chosen = (start, end, tuple(cats), tuple(chans), tuple(reps), tuple(stats))  # the filters
repeat = uc.repeat_complainers(facts, cfg, day, chosen)


def _pct(x: float | None) -> str:
    return fmt.percent(x)


def _num(x: float | None, fmt: str = "{:.1f}") -> str:
    return "–" if x is None else fmt.format(x)


m = st.columns(5)
m[0].metric(tr("complaints.m.total"), f"{s['total']:,}")
m[1].metric(tr("complaints.m.open"), f"{s['open']:,}")
m[2].metric(tr("complaints.m.resolution_rate"), _pct(s["resolution_rate"]))
m[3].metric(tr("complaints.m.sla_breach_rate"), _pct(s["sla_breach_rate"]),
            help=tr("complaints.sla_help"))
m[4].metric(tr("complaints.m.escalated"), f"{s['escalated']:,}",
            help=_pct(s["escalation_rate"]))
m = st.columns(5)
m[0].metric(tr("complaints.m.median_days"), _num(s["median_days_to_resolve"]))
m[1].metric(tr("complaints.m.p90_days"), _num(s["p90_days_to_resolve"]))
m[2].metric(tr("complaints.m.satisfaction"), _num(s["satisfaction_mean"], "{:.2f}"))
m[3].metric(tr("complaints.m.repeat"), f"{repeat.height:,}")
m[4].metric(tr("complaints.m.reasonable"), _pct(s["reasonable_share"]))
if s["resolved_days_unknown"]:
    st.caption(tr("complaints.days_unknown_note", n=s["resolved_days_unknown"]))
st.caption(tr("complaints.drill_hint"))

# ---- charts (each bar drills down to its complaints) -----------------------------------------
DRILL: dict[str, str] = {}  # chart key -> facts column its customdata refers to
GEN = "complaints.drill_gen"  # bumping it gives every chart a new key: clears all selections
LIST_ROWS = 1_000  # complaints listed on screen, newest first


def _chart(container: object, fig: object, key: str, column: str) -> None:
    full_key = f"{key}.{st.session_state.get(GEN, 0)}"
    DRILL[full_key] = column
    container.plotly_chart(fig, key=full_key, on_select="rerun",  # type: ignore[attr-defined]
                           selection_mode="points")


st.subheader(tr("complaints.sec.volume"))
c = st.columns(2)
_chart(c[0], charts.month_chart(cl.volume_by_month(facts), lang), "complaints.c_month", "month")
_chart(c[1], charts.bar_chart(cl.volume_by(facts, "category"), "category", lang,
                              "complaints.chart.category"), "complaints.c_category", "category")
c = st.columns(3)
_chart(c[0], charts.bar_chart(cl.volume_by(facts, "product"), "product", lang,
                              "complaints.chart.product"), "complaints.c_product", "product")
_chart(c[1], charts.bar_chart(cl.volume_by(facts, "channel"), "channel", lang,
                              "complaints.chart.channel"), "complaints.c_channel", "channel")
_chart(c[2], charts.bar_chart(cl.volume_by(facts, "sales_rep"), "sales_rep", lang,
                              "complaints.chart.rep"), "complaints.c_rep", "sales_rep")

c = st.columns(2)
for col, by, key in ((c[0], "product", "complaints.c_rate_product"),
                     (c[1], "sales_rep", "complaints.c_rate_rep")):
    title = "complaints.chart.rate_product" if by == "product" else "complaints.chart.rate_rep"
    if not has_orders:
        col.markdown(f"**{tr(title)}**")
        col.info(tr("complaints.needs_orders"))
        continue
    rates = uc.rates(data, facts, by, day, start)
    rates = rates.filter(pl.col("orders") >= cfg.complaint_rate_min_orders)
    if rates.is_empty():
        col.markdown(f"**{tr(title)}**")
        col.info(tr("complaints.needs_reps") if by == "sales_rep"
                 else tr("complaints.rate_min_orders", n=cfg.complaint_rate_min_orders))
        continue
    _chart(col, charts.rate_chart(rates, by, lang), key, by)
if has_orders:
    st.caption(tr("complaints.rate_min_orders", n=cfg.complaint_rate_min_orders))

st.subheader(tr("complaints.sec.handling"))
c = st.columns(2)
_chart(c[0], charts.days_chart(facts, cfg.sla_days, lang), "complaints.c_days",
       "days_to_resolve")
_chart(c[1], charts.backlog_chart(cl.backlog_by_age(facts, cfg), lang), "complaints.c_backlog",
       "age_bucket")
st.markdown(f"**{tr('complaints.days_by_category')}**")
uc.show_table(st, cl.days_to_resolve_quantiles(facts, "category"), lang,
              percent=("sla_breach_rate",), height=250)

st.subheader(tr("complaints.sec.customers"))
c = st.columns(4)
_chart(c[0], charts.share_chart(cl.reasonable_mix(facts), "reasonable_code", lang,
                                "complaints.chart.reasonable"), "complaints.c_reasonable",
       "reasonable_code")
_chart(c[1], charts.bar_chart(cl.volume_by(facts, "desired_resolution"), "desired_resolution",
                              lang, "complaints.chart.desired"), "complaints.c_desired",
       "desired_resolution")
kinds = cl.customer_kind_mix(facts)
_chart(c[2], charts.share_chart(kinds, "customer_kind", lang, "complaints.chart.kind"),
       "complaints.c_kind", "customer_kind")
if kinds.get_column("customer_kind").to_list() == [cl.UNKNOWN]:
    c[2].caption(tr("complaints.needs_tenure"))
sat = cl.satisfaction_distribution(facts)
if sat.height:
    _chart(c[3], charts.satisfaction_chart(sat, lang), "complaints.c_satisfaction",
           "satisfaction")
    by_sla = dict(cl.satisfaction_by(facts, "sla_breached").select(
        "sla_breached", "satisfaction_mean").iter_rows())
    c[3].caption(tr("complaints.sat_by_sla", in_time=_num(by_sla.get("false"), "{:.2f}"),
                    late=_num(by_sla.get("true"), "{:.2f}")))

st.markdown(f"**{tr('complaints.m.repeat')}**")
uc.show_table(st, repeat, lang, height=220)

# ---- complaints and churn --------------------------------------------------------------------
st.subheader(tr("complaints.sec.churn"))
churned, source = uc.churned(data, cfg, day)
if churned.is_empty() or (not has_orders and not churned.get_column("churned").any()):
    st.info(tr("complaints.needs_churn"))
else:
    if has_orders:
        churned = churned.join(uc.yearly_revenue(data, day), on="customer_id", how="left")
        churned = churned.rename({"yearly_revenue": "value"})
    groups = uc.vs_churn(all_facts, churned, cfg, day)
    c = st.columns([3, 2])
    c[0].plotly_chart(charts.churn_chart(groups, lang), key="complaints.c_churn")
    uc.show_table(c[1], groups, lang, percent=("churn_rate", "ci_low", "ci_high"))
    c[1].caption(tr("complaints.churn_note", level=f"{cfg.ci_level * 100:g}",
                    source=tr(f"complaints.churn_source.{source}")))
    if "lost_value" in groups.columns:
        bad = groups.filter(pl.col("group").is_in(["resolved_late", "unresolved"]))
        c[1].caption(tr("complaints.lost_value_note", n=f"{int(bad['churned'].sum()):,}",
                        value=show.money(float(bad["lost_value"].sum()))))

# ---- drill-down list -------------------------------------------------------------------------
st.subheader(tr("complaints.sec.list"))
rows = facts
shown: list[str] = []
for key, column in DRILL.items():
    values = uc.selected_values(st.session_state.get(key))
    if values:
        rows = cl.drill_rows(rows, column, values)
        labels = ", ".join(charts.code_label(column, v, lang) for v in values)
        shown.append(f"{tr(f'complaints.col.{column}')}: {labels}")
st.caption(tr("complaints.drill_from", what=privacy.md_text("; ".join(shown)) if shown
              else tr("complaints.drill_all")))
if shown and st.button(tr("complaints.drill_clear"), key="complaints.drill_clear"):
    st.session_state[GEN] = st.session_state.get(GEN, 0) + 1
    st.rerun()
# the newest LIST_ROWS on screen (sending 170,000 rows to the browser took most of a rerun);
# the list download holds every row
newest_first = rows.top_k(LIST_ROWS, by=["received_date", "complaint_id"]) \
    .sort("received_date", "complaint_id", descending=True, nulls_last=True)
if rows.height > LIST_ROWS:
    st.caption(tr("complaints.list_newest", n=fmt.count(LIST_ROWS), total=fmt.count(rows.height)))
id_label = uc.header("customer_id")
st.dataframe(uc.display_frame(show.with_links(newest_first), lang), hide_index=True,
             width="stretch", height=320, key="complaints.list", placeholder=fmt.BLANK,
             column_config={id_label: show.link_column(id_label)})

# ---- downloads -------------------------------------------------------------------------------
st.subheader(tr("complaints.sec.downloads"))
mask = privacy.mask_control("complaints.mask")
export_cols = [c for c in cl.complaints_export_frame(data.complaints.head(0), cfg, day).columns]
d = st.columns(4)
downloads = (
    ("complaints.dl.open", facts.filter(~pl.col("resolved")).select(export_cols),
     "complaints_open.csv"),
    ("complaints.dl.breached", facts.filter(pl.col("sla_breached").fill_null(False))
     .select(export_cols), "complaints_sla_breached.csv"),
    ("complaints.dl.repeat", repeat, "repeat_complainers.csv"),
    ("complaints.dl.list", rows.select(export_cols), "complaints_list.csv"),
)
for col, (label, frame, name) in zip(d, downloads, strict=True):
    def csv(frame: pl.DataFrame = frame) -> bytes:  # made on click, not on every rerun
        in_lang = localise_frame(frame, lang) if lang != "en" else frame  # the page's language
        return to_safe_csv(in_lang, mask=mask)

    privacy.download_button(f"{tr(label)} ({frame.height:,})", csv,
                            what=f"complaints: {name}", rows=frame.height, masked=mask,
                            container=col, file_name=name, mime="text/csv",
                            key=f"complaints.dl_{name}", disabled=frame.is_empty())
