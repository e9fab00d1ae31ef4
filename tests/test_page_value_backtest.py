"""The Value page's trust section under AppTest: the forecast interval, the backtest and the
model setting, in both languages; its charts and table helpers directly."""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
import pytest

from crm_logic.charts import value_backtest as charts
from crm_logic.i18n import TEXTS
from tests.pagetest import metric, open_page

PAGE = "pages/segments.py"
ROWS = [{"repeat_purchases": x, "label": f"{x}+" if x == 7 else str(x), "customers": c,
         "predicted_purchases": p, "actual_purchases": a}
        for x, c, p, a in [(0, 10, 0.2, 0.25), (1, 4, 0.5, 0.8), (2, 0, None, None),
                           (3, 0, None, None), (4, 0, None, None), (5, 0, None, None),
                           (6, 0, None, None), (7, 1, 6.0, 6.5)]]
TIERS = [{"tier": "platinum", "customers": 1, "revenue_share": 0.5, "stayed_share": 1.0},
         {"tier": "gold", "customers": 2, "revenue_share": 0.3, "stayed_share": 0.5},
         {"tier": "iron", "customers": 3, "revenue_share": 0.2, "stayed_share": None},
         {"tier": "lead", "customers": 0, "revenue_share": None, "stayed_share": None}]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_charts_are_figures_in_both_languages(lang: str) -> None:
    cal = charts.calibration_chart(ROWS, lang)
    assert isinstance(cal, go.Figure) and len(cal.data) == 2
    assert list(cal.data[0].x) == ["0", "1", "7+"]  # rows without customers left out
    assert list(cal.data[1].y) == [0.25, 0.8, 6.5]
    assert cal.data[0].name == TEXTS["value_bt.predicted"][lang == "zh"]
    tiers = charts.tier_chart(TIERS, lang)
    assert list(tiers.data[0].y) == [0.5, 0.3, 0.2, 0.0]
    assert list(tiers.data[0].customdata) == ["platinum", "gold", "iron", "lead"]
    assert tiers.data[0].text[0] == TEXTS["value_bt.stayed"][lang == "zh"].format(share="100%")
    assert tiers.layout.title.text == TEXTS["value_bt.chart.tiers"][lang == "zh"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_trust_section_on_sample(sample_db: Path, lang: str) -> None:
    at = open_page(PAGE, lang)
    zh = lang == "zh"
    cov = metric(at, TEXTS["value_bt.metric.coverage"][zh])
    assert cov.endswith("%") and 0 < float(cov.rstrip("%")) <= 100
    assert metric(at, TEXTS["value_bt.metric.purchases"][zh]).endswith("%")
    keys = [c.key for c in at.get("plotly_chart")]
    assert "value_bt.calibration" in keys and "value_bt.tiers" in keys
    headers = [df.value.columns.tolist() for df in at.dataframe]
    assert [TEXTS[f"value_bt.col.{c}"][zh] for c in ("model", "in_use")] in \
        [h[:2] for h in headers]
    texts = " ".join(m.value for m in at.markdown)
    assert TEXTS["value_bt.interval.covers"][zh].split("{")[0][:20] in texts


def test_model_setting_switches_the_forecast(sample_db: Path) -> None:
    at = open_page(PAGE, "en")
    label = "Predicted, 365 days"
    before = metric(at, label)
    at.selectbox(key="cfg.value_model").set_value("mbgnbd").run()
    assert not at.exception
    assert metric(at, label) != before
    table = [df.value for df in at.dataframe if "In use" in df.value.columns][0]
    assert table.loc[table["In use"] == "✓", "Model"].tolist() == ["MBG/NBD"]
    at.selectbox(key="cfg.interval_level").set_value(0.5).run()
    assert not at.exception
