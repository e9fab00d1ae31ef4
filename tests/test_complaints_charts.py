"""Complaint charts: both languages, codes in customdata for drill-down, honest numbers."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import polars as pl
import pytest

from crm_logic import complaints as cl
from crm_logic.charts import complaints as ch
from crm_logic.config import CrmConfig
from crm_logic.store import empty_frame
from tests.test_complaints import AS_OF, _complaints

CFG = CrmConfig()


@pytest.fixture()
def facts() -> pl.DataFrame:
    return cl.complaint_facts(_complaints(), CFG, AS_OF)


def test_code_label_translates_known_codes_only() -> None:
    assert ch.code_label("category", "quality", "zh") == "质量"
    assert ch.code_label("category", "quality", "en") == "Quality"
    assert ch.code_label("channel", "authority", "zh") == "主管部门"
    assert ch.code_label("category", "质量问题", "en") == "质量问题"  # real data: as it is
    assert ch.code_label("product", "P1", "zh") == "P1"
    assert ch.code_label("category", None, "zh") == "未记录"
    assert ch.code_label("category", "unknown", "en") == "Not recorded"
    assert ch.code_label("group", "resolved_late", "zh") == "超时解决"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bar_chart_carries_codes(facts: pl.DataFrame, lang: str) -> None:
    fig = ch.bar_chart(cl.volume_by(facts, "category"), "category", lang,
                       "complaints.chart.category")
    assert isinstance(fig, go.Figure)
    bar = fig.data[0]
    # largest on top: plotly draws the last y on top
    assert list(bar.customdata)[-1] == "quality" and list(bar.x)[-1] == 3
    assert set(bar.customdata) == {"quality", "billing", "delivery", "price", "service",
                                   "unknown"}
    top_label = "Quality" if lang == "en" else "质量"
    assert list(bar.y)[-1] == top_label
    assert fig.layout.title.text == ("By category" if lang == "en" else "按投诉类别")


def test_month_chart_stacks_escalations(facts: pl.DataFrame) -> None:
    fig = ch.month_chart(cl.volume_by_month(facts), "zh")
    rest, esc = fig.data
    assert list(rest.customdata) == ["2024-01-01", "2024-02-01", "2024-03-01"]
    # Jan: k1 k2 k3 (k3 escalated); Feb: k4 (escalated) k5; Mar: k6 k7 k8
    assert list(rest.y) == [2, 1, 3] and list(esc.y) == [1, 1, 0]
    assert fig.layout.barmode == "stack"


def test_days_chart_marks_sla(facts: pl.DataFrame) -> None:
    fig = ch.days_chart(facts, 7, "en")
    bar = fig.data[0]
    assert list(bar.x) == [3, 7, 8, 30] and list(bar.y) == [1, 1, 1, 1]
    # within SLA green, late orange; the edge (7 days) is within
    assert list(bar.marker.color) == [ch.COLORS["ok"], ch.COLORS["ok"], ch.COLORS["late"],
                                      ch.COLORS["late"]]
    assert fig.layout.shapes[0].x0 == 7.5
    assert "SLA 7 days" in fig.layout.annotations[0].text


def test_backlog_and_share_charts(facts: pl.DataFrame) -> None:
    fig = ch.backlog_chart(cl.backlog_by_age(facts, CFG), "zh")
    assert list(fig.data[0].x) == ["0-7", "8-30", "31-90", ">90"]
    assert list(fig.data[0].y) == [1, 2, 0, 0]
    fig = ch.share_chart(cl.reasonable_mix(facts), "reasonable_code", "zh",
                         "complaints.chart.reasonable")
    assert list(fig.data[0].x) == ["合理", "不合理", "未记录"]
    assert list(fig.data[0].customdata) == ["yes", "no", "unknown"]
    assert list(fig.data[0].text) == ["50%", "25%", "25%"]


def test_rate_chart() -> None:
    rates = pl.DataFrame({"product": ["P2", "P1", "P3"], "complaints": [3, 4, 1],
                          "orders": [2, 4, 0], "rate_per_100": [150.0, 100.0, None]})
    fig = ch.rate_chart(rates, "product", "en")
    assert list(fig.data[0].y) == ["P1", "P2"]  # no rate without orders; highest on top
    assert list(fig.data[0].x) == [100.0, 150.0]
    assert list(fig.data[0].text) == ["4/4", "3/2"]


def test_churn_chart_error_bars() -> None:
    groups = cl.complaints_vs_churn(
        cl.complaint_facts(empty_frame("complaints"), CFG, AS_OF),
        pl.DataFrame({"customer_id": ["A", "B", "C", "D"], "churned": [True, False, False, False]}),
        CFG,
    )
    fig = ch.churn_chart(groups, "zh")
    bar = fig.data[0]
    assert list(bar.x) == ["无投诉 (n=4)"]  # empty groups are not drawn
    assert list(bar.y) == [0.25]
    low, high = groups["ci_low"][0], groups["ci_high"][0]
    assert bar.error_y.array[0] == pytest.approx(high - 0.25)
    assert bar.error_y.arrayminus[0] == pytest.approx(0.25 - low)


def test_satisfaction_chart(facts: pl.DataFrame) -> None:
    fig = ch.satisfaction_chart(cl.satisfaction_distribution(facts), "en")
    assert list(fig.data[0].x) == ["1", "2", "3", "4", "5"]
    assert list(fig.data[0].customdata) == [1.0, 2.0, 3.0, 4.0, 5.0]


def test_charts_on_empty_frames() -> None:
    f = cl.complaint_facts(empty_frame("complaints"), CFG, dt.date(2024, 1, 1))
    for fig in (ch.month_chart(cl.volume_by_month(f), "en"),
                ch.bar_chart(cl.volume_by(f, "category"), "category", "en",
                             "complaints.chart.category"),
                ch.days_chart(f, 7, "zh"), ch.backlog_chart(cl.backlog_by_age(f, CFG), "zh"),
                ch.satisfaction_chart(cl.satisfaction_distribution(f), "en")):
        assert isinstance(fig, go.Figure)
