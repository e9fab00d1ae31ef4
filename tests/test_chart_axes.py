"""Date axes read 2025年7月 in Chinese and Jul 2025 in English; other axes untouched."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go

from crm_logic.charts.axes import localise_date_axes


def test_date_axes_by_language() -> None:
    fig = go.Figure(go.Scatter(x=[dt.date(2025, 7, 1), dt.date(2025, 8, 1)], y=[1, 2]))
    localise_date_axes(fig, "zh")
    assert fig.layout.xaxis.tickformat == "%Y年%-m月"
    assert fig.layout.xaxis.hoverformat == "%Y年%-m月%-d日"
    fig = go.Figure(go.Bar(x=["2025-07", "2025-08"], y=[1, 2]))
    assert localise_date_axes(fig, "en").layout.xaxis.tickformat == "%b %Y"


def test_number_and_category_axes_untouched() -> None:
    fig = go.Figure(go.Bar(x=["gold", "iron"], y=[1, 2]))
    fig.add_trace(go.Scatter(x=[1, 2], y=[3, 4], xaxis="x2"))
    localise_date_axes(fig, "zh")
    assert "tickformat" not in str(fig.to_dict()["layout"])
