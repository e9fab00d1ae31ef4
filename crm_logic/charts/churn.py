"""Charts of the churn early warning: risk by tier, churn rate over time, causes, lift."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import polars as pl

from crm_logic.charts.axes import localise_date_axes
from crm_logic.charts.palette import RISK_COLORS, TIER_COLORS, UNKNOWN_COLOR
from crm_logic.codes import RISK_LEVELS, TIERS, UNKNOWN
from crm_logic.config import CrmConfig
from crm_logic.i18n import t

RISK_COLOURS = RISK_COLORS
SERIES_COLOURS: dict[str, str] = {"all": "#1f77b4", **TIER_COLORS, UNKNOWN: UNKNOWN_COLOR}
_PREFIX = {"churn_reason": "churn_reason", "churn_type": "churn_type", "value_tier": "tier",
           "lifecycle_pattern": "pattern", "risk_level": "risk"}


def code_label(column: str, code: str | None, lang: str) -> str:
    """Display label of a coded value ("unknown" = not recorded)."""
    if code is None or code == UNKNOWN:
        return t("churn.unknown", lang)
    if column == "value_tier" and code == "all":
        return t("churn.all", lang)
    return t(f"{_PREFIX[column]}.{code}", lang)


def risk_by_tier_chart(scores: pl.DataFrame, lang: str) -> go.Figure:
    """Customers per value tier, stacked by risk level (big tiers first)."""
    counts = scores.with_columns(pl.col("value_tier").fill_null(UNKNOWN)).group_by(
        "value_tier", "risk_level").len()
    tiers = [tr for tr in (*TIERS, UNKNOWN) if tr in set(counts.get_column("value_tier"))]
    fig = go.Figure()
    for level in RISK_LEVELS:
        sub = dict(counts.filter(pl.col("risk_level") == level)
                   .select("value_tier", "len").iter_rows())
        fig.add_bar(
            x=[code_label("value_tier", tr, lang) for tr in tiers],
            y=[int(sub.get(tr, 0)) for tr in tiers],
            name=t(f"risk.{level}", lang), marker_color=RISK_COLOURS[level],
        )
    fig.update_layout(barmode="stack", yaxis_title=t("customers", lang),
                      legend_title=t("churn.col.risk_level", lang), margin={"t": 30})
    return fig


def churn_rate_chart(
    rates: pl.DataFrame, cfg: CrmConfig, lang: str, series: list[str] | None = None
) -> go.Figure:
    """Monthly churn rate per series against the acceptable range; provisional months shaded."""
    fig = go.Figure()
    chosen = series or ["all"]
    fig.add_hrect(
        y0=float(cfg.churn_rate_acceptable_min), y1=float(cfg.churn_rate_acceptable_max),
        fillcolor="#2ca02c", opacity=0.12, line_width=0,
        annotation_text=t("churn.rate_range", lang), annotation_position="top left",
    )
    for name in chosen:
        sub = rates.filter(pl.col("value_tier") == name).sort("month")
        if sub.height == 0:
            continue
        fig.add_scatter(
            x=sub.get_column("month").to_list(), y=sub.get_column("churn_rate").to_list(),
            mode="lines+markers", name=code_label("value_tier", name, lang),
            line={"color": SERIES_COLOURS.get(name, "#17becf")},
        )
        breach = sub.filter(pl.col("above_max") | pl.col("below_min"))
        if breach.height:
            fig.add_scatter(
                x=breach.get_column("month").to_list(),
                y=breach.get_column("churn_rate").to_list(), mode="markers",
                marker={"color": "#d62728", "size": 11, "symbol": "x"}, showlegend=False,
                hoverinfo="skip",
            )
    prov = rates.filter(pl.col("provisional")).get_column("month")
    if prov.len():
        start = prov.min()
        end = prov.max()
        if isinstance(start, dt.date) and isinstance(end, dt.date):
            fig.add_vrect(x0=start - dt.timedelta(days=15), x1=end + dt.timedelta(days=15),
                          fillcolor="#999999", opacity=0.12, line_width=0)
    fig.update_layout(yaxis_title=t("churn.rate_axis", lang), yaxis_tickformat=".0%",
                      xaxis_title=t("month", lang), margin={"t": 30})
    return localise_date_axes(fig, lang)


def causes_chart(by: pl.DataFrame, column: str, lang: str,
                 measure: str = "customers") -> go.Figure:
    """Bars of lost customers (or yearly value lost) per code of `column`."""
    labels = [code_label(column, c, lang) for c in by.get_column(column).to_list()]
    fig = go.Figure(go.Bar(x=labels, y=by.get_column(measure).to_list(),
                           marker_color="#d62728"))
    fig.update_layout(yaxis_title=t(f"churn.col.{measure}", lang), margin={"t": 30},
                      showlegend=False)
    return fig


def lift_chart(lift: pl.DataFrame, lang: str) -> go.Figure:
    """Share lost per risk decile (bars) and the cumulative share of all lost found (line)."""
    fig = go.Figure()
    deciles = lift.get_column("decile").to_list()
    fig.add_bar(x=deciles, y=lift.get_column("lost_rate").to_list(),
                name=t("churn.lift_rate", lang), marker_color="#d62728")
    fig.add_scatter(x=deciles, y=lift.get_column("cum_share_lost").to_list(),
                    name=t("churn.lift_cum", lang), mode="lines+markers", yaxis="y2",
                    line={"color": "#1f77b4"})
    if lift.height:
        total = lift.get_column("customers").sum()
        base = lift.get_column("lost").sum() / total if total else 0.0
        fig.add_hline(y=base, line_dash="dash", line_color="#7f7f7f",
                      annotation_text=t("churn.lift_base", lang))
    fig.update_layout(
        xaxis={"title": t("churn.lift_decile", lang), "dtick": 1},
        yaxis={"title": t("churn.lift_rate", lang), "tickformat": ".0%", "range": [0, 1]},
        yaxis2={"title": t("churn.lift_cum", lang), "tickformat": ".0%", "range": [0, 1.02],
                "overlaying": "y", "side": "right"},
        legend={"orientation": "h", "y": -0.25}, margin={"t": 30},
    )
    return fig
