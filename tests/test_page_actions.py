"""The Action center page under AppTest: both languages, counts agree with the report."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from crm_logic import scenarios, store
from tests.pagetest import open_page

PAGE = "pages/actions.py"


def _counts(at) -> dict[str, int]:  # noqa: ANN001
    """Customers per action code from the summary table (the code column is last)."""
    df = at.dataframe[0].value  # then the chosen list, then the rule editor
    return dict(zip(df.iloc[:, -1], df.iloc[:, 1], strict=True))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_action_center_on_sample(sample_db: Path, lang: str) -> None:
    at = open_page(PAGE, lang)
    assert at.title[0].value == ("Action center" if lang == "en" else "行动中心")
    assert not at.error
    counts = _counts(at)
    assert sum(counts.values()) == 600  # every analysed customer exactly once
    assert len(at.get("plotly_chart")) == 1
    assert at.selectbox(key="actions.pick").value in counts
    assert len(at.dataframe) == 3  # rule editor, summary, the chosen action's list


def test_pick_another_action_and_save_rules(sample_db: Path) -> None:
    at = open_page(PAGE, "en")
    counts = _counts(at)
    at.selectbox(key="actions.pick").set_value("reward_loyal").run()
    assert not at.exception
    assert len(at.dataframe[1].value) == counts["reward_loyal"]
    at.button(key="actions.rules_save").click().run()
    assert not at.exception
    con = store.connect(sample_db)  # same configuration as the app's connection
    saved = scenarios.load_rules(con)
    con.close()
    assert saved is not None and saved.height == 11


def test_saved_rules_are_used(sample_db: Path) -> None:
    con = store.connect(sample_db)
    scenarios.save_rules(con, pl.DataFrame({
        "action": ["develop"], "stage": ["*"], "tier": ["*"], "risk": ["*"],
        "complaint": ["*"], "lost": ["*"]}))
    con.close()
    at = open_page(PAGE, "en")
    counts = _counts(at)
    assert counts["develop"] == 600 and counts["maintain"] == 0
