"""Prospect charts: the figures carry the right numbers and labels in both languages."""

from __future__ import annotations

import polars as pl
import pytest

from crm_logic.charts import prospects as charts


def _sources() -> pl.DataFrame:
    return pl.DataFrame({"source_code": ["friends", "hometown", "网络广告"],
                         "relation": [True, True, False], "prospects": [4, 2, 5],
                         "qualified": [2, 1, 3], "converted": [2, 0, 1],
                         "conversion_rate": [0.5, 0.0, 0.2],
                         "avg_lifetime_value": [1200.0, None, 300.0],
                         "value": [2400.0, None, 300.0]})


@pytest.mark.parametrize(("lang", "first"), [("en", "Friends"), ("zh", "朋友")])
def test_conversion_chart(lang: str, first: str) -> None:
    fig = charts.conversion_chart(_sources(), lang)
    bar = fig.data[0]
    assert list(bar.x) == [first, "Hometown" if lang == "en" else "同乡", "网络广告"]
    assert list(bar.y) == [0.5, 0.0, 0.2]
    assert list(bar.text) == ["50%", "0%", "20%"]
    assert bar.marker.color[2] == charts.COLORS["other"]
    assert fig.layout.title.text == ("Conversion rate by source" if lang == "en"
                                     else "各来源成交率")


def test_value_chart_leaves_a_gap_for_no_customers() -> None:
    bar = charts.value_chart(_sources(), "en").data[0]
    assert list(bar.y) == [1200.0, None, 300.0]
    assert list(bar.text) == ["1,200", "", "300"]


def test_man_chart_stacks_no_and_unknown() -> None:
    man = pl.DataFrame({"criterion": ["has_authority", "has_money", "has_need"],
                        "no": [1, 1, 0], "unknown": [1, 0, 0], "missing": [2, 1, 0],
                        "missing_share": [0.4, 0.2, 0.0]})
    fig = charts.man_chart(man, "zh")
    assert [tr.name for tr in fig.data] == ["回答否", "未知"]
    assert list(fig.data[0].y) == ["决策权", "购买力", "需求"]
    assert list(fig.data[0].x) == [1, 1, 0] and list(fig.data[1].x) == [1, 0, 0]
    assert fig.layout.barmode == "stack"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_funnel_chart(lang: str) -> None:
    counts = {"prospects": 6, "first_purchase": 2, "repeat_purchase": 1, "loyal": 1,
              "churned": 1}
    fig = charts.funnel_chart(counts, lang)
    assert list(fig.data[0].x) == [6, 2, 1, 1, 1]
    labels = list(fig.data[0].y)
    assert labels[0] == ("Prospects" if lang == "en" else "潜在客户")
    assert labels[3] == ("Loyal (stability)" if lang == "en" else "忠诚客户（稳定期）")


def test_user_text_in_axis_labels_is_not_markup() -> None:
    sources = _sources().with_columns(pl.Series("source_code", ["friends", "hometown",
                                                                "<a href='x'>ad</a>"]))
    labels = list(charts.conversion_chart(sources, "en").data[0].x)
    assert labels[2] == "&lt;a href='x'&gt;ad&lt;/a&gt;"
