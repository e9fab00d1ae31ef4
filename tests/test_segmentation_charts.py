"""Segments charts: figures in both languages, bars carrying their codes, edge cases."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import pytest

from crm_logic import segmentation as seg
from crm_logic.charts import segments as charts

TABLE = pl.DataFrame({
    "customer_id": [f"c{i}" for i in range(10)],
    "lifetime_value": [500.0, 300.0, 120.0, 80.0, 60.0, 40.0, 20.0, 10.0, 0.0, -30.0],
    "value_tier": ["platinum", "gold", "gold", "iron", "iron", "iron", "lead", "lead", "lead",
                   "lead"],
    "rfm_segment": ["champions", "loyal", "loyal", "at_risk", "new", "new", "lost", "lost",
                    "hibernating", "lost"],
    "r_score": [5, 4, 4, 2, 5, 5, 1, 1, 2, 1],
    "f_score": [5, 4, 5, 3, 1, 1, 1, 1, 2, 1],
})


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pyramid_chart(lang: str) -> None:
    fig = charts.pyramid_chart(seg.tier_summary(TABLE), lang)
    assert isinstance(fig, go.Figure)
    bar = fig.data[0]
    assert list(bar.customdata) == ["platinum", "gold", "iron", "lead"]
    # widths: cumulative share of customers (10%, 30%, 60%, 100%), centred on zero
    assert list(bar.x) == pytest.approx([0.1, 0.3, 0.6, 1.0])
    assert list(bar.base) == pytest.approx([-0.05, -0.15, -0.3, -0.5])
    assert list(bar.y)[0] == ("Platinum" if lang == "en" else "铂金层")
    assert ("value" if lang == "en" else "价值") in bar.hovertext[0]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_other_charts(lang: str) -> None:
    share = charts.share_chart(seg.tier_summary(TABLE), lang)
    assert len(share.data) == 2
    assert list(share.data[0].y) == pytest.approx([0.1, 0.2, 0.3, 0.4])
    pareto = charts.pareto_chart(seg.pareto_curve(TABLE), lang)
    curve = pareto.data[1]
    assert curve.x[0] == 0.0 and curve.x[-1] == 1.0 and curve.y[-1] == pytest.approx(1.0)
    assert max(curve.y) > 1.0  # the whale curve: negative customers pull it back to 100%
    assert pareto.layout.annotations  # the "top 20% bring ..." marker
    grid = charts.rfm_heatmap(seg.rfm_grid(TABLE, 5), lang)
    z = grid.data[0].z
    assert len(z) == 5 and sum(map(sum, z)) == 10
    assert z[4][4] == 1  # R 5, F 5
    bars = charts.segment_chart(seg.segment_summary(TABLE), lang)
    assert list(bars.data[0].customdata) == list(seg.RFM_SEGMENTS)
    assert bars.data[0].x[list(seg.RFM_SEGMENTS).index("lost")] == 3


def test_empty_pareto_and_money_format() -> None:
    fig = charts.pareto_chart(seg.pareto_curve(TABLE.head(0)), "zh")
    assert fig.layout.annotations[0].text.startswith("终身价值合计")
    assert charts.fmt_money(1_234_567.0) == "1.23M"
    assert charts.fmt_money(12_345.0) == "12.3k"
    assert charts.fmt_money(None) == "–"
    assert charts.fmt_money(-950.0) == "-950"


def test_large_pareto_is_downsampled() -> None:
    big = pl.DataFrame({"customer_id": [f"c{i:06d}" for i in range(50_000)],
                        "lifetime_value": [float(i % 977) + 1 for i in range(50_000)]})
    fig = charts.pareto_chart(seg.pareto_curve(big), "en")
    assert len(fig.data[1].x) <= 2 * charts._PARETO_MAX_POINTS
    assert fig.data[1].x[-1] == 1.0
