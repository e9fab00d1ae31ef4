"""Prospect charts: MAN gaps, sources by relation, the 5-step funnel (Plotly, either language)."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from crm_logic.charts.palette import STAGE_COLORS
from crm_logic.i18n import TEXTS, t
from crm_logic.prospects import FUNNEL

COLORS: dict[str, str] = {"no": "#E45756", "unknown": "#C7C7C7", "relation": "#4C78A8",
                          "other": "#9D9D9D", "value": "#D4A017"}
FUNNEL_COLORS: dict[str, str] = {
    "prospects": "#BAB0AC", "first_purchase": STAGE_COLORS["exploration"],
    "repeat_purchase": STAGE_COLORS["formation"], "loyal": STAGE_COLORS["stability"],
    "churned": STAGE_COLORS["decline"],
}


def source_label(code: object, lang: str) -> str:
    """A source's display label: translated when it is a known code, else as written."""
    key = f"prospects.source.{code}"
    return t(key, lang) if key in TEXTS else str(code)


def _axis_label(code: object, lang: str) -> str:
    """`source_label` for a chart axis: Plotly reads tags in labels, so < and > are escaped."""
    return source_label(code, lang).replace("<", "&lt;").replace(">", "&gt;")


def _layout(fig: go.Figure, title: str, height: int = 320) -> go.Figure:
    fig.update_layout(title={"text": title}, height=height, dragmode=False,
                      margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return fig


def man_chart(man: pl.DataFrame, lang: str) -> go.Figure:
    """Horizontal stacked bars per MAN criterion: prospects answering no, and not known."""
    labels = [t(f"prospects.man.{c}", lang) for c in man.get_column("criterion")]
    fig = go.Figure()
    for part in ("no", "unknown"):
        values = man.get_column(part).to_list()
        fig.add_trace(go.Bar(y=labels, x=values, orientation="h", name=t(f"prospects.man.{part}",
                                                                         lang),
                             marker_color=COLORS[part], text=values, textposition="inside"))
    fig.update_layout(barmode="stack", legend={"orientation": "h", "y": 1.0, "x": 1.0,
                                               "xanchor": "right", "yanchor": "bottom"})
    fig.update_yaxes(autorange="reversed")  # most often missing on top
    fig.update_xaxes(title=t("prospects.col.prospects", lang))
    return _layout(fig, t("prospects.man.chart", lang), 280)


def conversion_chart(sources: pl.DataFrame, lang: str) -> go.Figure:
    """Conversion rate per source; relations in blue, other sources grey; n in the hover."""
    labels = [_axis_label(c, lang) for c in sources.get_column("source_code")]
    rate = sources.get_column("conversion_rate").to_list()
    colors = [COLORS["relation"] if r else COLORS["other"]
              for r in sources.get_column("relation")]
    fig = go.Figure(go.Bar(
        x=labels, y=rate, marker_color=colors, text=[f"{r:.0%}" for r in rate],
        textposition="outside", cliponaxis=False,
        customdata=list(zip(sources.get_column("converted"), sources.get_column("prospects"),
                            strict=True)),
        hovertemplate="%{x}: %{y:.1%} (%{customdata[0]} / %{customdata[1]})<extra></extra>"))
    fig.update_yaxes(tickformat=".0%", range=[0, max([*rate, 0.0]) * 1.2 or 1],
                     title=t("prospects.col.conversion_rate", lang))
    return _layout(fig, t("prospects.chart.conversion", lang))


def value_chart(sources: pl.DataFrame, lang: str) -> go.Figure:
    """Average lifetime value of the customers each source brought (none: no bar)."""
    labels = [_axis_label(c, lang) for c in sources.get_column("source_code")]
    value = sources.get_column("avg_lifetime_value").to_list()
    fig = go.Figure(go.Bar(
        x=labels, y=value, marker_color=COLORS["value"],
        text=["" if v is None else f"{v:,.0f}" for v in value], textposition="outside",
        cliponaxis=False))
    top = max([v for v in value if v is not None] or [0.0])
    fig.update_yaxes(range=[0, top * 1.2 or 1], title=t("prospects.col.avg_lifetime_value",
                                                         lang))
    return _layout(fig, t("prospects.chart.value", lang))


def funnel_chart(counts: dict[str, int], lang: str) -> go.Figure:
    """The 5-step journey: prospects, first purchase, repeat purchase, loyal, churned."""
    labels = [t(f"prospects.funnel.{k}", lang) for k in FUNNEL]
    values = [int(counts.get(k, 0)) for k in FUNNEL]
    fig = go.Figure(go.Funnel(y=labels, x=values, textinfo="value+percent initial",
                              marker={"color": [FUNNEL_COLORS[k] for k in FUNNEL]}))
    return _layout(fig, t("prospects.funnel.title", lang), 360)
