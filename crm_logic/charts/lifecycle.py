"""Lifecycle charts: life curves, value by pattern, stage mix, stage flow, cohort retention,
and one customer's timeline.

Inputs are the frames of `crm_logic.lifecycle` (codes only); every label comes from i18n in
the language asked for.
"""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import polars as pl

from crm_logic.charts.axes import localise_date_axes
from crm_logic.charts.palette import PATTERN_COLORS, STAGE_COLORS
from crm_logic.codes import PATTERN_CODES, STAGES
from crm_logic.i18n import t

STATE_COLORS: dict[str, str] = {**STAGE_COLORS, "new": "#B279A2", "lost": "#7F7F7F"}


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _layout(fig: go.Figure, title: str, height: int = 400, legend: bool = True) -> go.Figure:
    fig.update_layout(
        title={"text": title}, height=height, margin={"l": 10, "r": 10, "t": 50, "b": 10},
        showlegend=legend, legend={"orientation": "h", "y": -0.18},
    )
    return fig


def _period_word(period: str, lang: str) -> str:
    word = t(f"lifecycle.period.{period}", lang)
    return word if lang == "zh" else word.lower()


def life_curves_chart(curves: pl.DataFrame, lang: str, period: str = "month",
                      normalised: bool = False) -> go.Figure:
    """Average volume by periods since the first purchase, one line and 25-75% band per pattern.

    `curves`: `lifecycle.life_curves` (lifecycle_pattern, period_index, mean, p25, p75).
    """
    fig = go.Figure()
    for pattern in PATTERN_CODES:
        part = curves.filter(pl.col("lifecycle_pattern") == pattern).sort("period_index")
        if part.height == 0:
            continue
        x = part.get_column("period_index").to_list()
        color = PATTERN_COLORS[pattern]
        name = t(f"pattern.{pattern}", lang)
        fig.add_trace(go.Scatter(
            x=x + x[::-1],
            y=part.get_column("p75").to_list() + part.get_column("p25").to_list()[::-1],
            fill="toself", fillcolor=_rgba(color, 0.15), line={"width": 0},
            hoverinfo="skip", showlegend=False, legendgroup=pattern,
            name=t("lifecycle.curves.band", lang, pattern=name),
        ))
        fig.add_trace(go.Scatter(
            x=x, y=part.get_column("mean").to_list(), mode="lines", name=name,
            line={"color": color, "width": 2.5}, legendgroup=pattern,
            customdata=part.get_column("customers").to_list(),
            hovertemplate="%{y:,.2f}<br>n=%{customdata}<extra>" + name + "</extra>",
        ))
    word = _period_word(period, lang)
    y_title = (t("lifecycle.curves.y_norm", lang) if normalised
               else t("lifecycle.curves.y", lang, period=word))
    fig.update_xaxes(title=t("lifecycle.curves.x", lang, period=word))
    fig.update_yaxes(title=y_title, tickformat=".0%" if normalised else None, rangemode="tozero")
    return _layout(fig, t("lifecycle.curves.title", lang), height=430)


def pattern_value_chart(summary: pl.DataFrame, lang: str) -> go.Figure:
    """Average lifetime value per pattern (bars), customer counts in the hover text.

    `summary`: `lifecycle.pattern_summary`.
    """
    codes = summary.get_column("lifecycle_pattern").to_list()
    fig = go.Figure(go.Bar(
        x=[t(f"pattern.{c}", lang) for c in codes],
        y=summary.get_column("avg_value").fill_null(0.0).to_list(),
        marker_color=[PATTERN_COLORS[c] for c in codes],
        customdata=summary.get_column("customers").to_list(),
        text=[f"n={n:,}" for n in summary.get_column("customers").to_list()],
        textposition="outside",
        hovertemplate="%{x}: %{y:,.0f}<br>n=%{customdata:,}<extra></extra>",
    ))
    fig.update_yaxes(title=t("lifecycle.summary.value", lang), rangemode="tozero")
    return _layout(fig, t("lifecycle.chart.value", lang), height=360, legend=False)


def stage_mix_chart(mix: pl.DataFrame, lang: str, as_share: bool = False) -> go.Figure:
    """Running relationships per period by stage, stacked areas (counts or shares).

    `mix`: `lifecycle.stage_mix` (period_start, stage, customers, share).
    """
    fig = go.Figure()
    col = "share" if as_share else "customers"
    starts = mix.get_column("period_start").unique().sort()
    for stage in STAGES:
        part = (pl.DataFrame({"period_start": starts})
                .join(mix.filter(pl.col("stage") == stage), on="period_start", how="left")
                .with_columns(pl.col(col).fill_null(0)))
        fig.add_trace(go.Scatter(
            x=part.get_column("period_start").to_list(), y=part.get_column(col).to_list(),
            name=t(f"stage.{stage}", lang), mode="lines", stackgroup="one",
            line={"color": STAGE_COLORS[stage], "width": 0.5},
            hovertemplate="%{x|%Y-%m}: %{y:" + (".0%" if as_share else ",") + "}<extra>"
            + t(f"stage.{stage}", lang) + "</extra>",
        ))
    fig.update_yaxes(tickformat=".0%" if as_share else ",", rangemode="tozero")
    return localise_date_axes(_layout(fig, t("lifecycle.mix.title", lang)), lang)


def current_stage_chart(counts: dict[str, int], lang: str) -> go.Figure:
    """Active customers by current stage (bars, domain order)."""
    fig = go.Figure(go.Bar(
        x=[t(f"stage.{s}", lang) for s in STAGES], y=[counts.get(s, 0) for s in STAGES],
        marker_color=[STAGE_COLORS[s] for s in STAGES],
        text=[f"{counts.get(s, 0):,}" for s in STAGES], textposition="outside",
        hovertemplate="%{x}: %{y:,}<extra></extra>",
    ))
    fig.update_yaxes(rangemode="tozero")
    return _layout(fig, t("lifecycle.current_mix", lang), height=360, legend=False)


def stage_flow_chart(transitions: pl.DataFrame, lang: str, periods: int = 12,
                     period: str = "month") -> go.Figure:
    """Sankey: stage at the start of the window (or new) -> stage now (or lost).

    `transitions`: `lifecycle.stage_transitions` (from_state, to_state, customers).
    """
    left = ["new", *STAGES]
    right = [*STAGES, "lost"]

    def label(code: str) -> str:
        return t(f"lifecycle.state.{code}", lang) if code in ("new", "lost") \
            else t(f"stage.{code}", lang)

    labels = [label(c) for c in left] + [label(c) for c in right]
    colors = [STATE_COLORS[c] for c in left] + [STATE_COLORS[c] for c in right]
    src, dst, val, link_colors = [], [], [], []
    for a, b, n in transitions.iter_rows():
        if a in left and b in right and n:
            src.append(left.index(a))
            dst.append(len(left) + right.index(b))
            val.append(int(n))
            link_colors.append(_rgba(STATE_COLORS[b], 0.35))
    fig = go.Figure(go.Sankey(
        arrangement="snap",
        node={"label": labels, "color": colors, "pad": 14, "thickness": 16},
        link={"source": src, "target": dst, "value": val, "color": link_colors},
    ))
    title = t("lifecycle.flow.title", lang, n=periods, period=_period_word(period, lang))
    return _layout(fig, title, height=440, legend=False)


def cohort_heatmap(retention: pl.DataFrame, lang: str, period: str = "month") -> go.Figure:
    """Retention heatmap: first-purchase cohort (rows) x periods since start (columns).

    `retention`: `lifecycle.cohort_retention`.
    """
    cohorts = retention.get_column("cohort").unique().sort().to_list()
    offsets = sorted(set(retention.get_column("period_index").to_list()))
    lookup = {(c, k): r for c, k, r in retention.select("cohort", "period_index", "retention")
              .iter_rows()}
    sizes = dict(retention.select("cohort", "cohort_size").unique().iter_rows())
    z = [[lookup.get((c, k)) for k in offsets] for c in cohorts]
    fmt = "%Y-%m" if period != "week" else "%Y-%m-%d"
    y = [f"{c.strftime(fmt)} (n={sizes.get(c, 0):,})" for c in cohorts]
    fig = go.Figure(go.Heatmap(
        z=z, x=offsets, y=y, colorscale="Blues", zmin=0, zmax=1, hoverongaps=False,
        colorbar={"tickformat": ".0%"},
        hovertemplate="%{y}<br>+%{x}: %{z:.0%}<extra></extra>",
    ))
    word = _period_word(period, lang)
    fig.update_xaxes(title=t("lifecycle.cohort.x", lang, period=word))
    fig.update_yaxes(title=t("lifecycle.cohort.y", lang), autorange="reversed")
    return _layout(fig, t("lifecycle.cohort.title", lang), height=max(360, 22 * len(cohorts) + 120),
                   legend=False)


def customer_timeline(
    series: pl.DataFrame,
    bands: pl.DataFrame,
    orders: pl.DataFrame,
    complaints: pl.DataFrame,
    interactions: pl.DataFrame,
    lang: str,
    period: str = "month",
    churn_date: dt.date | None = None,
) -> go.Figure:
    """One customer's life curve with stage bands, and orders, complaints, interactions on the
    same time axis.

    `series`: the customer's rows of `stage_history`; `bands`: `lifecycle.stage_periods`;
    `orders`: order_date, amount (one row per day or line); complaints: received_date (and
    category); interactions: interaction_date (and channel).
    """
    fig = go.Figure()
    step = {"week": dt.timedelta(days=7), "month": dt.timedelta(days=31),
            "quarter": dt.timedelta(days=92)}[period]
    shown: set[str] = set()
    for stage, start, end in bands.iter_rows():
        fig.add_vrect(x0=start, x1=end + step, fillcolor=_rgba(STAGE_COLORS[stage], 0.18),
                      line_width=0, layer="below")
        if stage in shown:
            continue
        shown.add(stage)
        fig.add_trace(go.Scatter(  # a legend entry for the band colour
            x=[start], y=[None], mode="markers", name=t(f"stage.{stage}", lang),
            marker={"color": STAGE_COLORS[stage], "symbol": "square", "size": 12},
        ))
    word = _period_word(period, lang)
    if series.height:
        x = series.get_column("period_start").to_list()
        fig.add_trace(go.Bar(
            x=x, y=series.get_column("volume").to_list(), name=t("customer.timeline.raw", lang,
                                                                 period=word),
            marker_color="rgba(120,120,120,0.35)", hovertemplate="%{x|%Y-%m-%d}: %{y:,.0f}"
            "<extra></extra>",
        ))
        fig.add_trace(go.Scatter(
            x=x, y=series.get_column("volume_smoothed").to_list(), mode="lines+markers",
            name=t("customer.timeline.volume", lang), line={"color": "#1F3A5F", "width": 3},
            hovertemplate="%{x|%Y-%m-%d}: %{y:,.0f}<extra></extra>",
        ))
    # events on a second axis below the curve
    events = (
        ("customer.timeline.orders", orders.filter(pl.col("amount") >= 0), "order_date",
         "#4C78A8", "circle", 3),
        ("customer.timeline.refunds", orders.filter(pl.col("amount") < 0), "order_date",
         "#F58518", "x", 3),
        ("customer.timeline.complaints", complaints, "received_date", "#E45756",
         "triangle-up", 2),
        ("customer.timeline.interactions", interactions, "interaction_date", "#72B7B2",
         "diamond", 1),
    )
    for key, frame, col, color, symbol, level in events:
        if frame.height == 0:
            continue
        days = frame.get_column(col).to_list()
        fig.add_trace(go.Scatter(
            x=days, y=[level] * len(days), mode="markers", name=t(key, lang), yaxis="y2",
            marker={"color": color, "symbol": symbol, "size": 9},
            hovertemplate="%{x|%Y-%m-%d}<extra>" + t(key, lang) + "</extra>",
        ))
    if churn_date is not None:
        fig.add_vline(x=churn_date, line={"color": "#7F7F7F", "dash": "dash"})
        fig.add_annotation(x=churn_date, y=1, yref="paper", text=t("customer.timeline.churn",
                                                                   lang), showarrow=False)
    fig.update_layout(
        yaxis={"domain": [0.3, 1.0], "title": t("customer.timeline.volume", lang),
               "rangemode": "tozero"},
        yaxis2={"domain": [0.0, 0.22], "range": [0.3, 3.7], "showticklabels": False,
                "showgrid": False},
        bargap=0.1,
    )
    return localise_date_axes(_layout(fig, t("customer.timeline.title", lang), height=520), lang)
