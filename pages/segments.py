"""Customer value & segments: the value pyramid, value concentration, RFM, customer lists."""

from __future__ import annotations

import polars as pl
import streamlit as st

from crm_logic import fmt
from crm_logic import segmentation as seg
from crm_logic.charts import segments as charts
from crm_logic.export import to_safe_csv
from crm_logic.i18n import t
from crm_logic.localise import localise_frame
from ui import privacy, show, state, value_backtest
from ui import segments as us

state.require_frame(__file__)

lang = state.lang()
tr = state.tr
st.title(tr("segments.title"))
st.caption(tr("segments.intro"))

data = state.data()
day = state.as_of()

# ---- what-if controls -----------------------------------------------------------------------
with st.sidebar.expander(tr("what_if"), expanded=True):
    st.caption(tr("segments.cfg.help"))
    state.cfg_control("tier_platinum_share", st.slider, "segments.cfg.platinum",
                      min_value=0.0, max_value=0.5, step=0.01, format="%.2f")
    state.cfg_control("tier_gold_share", st.slider, "segments.cfg.gold",
                      min_value=0.0, max_value=0.6, step=0.01, format="%.2f")
    state.cfg_control("tier_iron_share", st.slider, "segments.cfg.iron",
                      min_value=0.0, max_value=0.8, step=0.01, format="%.2f")
    state.cfg_control("horizon_days", st.slider, "segments.cfg.horizon",
                      min_value=30, max_value=1095, step=30)
    state.cfg_control("discount_rate_yearly", st.slider, "segments.cfg.discount",
                      min_value=0.0, max_value=0.5, step=0.01, format="%.2f")
    state.cfg_control("margin_share", st.slider, "segments.cfg.margin",
                      min_value=0.05, max_value=1.0, step=0.05, format="%.2f")
    state.cfg_control("cost_per_order", st.number_input, "segments.cfg.cost_order",
                      min_value=0.0, step=1.0)
    state.cfg_control("cost_per_complaint", st.number_input, "segments.cfg.cost_complaint",
                      min_value=0.0, step=10.0)
    state.cfg_control("rfm_bins", st.selectbox, "segments.cfg.rfm_bins", options=[3, 4, 5])
    state.cfg_control("value_model", st.selectbox, "segments.cfg.value_model",
                      options=["bgnbd", "mbgnbd"],
                      format_func=lambda v, _l=lang: t(f"value_model.{v}", _l))
    state.cfg_control("interval_level", st.selectbox, "segments.cfg.interval_level",
                      options=[0.5, 0.8, 0.9, 0.95, 0.99], format_func=lambda v: f"{v:.0%}")
cfg = state.config()
if cfg.tier_platinum_share + cfg.tier_gold_share + cfg.tier_iron_share > 1.0 + 1e-9:
    st.sidebar.warning(tr("segments.cfg.shares_too_big"))

if not state.has_orders(day):
    st.info(tr("segments.no_orders"))
    st.stop()

with st.spinner():
    table, fits = us.value(data, cfg, day)
model_notes = [(k, kw) for k, kw in fits.notes if not k.startswith("segments.note.rfm")]
if model_notes:
    with st.expander(tr("segments.model_notes"), expanded=False):
        for key, kw in model_notes:
            st.markdown(f"- {tr(key, **kw)}")

tiers = seg.tier_summary(table)

# ---- headline figures -------------------------------------------------------------------------
top_share = cfg.tier_platinum_share + cfg.tier_gold_share
top_value = tiers.filter(pl.col("value_tier").is_in(["platinum", "gold"]))["value_share"].sum()
m = st.columns(4)
m[0].metric(tr("segments.metric.customers"), f"{table.height:,}")
m[1].metric(tr("segments.metric.total_value"),
            show.money(float(table["lifetime_value"].sum()), compact=True))
m[2].metric(tr("segments.metric.predicted", days=cfg.horizon_days),
            show.money(float(table["predicted_value"].sum()), compact=True))
m[3].metric(tr("segments.metric.top_share", share=min(top_share, 1.0)), f"{top_value:.0%}",
            help=tr("segments.metric.top_share_help"))


# ---- selection: a click on a chart picks the customer list ------------------------------------
def _picked(chart_key: str, codes: list[str]) -> str | None:
    """The code of the bar selected in a chart (customdata, else the point index)."""
    event = st.session_state.get(chart_key)
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    if not points:
        return None
    point = points[0]
    code = point.get("customdata")
    if isinstance(code, list):
        code = code[0] if code else None
    if code in codes:
        return str(code)
    idx = point.get("point_index", point.get("point_number"))
    return codes[idx] if isinstance(idx, int) and 0 <= idx < len(codes) else None


def _on_tier_click() -> None:
    code = _picked("segments.pyramid", list(seg.TIERS))
    if code:
        st.session_state["segments.by"] = "tier"
        st.session_state["segments.pick_tier"] = code


def _on_segment_click() -> None:
    code = _picked("segments.rfm_bars", list(seg.RFM_SEGMENTS))
    if code:
        st.session_state["segments.by"] = "segment"
        st.session_state["segments.pick_segment"] = code


tab_pyr, tab_rfm, tab_model, tab_trust = st.tabs(
    [tr("segments.tab.pyramid"), tr("segments.tab.rfm"), tr("segments.tab.models"),
     tr("value_bt.tab")]
)

with tab_pyr:
    c1, c2 = st.columns([3, 2])
    with c1:
        st.plotly_chart(charts.pyramid_chart(tiers, lang), key="segments.pyramid",
                        on_select=_on_tier_click, selection_mode="points")
        st.caption(tr("segments.pyramid.select_hint"))
    with c2:
        st.plotly_chart(charts.share_chart(tiers, lang), key="segments.shares")
    strategy = tiers.select(
        pl.col("value_tier").replace_strict({c: tr(f"tier.{c}") for c in seg.TIERS})
        .alias(tr("segments.table.tier")),
        pl.col("customers").alias(tr("segments.table.customers")),
        (pl.col("customer_share") * 100).round(1).alias(tr("segments.table.customer_share")),
        (pl.col("value_share") * 100).round(1).alias(tr("segments.table.value_share")),
        pl.col("avg_lifetime_value").round(0).alias(tr("segments.table.avg_clv")),
        pl.col("value_tier").replace_strict({c: tr(f"segments.strategy.{c}")
                                             for c in seg.TIERS})
        .alias(tr("segments.table.strategy")),
    )
    st.dataframe(
        strategy, hide_index=True, width="stretch", row_height=show.WRAP_ROW_HEIGHT,
        column_config={
            tr("segments.table.customer_share"): st.column_config.NumberColumn(format="%.1f%%"),
            tr("segments.table.value_share"): st.column_config.NumberColumn(format="%.1f%%"),
            tr("segments.table.avg_clv"): show.money_column(tr("segments.table.avg_clv")),
            tr("segments.table.strategy"): st.column_config.TextColumn(width="large"),
        },
    )
    st.plotly_chart(charts.pareto_chart(seg.pareto_curve(table), lang), key="segments.pareto")
    st.caption(tr("segments.pareto.caption"))

with tab_rfm:
    bins = int(cfg.rfm_bins)
    rfm_notes = seg.rfm_notes(table, bins)
    if rfm_notes:
        st.info(tr("segments.rfm.coarse") + ": " + "; ".join(tr(k, **kw) for k, kw in rfm_notes))
    c1, c2 = st.columns(2)
    with c1:
        st.plotly_chart(charts.rfm_heatmap(seg.rfm_grid(table, bins), lang), key="segments.grid")
    with c2:
        st.plotly_chart(charts.segment_chart(seg.segment_summary(table), lang),
                        key="segments.rfm_bars", on_select=_on_segment_click,
                        selection_mode="points")
        st.caption(tr("segments.rfm.select_hint"))

with tab_model:
    st.markdown(tr("segments.models.explain"))
    blocks = (
        ("segments.models.purchase", fits.bgnbd, ("r", "alpha", "a", "b", "log_likelihood")),
        ("segments.models.mbg", fits.mbgnbd, ("r", "alpha", "a", "b", "log_likelihood")),
        ("segments.models.spend", fits.gamma_gamma, ("p", "q", "gamma", "log_likelihood")),
    )
    cols = st.columns(3)
    for col, (title, fit, names) in zip(cols, blocks, strict=True):
        with col:
            st.markdown(f"**{tr(title)}**")
            if fit is None:
                st.caption(tr("segments.models.not_fitted"))
                continue
            status = ("segments.models.converged" if fit.converged
                      else "segments.models.not_converged")
            st.caption(f"n = {fit.n:,} · {tr(status)}")
            st.dataframe(
                pl.DataFrame({tr("segments.models.param"): list(names),
                              tr("segments.models.value"): [float(getattr(fit, n))
                                                            for n in names]}),
                hide_index=True, width="stretch",
            )

with tab_trust:  # the forecast's interval and the value backtest (ui/value_backtest.py)
    value_backtest.render(data, cfg, day, fits.forecast, lang)


def _in_lang(frame: pl.DataFrame, lang: str = lang) -> pl.DataFrame:
    """A download in the page's language (English keeps the contract's names and codes)."""
    return localise_frame(frame, lang) if lang != "en" else frame


# ---- customer list + download ------------------------------------------------------------------
st.subheader(tr("segments.list.title"))
lc = st.columns([1, 2, 2])
by = lc[0].radio(tr("segments.list.by"), ["tier", "segment"], key="segments.by",
                 format_func=lambda v, _l=lang: t(f"segments.list.by_{v}", _l), horizontal=True)
if by == "tier":
    options: list[str | None] = [None, *seg.TIERS]
    pick = lc[1].selectbox(tr("segments.list.by_tier"), options, key="segments.pick_tier",
                           format_func=lambda v, _l=lang: t("segments.list.all", _l)
                           if v is None else t(f"tier.{v}", _l))
else:
    options = [None, *seg.RFM_SEGMENTS]
    pick = lc[1].selectbox(tr("segments.list.by_segment"), options, key="segments.pick_segment",
                           format_func=lambda v, _l=lang: t("segments.list.all", _l)
                           if v is None else t(f"rfm.{v}", _l))
if pick is not None and by == "tier":
    lc[2].info(tr(f"segments.strategy.{pick}"))
rows = us.customer_list(table, by, pick)
st.caption(tr("segments.list.count", n=f"{rows.height:,}"))
if rows.height == 0:
    st.info(tr("no_rows"))
else:
    shown = 500
    id_label = tr("customer_id")
    money = [tr(f"segments.col.{c}") for c in ("lifetime_value", "historic_value",
                                                "predicted_value", "revenue")]
    head = rows.head(shown)  # only the shown customers' records are masked (not all 250k)
    listed = us.display_list(head, privacy.screen(us.records_of(data.customers, head)), lang)
    st.dataframe(show.with_links(listed, id_label),  # links after the join on the ID
                 hide_index=True, width="stretch", height=360, placeholder=fmt.BLANK,
                 column_config={id_label: show.link_column(id_label),
                                tr("segments.col.last_order_date"):
                                    show.date_column(tr("segments.col.last_order_date")),
                                **{m: show.money_column(m) for m in money}})
    if rows.height > shown:
        st.caption(tr("segments.list.shown", n=shown))
    mask = privacy.mask_control("segments.mask")
    name = tr("segments.list.file") + (f"_{pick}" if pick else "") + f"_{day.isoformat()}.csv"
    privacy.download_button(  # the CSV is made on click (not on every rerun)
        tr("download_csv"), lambda rows=rows, people=data.customers, mask=mask: to_safe_csv(
            _in_lang(us.download_frame(rows, people)), mask=mask),
        what=f"segments: {by} {pick or 'all'}", rows=rows.height, masked=mask,
        file_name=name, mime="text/csv", key="segments.download",
    )
