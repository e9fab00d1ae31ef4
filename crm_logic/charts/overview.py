"""Small summary figures for the overview page."""

from __future__ import annotations

import plotly.graph_objects as go

from crm_logic import fmt
from crm_logic.i18n import t


def coded_counts_bar(
    counts: dict[str, int], prefix: str, title_key: str, lang: str,
    colors: dict[str, str] | None = None, horizontal: bool = False,
) -> go.Figure:
    """Bar of counts per coded value (tier, stage, risk …), labelled in `lang`."""
    labels = [t(f"{prefix}.{k}", lang) for k in counts]
    values = list(counts.values())
    marker = [(colors or {}).get(k, "#1f4e79") for k in counts]
    codes = [[k] for k in counts]  # each bar's code: a click selects it (customdata)
    text = [fmt.count(v) for v in values]
    bar = (go.Bar(x=values, y=labels, orientation="h", marker_color=marker, text=text,
                  customdata=codes, hovertemplate="%{y}: %{x:,}<extra></extra>")
           if horizontal else go.Bar(x=labels, y=values, marker_color=marker, text=text,
                                     customdata=codes,
                                     hovertemplate="%{x}: %{y:,}<extra></extra>"))
    fig = go.Figure(bar)
    fig.update_traces(textposition="outside", textangle=0, cliponaxis=False)
    fig.update_layout(title=t(title_key, lang), height=300, margin=dict(l=10, r=10, t=50, b=10),
                      showlegend=False, separators=".,", clickmode="event+select")
    headroom = [0, max(values or [0]) * 1.18 or 1]  # room for the labels outside the bars
    if horizontal:
        fig.update_yaxes(autorange="reversed")
        fig.update_xaxes(range=headroom)
    else:
        fig.update_yaxes(range=headroom)
    return fig
