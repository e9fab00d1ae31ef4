"""Charts of the value backtest (`crm_logic.value.backtest`): the classic BTYD calibration
check (holdout purchases by calibration repeat purchases) and the tiers' next-period revenue.

Inputs are the lists of the backtest dict (`by_repeat_purchases`, `by_tier`).
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from crm_logic.charts.palette import TIER_COLORS
from crm_logic.i18n import t

PREDICTED_COLOR = "#4C78A8"
ACTUAL_COLOR = "#F58518"


def _layout(fig: go.Figure, title: str, height: int = 360) -> go.Figure:
    fig.update_layout(
        title={"text": title}, height=height, margin={"l": 10, "r": 10, "t": 50, "b": 10},
        dragmode=False, legend={"orientation": "h", "y": -0.2},
    )
    return fig


def calibration_chart(rows: list[dict[str, Any]], lang: str) -> go.Figure:
    """Mean purchases per customer in the holdout, predicted vs actual, by the number of
    repeat purchases before the cut-off (0 .. 7+); rows without customers are left out."""
    rows = [r for r in rows if r.get("customers")]
    labels = [r["label"] for r in rows]
    fig = go.Figure()
    fig.add_bar(
        x=labels, y=[r["predicted_purchases"] for r in rows], name=t("value_bt.predicted", lang),
        marker_color=PREDICTED_COLOR,
        customdata=[r["customers"] for r in rows],
        hovertemplate="%{y:.2f} · n = %{customdata:,}<extra></extra>",
    )
    fig.add_bar(
        x=labels, y=[r["actual_purchases"] for r in rows], name=t("value_bt.actual", lang),
        marker_color=ACTUAL_COLOR,
        customdata=[r["customers"] for r in rows],
        hovertemplate="%{y:.2f} · n = %{customdata:,}<extra></extra>",
    )
    fig.update_layout(barmode="group")
    fig.update_xaxes(title={"text": t("value_bt.axis.repeat", lang)}, type="category")
    fig.update_yaxes(title={"text": t("value_bt.axis.purchases", lang)}, rangemode="tozero")
    return _layout(fig, t("value_bt.chart.calibration", lang))


def tier_chart(rows: list[dict[str, Any]], lang: str) -> go.Figure:
    """Share of next period's revenue from each tier the pyramid gave at the cut-off, with
    the share of the tier's customers who held the same tier (as text on the bar)."""
    tiers = [r["tier"] for r in rows]
    shares = [r["revenue_share"] or 0.0 for r in rows]
    stayed = [r["stayed_share"] for r in rows]
    text = [t("value_bt.stayed", lang, share="–" if s is None else f"{s:.0%}") for s in stayed]
    fig = go.Figure(go.Bar(
        x=[t(f"tier.{c}", lang) for c in tiers], y=shares, text=text, textposition="outside",
        marker_color=[TIER_COLORS.get(c, "#9D9D9D") for c in tiers], customdata=tiers,
        hovertemplate="%{y:.0%} · %{text}<extra></extra>",
    ))
    fig.update_yaxes(title={"text": t("value_bt.axis.revenue_share", lang)}, tickformat=".0%",
                     rangemode="tozero", range=[0, max([*shares, 0.01]) * 1.25])
    fig.update_layout(showlegend=False)
    return _layout(fig, t("value_bt.chart.tiers", lang))
