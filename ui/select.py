"""Click a bar, get its customers: chart selections that set the list filter below them.

`on_click(chart_key, targets)` returns an `on_select` callback for `st.plotly_chart`: the
clicked point's x (or y) label and its trace name are looked up in `targets` — a list of
(session key of a filter widget, {display label: code}, "x" | "y" | "name", as_list) — and
each filter widget gets the clicked code before the page reruns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import streamlit as st

from crm_logic.i18n import t

Target = tuple[str, dict[str, str], str, bool]


def label_codes(prefix: str, codes: Iterable[str], lang: str) -> dict[str, str]:
    """{display label: code} of coded values, e.g. {"黄金层": "gold"}."""
    return {t(f"{prefix}.{c}", lang): c for c in codes}


def clicked(chart_key: str) -> dict | None:
    """The first selected point of a chart (None when nothing is selected)."""
    event = st.session_state.get(chart_key) or {}
    points = (event.get("selection") or {}).get("points") or []
    return points[0] if points else None


def on_click(chart_key: str, targets: list[Target], trace_names: list[str] | None = None
             ) -> Callable[[], None]:
    """An on_select callback setting each target filter to the clicked code."""

    def _apply() -> None:
        point = clicked(chart_key)
        if point is None:
            return
        for key, mapping, field, as_list in targets:
            if field == "name":
                curve = point.get("curve_number", point.get("curveNumber"))
                label = trace_names[curve] if trace_names and curve is not None else None
            else:
                label = point.get(field)
            code = mapping.get(str(label)) if label is not None else None
            if code is not None:
                st.session_state[key] = [code] if as_list else code

    return _apply
