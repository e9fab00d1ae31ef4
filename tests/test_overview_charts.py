"""Overview figures: labels in both languages, values and colours from the palette."""

from __future__ import annotations

from crm_logic.charts.overview import coded_counts_bar
from crm_logic.charts.palette import TIER_COLORS


def test_coded_counts_bar_both_languages() -> None:
    counts = {"platinum": 3, "gold": 9, "iron": 18, "lead": 30}
    en = coded_counts_bar(counts, "tier", "overview.chart.tiers", "en", TIER_COLORS,
                          horizontal=True)
    zh = coded_counts_bar(counts, "tier", "overview.chart.tiers", "zh", TIER_COLORS,
                          horizontal=True)
    assert list(en.data[0].y) == ["Platinum", "Gold", "Iron", "Lead"]
    assert list(zh.data[0].y) == ["铂金层", "黄金层", "钢铁层", "重铅层"]
    assert list(en.data[0].x) == [3, 9, 18, 30]
    assert list(en.data[0].marker.color) == [TIER_COLORS[k] for k in counts]
    assert zh.layout.title.text == "客户价值金字塔：各层客户数"
    assert en.layout.xaxis.range[1] > 30  # labels outside the longest bar stay visible
