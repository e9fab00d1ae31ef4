"""AppTest smoke tests of the Churn page in both languages, with what-if changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parent.parent / "app.py"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_churn_page_runs(sample_db: Path, lang: str) -> None:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("pages/churn.py").run()
    assert not at.exception, [e.value for e in at.exception]
    titles = [t.value for t in at.title]
    assert ("客户流失预警" if lang == "zh" else "Churn early warning") in titles
    assert len(at.metric) >= 9  # counts, backtest, what-if
    # what-if: a stricter high threshold can only shrink the high-risk count
    before = int(at.metric[0].value.replace(",", ""))
    at.slider(key="cfg.risk_high").set_value(0.9).run()
    assert not at.exception
    after = int(at.metric[0].value.replace(",", ""))
    assert after <= before
    at.slider(key="cfg.save_rate").set_value(0.5).run()
    assert not at.exception
