"""Prospects: MAN qualification, sources by personal relation, the 5-step journey, open list."""

from __future__ import annotations

import polars as pl
import streamlit as st

from crm_logic import prospects as pr
from crm_logic.charts import prospects as charts
from crm_logic.export import mask_frame, to_safe_csv
from ui import privacy, state
from ui import prospects as up

state.require_frame(__file__)

lang = state.lang()
tr = state.tr
st.title(tr("prospects.title"))
st.caption(tr("prospects.intro"))

data = state.data()
day = state.as_of()

with st.sidebar.expander(tr("what_if"), expanded=True):
    state.cfg_control("prospect_open_max_days", st.slider, "prospects.open_max_days",
                      min_value=30, max_value=720, step=30,
                      help=tr("prospects.open_max_days_help"))
cfg = state.config()

has_orders = state.has_orders(day)
customers = state.analysis().customers if has_orders else None
facts = pr.prospect_facts(data.prospects, customers, cfg, day)
if facts.is_empty():
    st.info(tr("prospects.none"))
    st.stop()
if not has_orders:
    st.warning(tr("prospects.no_orders"))

report = pr.prospect_report(data.prospects, customers, cfg, day)
m = st.columns(6)
m[0].metric(tr("prospects.m.total"), f"{report['total']:,}")
m[1].metric(tr("prospects.m.qualified"), f"{report['qualified']:,}")
m[2].metric(tr("prospects.m.converted"), f"{report['converted']:,}")
m[3].metric(tr("prospects.m.conversion_rate"), f"{report['conversion_rate']:.1%}")
m[4].metric(tr("prospects.m.open"), f"{report['open']:,}")
m[5].metric(tr("prospects.m.lost"), f"{report['lost']:,}",
            help=tr("prospects.open_max_days_help"))

# ---- MAN -------------------------------------------------------------------------------------
st.subheader(tr("prospects.sec.man"))
man = pr.man_summary(facts)
c = st.columns([3, 2])
c[0].plotly_chart(charts.man_chart(man, lang), key="prospects.c_man")
top = report["most_missing"]
if top:
    c[1].info(tr("prospects.man.most_missing", criterion=tr(f"prospects.man.{top}"),
                 n=f"{report['missing'][top]:,}", total=f"{report['total']:,}"))
else:
    c[1].success(tr("prospects.man.none_missing"))

# ---- sources ---------------------------------------------------------------------------------
st.subheader(tr("prospects.sec.sources"))
st.caption(tr("prospects.sources.caption"))
sources = pr.source_summary(facts)
c = st.columns(2)
c[0].plotly_chart(charts.conversion_chart(sources, lang), key="prospects.c_conversion")
c[1].plotly_chart(charts.value_chart(sources, lang), key="prospects.c_value")
st.dataframe(up.source_table(sources, lang), hide_index=True, width="stretch")

# ---- funnel ----------------------------------------------------------------------------------
st.subheader(tr("prospects.sec.funnel"))
st.caption(tr("prospects.funnel.caption"))
st.plotly_chart(charts.funnel_chart(report["funnel"], lang), key="prospects.c_funnel")

# ---- open prospects --------------------------------------------------------------------------
st.subheader(tr("prospects.sec.open"))
st.caption(tr("prospects.open.caption"))
open_rows = pr.open_prospects(facts)
if open_rows.is_empty():
    st.info(tr("prospects.open.none"))
else:
    st.dataframe(up.open_list(privacy.screen(open_rows.head(500)), lang), hide_index=True,
                 width="stretch", height=320)
    mask = privacy.mask_control("prospects.mask")

    def csv(rows: pl.DataFrame = open_rows, masked: bool = mask) -> bytes:  # made on click
        return to_safe_csv(up.open_list(mask_frame(rows) if masked else rows, lang),
                           mask=False)  # masked above, on the canonical columns

    privacy.download_button(f"{tr('download_csv')} ({open_rows.height:,})", csv,
                            what="prospects: open", rows=open_rows.height, masked=mask,
                            file_name=f"{tr('prospects.open.file')}_{day.isoformat()}.csv",
                            mime="text/csv", key="prospects.download")
