"""Date axes in the reader's language: 2025年7月 in 中文, Jul 2025 in English."""

from __future__ import annotations

import datetime as dt

import numpy as np
import plotly.graph_objects as go

from crm_logic import fmt


def _is_dates(values: object) -> bool:
    if values is None:
        return False
    seq = list(values) if not isinstance(values, str) else []
    first = next((v for v in seq if v is not None), None)
    if isinstance(first, dt.date | np.datetime64):
        return True
    return isinstance(first, str) and len(first) >= 7 and first[4] == "-" and first[:4].isdigit()


def localise_date_axes(fig: go.Figure, lang: str) -> go.Figure:
    """Every x axis that carries dates shows months as 2025年7月 / Jul 2025; hovers show the
    day. Axes with numbers or categories are left alone."""
    axes = {(getattr(tr, "xaxis", None) or "x") for tr in fig.data
            if getattr(tr, "x", None) is not None and _is_dates(tr.x)}
    for ref in axes:
        name = "xaxis" if ref == "x" else f"xaxis{ref[1:]}"
        fig.update_layout({name: {"tickformat": fmt.plotly_date_format(lang),
                                  "hoverformat": fmt.plotly_date_format(lang, with_day=True)}})
    return fig
