"""Value and segment charts: the value pyramid, value shares, Pareto curve, RFM grid and segments.

Inputs are the summary frames of `crm_logic.segmentation` (`tier_summary`, `pareto_curve`,
`rfm_grid`, `segment_summary`). Clickable charts carry each bar's code (tier or segment) in
`customdata`, so the page can list the customers of the bar a user selects.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go
import polars as pl

from crm_logic.charts.palette import TIER_COLORS
from crm_logic.i18n import t

SEGMENT_COLORS: dict[str, str] = {
    "champions": "#1B7837", "loyal": "#5AAE61", "potential_loyalists": "#A6DBA0",
    "new": "#4C78A8", "promising": "#9ECAE9", "needs_attention": "#F2CF5B",
    "about_to_sleep": "#F58518", "at_risk": "#E45756", "cannot_lose_them": "#B2182B",
    "hibernating": "#9D9D9D", "lost": "#5F5F5F",
}
_PARETO_MAX_POINTS = 400


def fmt_money(x: float | None) -> str:
    """Compact money text: 1234567 -> 1.23M, 12345 -> 12.3k (language-neutral)."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "–"
    a = abs(x)
    if a >= 1e9:
        return f"{x / 1e9:.2f}B"
    if a >= 1e6:
        return f"{x / 1e6:.2f}M"
    if a >= 1e4:
        return f"{x / 1e3:.1f}k"
    return f"{x:,.0f}"


def _pct(x: float | None) -> str:
    return "–" if x is None or not math.isfinite(x) else f"{x:.0%}"


def _layout(fig: go.Figure, title: str, height: int = 380) -> go.Figure:
    fig.update_layout(
        title={"text": title}, height=height, margin={"l": 10, "r": 10, "t": 50, "b": 10},
        clickmode="event+select", dragmode=False, showlegend=False,
    )
    return fig


def pyramid_chart(tiers: pl.DataFrame, lang: str) -> go.Figure:
    """The value pyramid: one centred bar per tier, platinum on top.

    Bar width = cumulative share of customers down to that tier (top 5%, top 20%, …), so the
    shape reads as a pyramid; the label gives customers, value share and average CLV.
    """
    rows = tiers.to_dicts()
    cum = 0.0
    widths, labels, hovers, codes, colors = [], [], [], [], []
    for row in rows:
        cum += float(row["customer_share"] or 0.0)
        width = max(cum, 0.02)  # keep an empty top tier visible and clickable
        tier = row["value_tier"]
        name = t(f"tier.{tier}", lang)
        text = t("segments.pyramid.hover", lang, tier=name, n=f"{row['customers']:,}",
                 cshare=_pct(row["customer_share"]), vshare=_pct(row["value_share"]),
                 avg=fmt_money(row["avg_lifetime_value"]))
        widths.append(width)
        labels.append(t("segments.pyramid.label", lang, n=f"{row['customers']:,}",
                        vshare=_pct(row["value_share"])))
        hovers.append(text)
        codes.append(tier)
        colors.append(TIER_COLORS.get(tier, "#777777"))
    names = [t(f"tier.{c}", lang) for c in codes]
    fig = go.Figure(go.Bar(
        x=widths, y=names, base=[-w / 2 for w in widths], orientation="h",
        marker={"color": colors}, customdata=codes, hovertext=hovers, hoverinfo="text",
        width=0.92,
    ))
    # labels right of each step (narrow top tiers cannot hold text inside)
    for name, width, label in zip(names, widths, labels, strict=True):
        fig.add_annotation(x=width / 2 + 0.015, y=name, text=label, showarrow=False,
                           xanchor="left", font={"size": 12})
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(visible=False, range=[-0.52, 1.12])
    return _layout(fig, t("segments.pyramid.title", lang), height=360)


def share_chart(tiers: pl.DataFrame, lang: str) -> go.Figure:
    """Per tier: share of customers next to share of lifetime value (grouped bars)."""
    names = [t(f"tier.{c}", lang) for c in tiers.get_column("value_tier")]
    cshare = tiers.get_column("customer_share").to_list()
    vshare = tiers.get_column("value_share").fill_null(0.0).to_list()
    fig = go.Figure([
        go.Bar(x=names, y=cshare, name=t("segments.share.customers", lang),
               marker={"color": "#9ECAE9"}, text=[_pct(v) for v in cshare],
               textposition="outside"),
        go.Bar(x=names, y=vshare, name=t("segments.share.value", lang),
               marker={"color": "#4C78A8"}, text=[_pct(v) for v in vshare],
               textposition="outside"),
    ])
    fig.update_yaxes(tickformat=".0%")
    fig = _layout(fig, t("segments.share.title", lang), height=360)
    fig.update_layout(showlegend=True, barmode="group",
                      legend={"orientation": "h", "y": -0.12})
    return fig


def pareto_chart(curve: pl.DataFrame, lang: str, mark_share: float = 0.2) -> go.Figure:
    """Cumulative share of value against share of customers, with the diagonal and a marker
    at `mark_share` of customers (e.g. "top 20% bring 70% of value")."""
    fig = go.Figure()
    if curve.height == 0:
        fig.add_annotation(text=t("segments.pareto.none", lang), showarrow=False,
                           x=0.5, y=0.5, xref="paper", yref="paper")
        return _layout(fig, t("segments.pareto.title", lang))
    step = max(1, curve.height // _PARETO_MAX_POINTS)
    pts = pl.concat([curve.gather_every(step), curve.tail(1)]).unique(maintain_order=True)
    x = pts.get_column("share_customers").to_list()
    y = pts.get_column("share_value").to_list()
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines",
                             name=t("segments.pareto.equal", lang),
                             line={"dash": "dot", "color": "#9D9D9D"}, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=t("segments.pareto.y", lang),
                             line={"color": "#4C78A8", "width": 3},
                             hovertemplate="%{x:.0%} → %{y:.0%}<extra></extra>"))
    at = curve.filter(pl.col("share_customers") >= mark_share - 1e-12).head(1)
    if at.height:
        cx, vy = at.item(0, "share_customers"), at.item(0, "share_value")
        fig.add_trace(go.Scatter(x=[cx], y=[vy], mode="markers",
                                 marker={"size": 11, "color": "#E45756"}, hoverinfo="skip"))
        fig.add_annotation(x=cx, y=vy, text=t("segments.pareto.mark", lang, c=cx, v=vy),
                           showarrow=True, arrowhead=2, ax=60, ay=40)
    fig.update_xaxes(tickformat=".0%", title=t("segments.pareto.x", lang), range=[0, 1])
    fig.update_yaxes(tickformat=".0%", title=t("segments.pareto.y", lang))
    return _layout(fig, t("segments.pareto.title", lang))


def rfm_heatmap(grid: pl.DataFrame, lang: str) -> go.Figure:
    """Recency score (rows) against frequency score (columns); cell = customers."""
    r_vals = sorted(set(grid.get_column("r_score").to_list()))
    f_vals = sorted(set(grid.get_column("f_score").to_list()))
    lookup = {(row["r_score"], row["f_score"]): row for row in grid.to_dicts()}
    z, text, hover = [], [], []
    for r in r_vals:
        zr, tr_, hr = [], [], []
        for f in f_vals:
            row = lookup.get((r, f), {"customers": 0, "avg_lifetime_value": None})
            n = int(row["customers"] or 0)
            zr.append(n)
            tr_.append(f"{n:,}")
            hr.append(t("segments.rfm.cell_hover", lang, r=r, f=f, n=f"{n:,}",
                        avg=fmt_money(row["avg_lifetime_value"])))
        z.append(zr)
        text.append(tr_)
        hover.append(hr)
    fig = go.Figure(go.Heatmap(
        z=z, x=[str(f) for f in f_vals], y=[str(r) for r in r_vals], text=text,
        texttemplate="%{text}", hovertext=hover, hoverinfo="text", colorscale="Blues",
        showscale=False,
    ))
    fig.update_xaxes(title=t("segments.rfm.f", lang), type="category")
    fig.update_yaxes(title=t("segments.rfm.r", lang), type="category")  # 5 (recent) on top
    return _layout(fig, t("segments.rfm.grid_title", lang), height=400)


def segment_chart(segments: pl.DataFrame, lang: str) -> go.Figure:
    """Customers per RFM segment (horizontal bars, clickable; customdata = segment code)."""
    codes = segments.get_column("rfm_segment").to_list()
    n = segments.get_column("customers").to_list()
    share = segments.get_column("share").to_list()
    avg = segments.get_column("avg_lifetime_value").to_list()
    names = [t(f"rfm.{c}", lang) for c in codes]
    fig = go.Figure(go.Bar(
        x=n, y=names, orientation="h", customdata=codes,
        marker={"color": [SEGMENT_COLORS.get(c, "#777777") for c in codes]},
        text=[f"{v:,} ({_pct(s)})" for v, s in zip(n, share, strict=True)],
        textposition="auto",
        hovertext=[f"{nm}: {v:,} · {t('segments.table.avg_clv', lang)} {fmt_money(a)}"
                   for nm, v, a in zip(names, n, avg, strict=True)],
        hoverinfo="text",
    ))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title=t("segments.table.customers", lang))
    return _layout(fig, t("segments.rfm.segments_title", lang), height=400)
