"""The split stages the app caches apart give the very answers of the whole computation.

Each area whose page has a labels-stage what-if (or, for the lifecycle, stage-rule what-ifs)
holds what reads the data once and applies the cheap part per setting: the lifecycle's
series and its stage rules, the value backtest and its tiers, the churn backtest and its
risk levels, the churn rate and its tiers and range, the action facts and their labels.
Every such pair is checked here against the function the report and the CLI call.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from crm_logic import actions, churn, config, pipeline, store
from crm_logic import lifecycle as lc
from crm_logic.config import CrmConfig
from crm_logic.value.backtest import backtest_stage, value_backtest, with_tiers

# one changed value for every labels-stage field: a field added to LABEL_FIELDS must be
# added here too (test_every_labels_field_has_a_case), so its re-labelling is checked
LABEL_CHANGES: dict[str, object] = {
    "tier_platinum_share": 0.2, "tier_gold_share": 0.05, "tier_iron_share": 0.5,
    "risk_high": 0.35, "risk_medium": 0.1,
    "churn_rate_acceptable_max": 0.01, "churn_rate_acceptable_min": 0.005,
    "cost_per_contact": 5.0, "save_rate": 0.5,
    "new_customer_days": 30, "backlog_age_1_days": 3, "backlog_age_2_days": 14,
    "backlog_age_3_days": 60, "repeat_complainer_min": 3, "complaint_rate_min_orders": 5,
    "ci_level": 0.9, "escalation_channels": "legal", "currency": "USD",
}
# one changed value for every lifecycle stage rule (the series held, the rules applied)
RULE_CHANGES: dict[str, object] = {
    "exploration_max_occasions": 3, "exploration_min_months": 9, "formation_min_growth": 0.5,
    "rise_months": 9, "rise_min_growth": 0.4, "stability_peak_share": 0.55,
    "stability_min_months": 9, "stability_min_purchase_periods": 3,
    "decline_peak_share": 0.35, "decline_min_months": 6, "decline_yoy_share": 0.6,
    "long_term_min_months": 6,
}


def _changed(field: str, value: object) -> CrmConfig:
    return dataclasses.replace(CrmConfig(), **{field: value})


def test_every_labels_field_has_a_case() -> None:
    assert set(LABEL_CHANGES) == set(config.LABEL_FIELDS)
    assert set(RULE_CHANGES) == set(lc.RULE_FIELDS)


def test_labels_fields_relabel_does_not_read_leave_the_table_as_it_is(
    base: tuple[store.CrmData, pipeline.Analysis],
) -> None:
    """The app re-labels per `pipeline.RELABEL_FIELDS` only: every other labels field
    leaves the customer table exactly as the default analysis has it."""
    data, first = base
    assert set(pipeline.RELABEL_FIELDS) <= set(config.LABEL_FIELDS)
    others = {f: v for f, v in LABEL_CHANGES.items() if f not in pipeline.RELABEL_FIELDS}
    cfg = dataclasses.replace(CrmConfig(), **others)
    assert_frame_equal(pipeline.analyse(data, cfg, first.as_of).customers, first.customers)
    assert_frame_equal(pipeline.relabel(first, cfg).customers, first.customers)


def test_lifecycle_fields_split_into_series_and_rules() -> None:
    assert set(lc.SERIES_FIELDS) | set(lc.RULE_FIELDS) == set(lc.CONFIG_FIELDS)
    assert not set(lc.SERIES_FIELDS) & set(lc.RULE_FIELDS)


@pytest.mark.parametrize("period", ["month", "quarter"])
@pytest.mark.parametrize("field", sorted(RULE_CHANGES))
def test_rules_on_a_held_series_equal_the_full_lifecycle(
    base: tuple[store.CrmData, pipeline.Analysis], field: str, period: str,
) -> None:
    data, first = base
    start = CrmConfig(lifecycle_period=period)
    ends, series = lc.lifecycle_series(data, start, first.as_of)
    cfg = dataclasses.replace(start, **{field: RULE_CHANGES[field]})
    life, history = lc.frames_from_series(ends, series, cfg, first.as_of)
    full_life, full_history = lc.lifecycle_frames(data, cfg, first.as_of)
    assert_frame_equal(life, full_life)
    assert_frame_equal(history, full_history)
    old_life, old_history = lc.lifecycle_frames(data, start, first.as_of)
    assert not (life.equals(old_life) and history.equals(old_history)), "rule changed nothing"


@pytest.mark.parametrize("field", ["tier_platinum_share", "tier_gold_share",
                                   "tier_iron_share"])
def test_value_backtest_tiers_relabel_without_refit(
    base: tuple[store.CrmData, pipeline.Analysis], field: str,
) -> None:
    data, first = base
    day = first.as_of
    held = backtest_stage(data, CrmConfig(), day)
    cfg = _changed(field, LABEL_CHANGES[field])
    fast = with_tiers(held, cfg)
    assert fast == value_backtest(data, cfg, day)
    assert fast["by_tier"] and fast["by_tier"] != with_tiers(held, CrmConfig())["by_tier"]
    assert with_tiers(held, CrmConfig()) == value_backtest(data, CrmConfig(), day)


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, pl.DataFrame) and isinstance(b, pl.DataFrame):
        return a.equals(b)
    return a == b


@pytest.mark.parametrize("field", ["risk_high", "risk_medium"])
def test_churn_backtest_levels_relabel_without_rescoring(
    base: tuple[store.CrmData, pipeline.Analysis], field: str,
) -> None:
    data, first = base
    cutoff = first.as_of - dt.timedelta(days=180)
    held = churn.backtest_scores(data, CrmConfig(), cutoff, 180)
    for cfg in (CrmConfig(), _changed(field, LABEL_CHANGES[field]), _changed("risk_high", 0.2)):
        fast = churn.backtest_result(held, cfg)
        full = churn.backtest(data, cfg, cutoff, 180)
        for f in dataclasses.fields(full):
            assert _same(getattr(fast, f.name), getattr(full, f.name)), f.name
    assert churn.backtest_result(held, _changed("risk_high", 0.2)).high != \
        churn.backtest_result(held, CrmConfig()).high


@pytest.mark.parametrize("field", ["tier_platinum_share", "tier_iron_share",
                                   "churn_rate_acceptable_max", "churn_rate_acceptable_min"])
def test_churn_rate_tiers_and_range_apply_to_held_inputs(
    base: tuple[store.CrmData, pipeline.Analysis], field: str,
) -> None:
    data, first = base
    day = first.as_of
    inputs = churn.rate_inputs(data, CrmConfig(), day, lifecycle=first.customers)
    cfg = _changed(field, LABEL_CHANGES[field])
    table = pipeline.relabel(first, cfg).customers
    fast = churn.rates_from(inputs, cfg, day, tiers=table)
    assert_frame_equal(fast, churn.churn_rate_by_month(data, cfg, day, tiers=table,
                                                       lifecycle=table))


@pytest.mark.parametrize("field", sorted(LABEL_CHANGES))
def test_action_facts_relabel_to_the_full_action_table(
    base: tuple[store.CrmData, pipeline.Analysis], field: str,
) -> None:
    data, first = base
    day = first.as_of
    facts = actions.customer_facts(data, CrmConfig(), day, first.customers)
    cfg = _changed(field, LABEL_CHANGES[field])
    table = pipeline.analyse(data, cfg, day).customers if field.startswith(("tier", "risk")) \
        else pipeline.relabel(first, cfg).customers  # test_stages: relabel == analyse
    fast = actions.assign(actions.label_facts(facts, pipeline.relabel(first, cfg).customers),
                          actions.default_rules())
    assert_frame_equal(fast, actions.action_table(data, cfg, day, table))


def test_action_facts_relabel_in_any_row_order(
    base: tuple[store.CrmData, pipeline.Analysis],
) -> None:
    data, first = base
    facts = actions.customer_facts(data, CrmConfig(), first.as_of, first.customers)
    table = pipeline.relabel(first, _changed("risk_high", 0.2)).customers
    assert_frame_equal(actions.label_facts(facts, table.reverse()),
                       actions.label_facts(facts, table))


@pytest.mark.parametrize("field", sorted(set(RULE_CHANGES) - {"exploration_min_months",
                                                               "long_term_min_months"}))
def test_lifecycle_notes_read_the_series_not_the_other_rules(
    base: tuple[store.CrmData, pipeline.Analysis], field: str,
) -> None:
    """The app holds the notes per series field and the rules the notes name
    (`ui.lifecycle._NOTE_FIELDS`): any other rule leaves them as they were."""
    data, first = base
    cfg = _changed(field, RULE_CHANGES[field])
    life = lc.lifecycle_frames(data, cfg, first.as_of)[0]
    plain = lc.lifecycle_frames(data, CrmConfig(), first.as_of)[0]
    assert lc.lifecycle_notes(life, data, cfg, first.as_of) == \
        lc.lifecycle_notes(plain, data, CrmConfig(), first.as_of)


def test_analysis_on_held_fits_and_life_curves_equals_the_whole(sample_db: Path) -> None:
    """What the app holds for a model setting (value fits, read no config field; the
    lifecycle from its held series) gives the analysis `pipeline.analyse` makes alone."""
    from crm_logic import occasions, segmentation

    con = store.connect(sample_db, read_only=True)
    data = store.load_data(con, lines=False)
    con.close()
    day = pipeline.resolve_as_of(data, None)
    occ = occasions.table(data, day)
    fits = segmentation.fit_models(segmentation.summary_from_occasions(occ, day))
    ends, series = lc.lifecycle_series(data, CrmConfig(), day)
    for cfg in (CrmConfig(), CrmConfig(horizon_days=180, discount_rate_yearly=0.2),
                CrmConfig(margin_share=0.5, stability_peak_share=0.5)):
        life = lc.customers_from_series(ends, series, cfg, day)
        assert_frame_equal(life, lc.customer_lifecycle(data, cfg, day))
        held = pipeline.analyse(data, cfg, day, fits=fits, life=life)
        assert_frame_equal(held.customers, pipeline.analyse(data, cfg, day).customers)
    margin = segmentation.summary_from_occasions(occ, day, 0.5)
    assert dataclasses.asdict(segmentation.fit_models(margin).bgnbd) == \
        dataclasses.asdict(fits.bgnbd)
