"""Lifecycle charts: built from small hand-made frames, labelled in both languages."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import polars as pl
import pytest

from crm_logic import lifecycle as lc
from crm_logic import store
from crm_logic.charts import lifecycle as charts
from crm_logic.config import CrmConfig

AS_OF = dt.date(2022, 12, 31)


def _data() -> store.CrmData:
    rows: list[tuple[str, dt.date, float]] = [("A", dt.date(2020, 3, 10), 80.0)]
    for k in range(6):
        for i in range(8):  # rising, lost: mid-term abort
            rows.append((f"B{k}", dt.date(2020, 1 + i, 15), 100.0 * (k + 1) * (i + 1)))
    for i in range(24):  # active, stable
        rows.append(("S", dt.date(2021 + i // 12, i % 12 + 1, 15), 300.0))
    orders = pl.concat([store.empty_frame("orders"), pl.DataFrame(
        rows, schema={"customer_id": pl.String, "order_date": pl.Date, "amount": pl.Float64},
        orient="row")], how="diagonal")
    return store.CrmData(store.empty_frame("customers"), orders,
                         store.empty_frame("complaints"), store.empty_frame("interactions"))


@pytest.fixture(scope="module")
def frames() -> tuple[pl.DataFrame, pl.DataFrame]:
    # the data starts with these customers: their starts count as known here
    return lc.lifecycle_frames(_data(), CrmConfig(unknown_start_days=0, unknown_start_gaps=0.0),
                               AS_OF)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_life_curves_chart(frames: tuple[pl.DataFrame, pl.DataFrame], lang: str) -> None:
    life, hist = frames
    fig = charts.life_curves_chart(lc.life_curves(hist, life), lang)
    assert isinstance(fig, go.Figure)
    lines = [tr for tr in fig.data if tr.mode == "lines"]
    assert [tr.name for tr in lines] == ["Mid-term abort" if lang == "en" else "半途夭折型"]
    assert len(lines[0].y) == 8  # six customers at every month; "A" alone is below 5
    band = [tr for tr in fig.data if tr.fill == "toself"]
    assert len(band) == 1 and len(band[0].x) == 16


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pattern_value_chart(frames: tuple[pl.DataFrame, pl.DataFrame], lang: str) -> None:
    life, _ = frames
    fig = charts.pattern_value_chart(lc.pattern_summary(life), lang)
    bar = fig.data[0]
    assert list(bar.x)[0] == ("Early abort" if lang == "en" else "初期流产型")
    assert list(bar.customdata) == [1, 6, 0, 0, 0]
    assert bar.y[0] == pytest.approx(80.0)


def test_stage_mix_and_current_charts(frames: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    life, hist = frames
    fig = charts.stage_mix_chart(lc.stage_mix(hist, periods=3), "zh", as_share=True)
    assert [tr.name for tr in fig.data] == ["考察期", "形成期", "稳定期", "退化期"]
    stability = fig.data[2]
    assert list(stability.y) == [1.0, 1.0, 1.0]  # S alone runs in the last 3 months
    counts = lc.lifecycle_counts(life)["stages"]
    bars = charts.current_stage_chart(counts, "en").data[0]
    assert list(bars.y) == [0, 0, 1, 0]


def test_stage_flow_chart() -> None:
    transitions = pl.DataFrame({"from_state": ["new", "formation", "stability"],
                                "to_state": ["exploration", "lost", "stability"],
                                "customers": [5, 2, 7]})
    fig = charts.stage_flow_chart(transitions, "en", periods=12)
    sankey = fig.data[0]
    labels = list(sankey.node.label)
    assert labels[0] == "New" and labels[-1] == "Lost"
    assert list(sankey.link.value) == [5, 2, 7]
    assert [labels[i] for i in sankey.link.source] == ["New", "Formation", "Stability"]
    assert [labels[i] for i in sankey.link.target] == ["Exploration", "Lost", "Stability"]
    assert "12" in fig.layout.title.text


def test_cohort_heatmap(frames: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    _, hist = frames
    retention = lc.cohort_retention(hist)
    fig = charts.cohort_heatmap(retention, "zh")
    heat = fig.data[0]
    assert len(heat.y) == retention.get_column("cohort").n_unique()
    assert heat.z[0][0] == pytest.approx(1.0)  # everyone buys in the first period
    assert "首次购买" in fig.layout.yaxis.title.text


def test_customer_timeline(frames: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    _, hist = frames
    series = hist.filter(pl.col("customer_id") == "B0")
    days = pl.DataFrame({"order_date": [dt.date(2020, 1, 15), dt.date(2020, 2, 1)],
                         "amount": [100.0, -20.0]})
    complaints = pl.DataFrame({"received_date": [dt.date(2020, 5, 2)]})
    interactions = pl.DataFrame({"interaction_date": [dt.date(2020, 4, 2)]},
                                schema={"interaction_date": pl.Date})
    fig = charts.customer_timeline(series, lc.stage_periods(hist, "B0"), days, complaints,
                                   interactions, "en", churn_date=dt.date(2020, 8, 15))
    names = [tr.name for tr in fig.data]
    assert {"Exploration", "Formation", "Orders", "Returns / refunds", "Complaints",
            "Interactions"} <= set(names)
    assert len(fig.layout.shapes) == 3  # two stage bands and the churn line
