"""Complaint charts: Plotly figures in either language, bars carrying their codes.

Every bar chart puts the raw code of each bar (category code, product name, ISO month, …)
in `customdata`, so the page can drill down from a clicked bar to its complaints. Known codes
are translated; values the data brings that we do not know are shown as they are.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from crm_logic.charts.axes import localise_date_axes
from crm_logic.i18n import TEXTS, t

COLORS: dict[str, str] = {
    "bar": "#4C78A8",
    "open": "#E45756",
    "escalated": "#B279A2",
    "ok": "#54A24B",
    "late": "#F58518",
    "grey": "#9D9D9D",
}
GROUP_COLORS: dict[str, str] = {
    "no_complaint": COLORS["grey"],
    "resolved_in_sla": COLORS["ok"],
    "resolved_late": COLORS["late"],
    "unresolved": COLORS["open"],
    "resolved_days_unknown": COLORS["bar"],
}
# column -> i18n prefix of its coded values
CODE_PREFIX: dict[str, str] = {
    "category": "complaints.category",
    "channel": "complaints.channel",
    "desired_resolution": "complaints.desired",
    "status_code": "complaints.status",
    "reasonable_code": "complaints.reasonable",
    "customer_kind": "complaints.kind",
    "group": "complaints.group",
}


def code_label(column: str, value: object, lang: str) -> str:
    """Display label of a coded value: translated when known, else the value as it is."""
    if value is None or value == "unknown":
        return t("complaints.unknown", lang)
    prefix = CODE_PREFIX.get(column)
    key = f"{prefix}.{value}" if prefix else ""
    return t(key, lang) if key in TEXTS else str(value)


def _layout(fig: go.Figure, title: str, x_title: str = "", y_title: str = "") -> go.Figure:
    fig.update_layout(
        title={"text": title}, xaxis_title=x_title, yaxis_title=y_title,
        margin={"l": 10, "r": 10, "t": 50, "b": 10}, height=340, showlegend=False,
        clickmode="event+select", dragmode=False,
    )
    return fig


def bar_chart(
    df: pl.DataFrame,
    column: str,
    lang: str,
    title_key: str,
    value_col: str = "complaints",
    top: int | None = 15,
) -> go.Figure:
    """Horizontal bars of `value_col` per value of `column`, largest on top; codes in customdata."""
    d = df.head(top) if top else df
    codes = d.get_column(column).cast(pl.String).to_list()
    values = d.get_column(value_col).to_list()
    labels = [code_label(column, c, lang) for c in codes]
    fig = go.Figure(go.Bar(
        x=values[::-1], y=labels[::-1], customdata=codes[::-1], orientation="h",
        marker_color=COLORS["bar"], hovertemplate="%{y}: %{x}<extra></extra>",
    ))
    fig.update_yaxes(type="category")
    return _layout(fig, t(title_key, lang), t(f"complaints.col.{value_col}", lang))


def month_chart(df: pl.DataFrame, lang: str) -> go.Figure:
    """Complaints per month, escalations stacked apart (customdata = ISO first day of month)."""
    months = [m.isoformat() for m in df.get_column("month").to_list()]
    esc = df.get_column("escalated").to_list()
    rest = [c - e for c, e in zip(df.get_column("complaints").to_list(), esc, strict=True)]
    fig = go.Figure([
        go.Bar(x=months, y=rest, customdata=months, name=t("complaints.col.complaints", lang),
               marker_color=COLORS["bar"]),
        go.Bar(x=months, y=esc, customdata=months, name=t("complaints.col.escalated", lang),
               marker_color=COLORS["escalated"]),
    ])
    fig.update_layout(barmode="stack")
    _layout(fig, t("complaints.chart.month", lang), t("month", lang),
            t("complaints.col.complaints", lang))
    fig.update_layout(showlegend=True, legend={"orientation": "h", "y": -0.2})
    return localise_date_axes(fig, lang)


def rate_chart(df: pl.DataFrame, by: str, lang: str, top: int | None = 15) -> go.Figure:
    """Complaints per 100 orders per product or sales rep, highest on top."""
    key = "complaints.chart.rate_product" if by == "product" else "complaints.chart.rate_rep"
    d = df.drop_nulls("rate_per_100").head(top) if top else df.drop_nulls("rate_per_100")
    codes = d.get_column(by).cast(pl.String).to_list()
    fig = go.Figure(go.Bar(
        x=d.get_column("rate_per_100").to_list()[::-1], y=codes[::-1], customdata=codes[::-1],
        orientation="h", marker_color=COLORS["late"],
        text=[f"{c}/{o}" for c, o in zip(d["complaints"].to_list(), d["orders"].to_list(),
                                         strict=True)][::-1],
        textposition="none", hovertemplate="%{y}: %{x:.2f} (%{text})<extra></extra>",
    ))
    fig.update_yaxes(type="category")
    return _layout(fig, t(key, lang), t("complaints.col.rate_per_100", lang))


def backlog_chart(df: pl.DataFrame, lang: str) -> go.Figure:
    """Open complaints per age bucket, youngest first (customdata = bucket code)."""
    buckets = df.get_column("age_bucket").to_list()
    fig = go.Figure(go.Bar(
        x=buckets, y=df.get_column("complaints").to_list(), customdata=buckets,
        marker_color=COLORS["open"], hovertemplate="%{x}: %{y}<extra></extra>",
    ))
    fig.update_xaxes(type="category")
    return _layout(fig, t("complaints.chart.backlog", lang), t("complaints.col.days", lang),
                   t("complaints.col.open", lang))


def days_chart(facts: pl.DataFrame, sla_days: int, lang: str) -> go.Figure:
    """Histogram of days to resolve (known ones) with the SLA as a vertical line."""
    days = facts.get_column("days_to_resolve").drop_nulls()
    counts = days.value_counts().sort(days.name)
    xs = counts.get_column(days.name).to_list()
    colors = [COLORS["late"] if x > sla_days else COLORS["ok"] for x in xs]
    fig = go.Figure(go.Bar(
        x=xs, y=counts.get_column("count").to_list(), customdata=xs, marker_color=colors,
        hovertemplate="%{x}: %{y}<extra></extra>",
    ))
    fig.add_vline(x=sla_days + 0.5, line_dash="dash", line_color=COLORS["open"],
                  annotation_text=t("complaints.sla_line", lang, n=sla_days))
    return _layout(fig, t("complaints.chart.days", lang), t("complaints.col.days", lang),
                   t("complaints.col.complaints", lang))


def share_chart(df: pl.DataFrame, column: str, lang: str, title_key: str) -> go.Figure:
    """Vertical bars of a small mix (reasonable, new/old, status), codes in customdata."""
    codes = df.get_column(column).cast(pl.String).to_list()
    fig = go.Figure(go.Bar(
        x=[code_label(column, c, lang) for c in codes], y=df.get_column("complaints").to_list(),
        customdata=codes, marker_color=COLORS["bar"],
        text=[f"{s:.0%}" for s in df.get_column("share").to_list()], textposition="auto",
        textangle=0,
        hovertemplate="%{x}: %{y}<extra></extra>",
    ))
    fig.update_xaxes(type="category")
    return _layout(fig, t(title_key, lang), "", t("complaints.col.complaints", lang))


def satisfaction_chart(df: pl.DataFrame, lang: str) -> go.Figure:
    """How many resolved complaints got each satisfaction score."""
    scores = df.get_column("satisfaction").to_list()
    fig = go.Figure(go.Bar(
        x=[f"{s:g}" for s in scores], y=df.get_column("complaints").to_list(),
        customdata=scores, marker_color=COLORS["ok"], hovertemplate="%{x}: %{y}<extra></extra>",
    ))
    fig.update_xaxes(type="category")
    return _layout(fig, t("complaints.chart.satisfaction", lang), t("complaints.col.score", lang),
                   t("complaints.col.complaints", lang))


def churn_chart(df: pl.DataFrame, lang: str) -> go.Figure:
    """Churn rate per complaint-handling group with its confidence interval as error bars."""
    d = df.filter(pl.col("customers") > 0)
    groups = d.get_column("group").to_list()
    rate = d.get_column("churn_rate").to_list()
    lo = d.get_column("ci_low").to_list()
    hi = d.get_column("ci_high").to_list()
    n = d.get_column("customers").to_list()
    fig = go.Figure(go.Bar(
        x=[f"{code_label('group', g, lang)} (n={k})" for g, k in zip(groups, n, strict=True)],
        y=rate, customdata=groups,
        marker_color=[GROUP_COLORS.get(g, COLORS["bar"]) for g in groups],
        error_y={"type": "data", "symmetric": False,
                 "array": [h - r for h, r in zip(hi, rate, strict=True)],
                 "arrayminus": [r - lo_ for r, lo_ in zip(rate, lo, strict=True)]},
        hovertemplate="%{x}: %{y:.1%}<extra></extra>",
    ))
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    return _layout(fig, t("complaints.chart.churn", lang), "", t("complaints.col.churn_rate", lang))
