"""The app's what-ifs under AppTest: a labels-stage change (tier shares, risk levels, the
churn-rate band) re-labels what is held and never analyses again; a lifecycle stage rule
re-labels the held series; the action facts are made once per features stage."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import crm_logic.actions
import crm_logic.churn
import crm_logic.lifecycle
import crm_logic.pipeline
import crm_logic.segmentation
import ui.value_backtest
from tests.pagetest import open_page


@pytest.fixture()
def calls(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts the calls of each heavy step (callers look these names up at call time)."""
    seen: Counter[str] = Counter()

    def counted(module: Any, name: str) -> None:
        real: Callable[..., Any] = getattr(module, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            seen[name] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    counted(crm_logic.pipeline, "analyse")
    counted(crm_logic.lifecycle, "lifecycle_series")
    counted(crm_logic.lifecycle, "frames_from_series")
    counted(crm_logic.churn, "backtest_scores")
    counted(crm_logic.churn, "rate_inputs")
    counted(crm_logic.churn, "lost_customers")
    counted(crm_logic.churn, "churn_causes")
    counted(crm_logic.actions, "customer_facts")
    counted(crm_logic.actions, "label_facts")
    counted(crm_logic.segmentation, "fit_models")
    counted(ui.value_backtest, "backtest_stage")
    return seen


def test_tier_share_on_segments_relabels(sample_db: Path, calls: Counter[str]) -> None:
    at = open_page("pages/segments.py")
    assert calls["analyse"] >= 1 and calls["backtest_stage"] == 1
    before = dict(calls)
    at.slider(key="cfg.tier_platinum_share").set_value(0.2).run()
    assert not at.exception
    at.slider(key="cfg.tier_gold_share").set_value(0.1).run()
    assert not at.exception
    assert dict(calls) == before  # no analysis, no refit at the backtest's cut-off
    assert any(m.label == "Top 30%: value share" for m in at.metric)
    # a features-stage field analyses (once), and going back to a setting seen before is held
    at.slider(key="cfg.horizon_days").set_value(180).run()
    assert calls["analyse"] == before["analyse"] + 1
    # ... on the held value fits and life curves: the horizon changes neither
    assert calls["lifecycle_series"] == before["lifecycle_series"]
    assert calls["fit_models"] == before["fit_models"] + 1  # the backtest's cut-off only
    assert calls["backtest_stage"] == before["backtest_stage"] + 1
    at.slider(key="cfg.horizon_days").set_value(365).run()
    assert calls["analyse"] == before["analyse"] + 1
    assert not at.exception


def test_risk_levels_and_band_on_churn_relabel(sample_db: Path, calls: Counter[str]) -> None:
    at = open_page("pages/churn.py")
    assert calls["analyse"] >= 1 and calls["backtest_scores"] == 1
    assert calls["churn_causes"] == 1
    before = dict(calls)
    high = at.metric[0].value
    at.slider(key="cfg.risk_high").set_value(0.3).run()
    at.number_input(key="cfg.churn_rate_acceptable_max").set_value(0.2).run()
    at.slider(key="cfg.save_rate").set_value(0.5).run()
    assert not at.exception
    assert dict(calls) == before  # nothing re-read, re-scored, re-analysed or re-grouped
    assert int(at.metric[0].value.replace(",", "")) > int(high.replace(",", ""))


def test_stage_rule_on_lifecycle_relabels_the_held_series(
    sample_db: Path, calls: Counter[str],
) -> None:
    at = open_page("pages/lifecycle.py")
    assert calls["lifecycle_series"] == 1
    before = dict(calls)
    at.slider(key="cfg.stability_peak_share").set_value(0.5).run()
    at.slider(key="cfg.decline_peak_share").set_value(0.3).run()
    assert not at.exception
    assert calls.pop("frames_from_series") == before.pop("frames_from_series") + 2
    assert dict(calls) == before  # the series held; value tiers from the held analysis
    at.slider(key="cfg.churn_gap_floor_days").set_value(240).run()  # a series field
    assert not at.exception
    assert calls["lifecycle_series"] == 2 and calls["analyse"] == before["analyse"]


def test_action_facts_once_per_features_stage(sample_db: Path, calls: Counter[str]) -> None:
    at = open_page("pages/actions.py")
    assert not at.exception
    facts = calls["customer_facts"]
    analyses = calls["analyse"]
    assert facts == 1
    at.session_state["_cfg"] = {"tier_platinum_share": 0.3, "risk_high": 0.2}  # ui.state
    at.run()
    assert not at.exception
    assert calls["customer_facts"] == facts and calls["analyse"] == analyses
    assert calls["label_facts"] == 2  # the new labels applied to the held facts
