"""Stages: a labels-stage field re-labels the features stage's table to the very answer a
full analysis gives; undeclared fields are features (the safe stage)."""

from __future__ import annotations

import dataclasses

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from crm_logic import config, pipeline, store
from crm_logic.config import CrmConfig

CHANGES = {
    "tier_platinum_share": 0.2, "tier_gold_share": 0.05, "tier_iron_share": 0.5,
    "risk_high": 0.35, "risk_medium": 0.1,
}


@pytest.mark.parametrize("field", sorted(CHANGES))
def test_relabel_equals_a_full_analysis(
    base: tuple[store.CrmData, pipeline.Analysis], field: str,
) -> None:
    data, first = base
    assert config.field_stage(field) == "labels"
    cfg = dataclasses.replace(CrmConfig(), **{field: CHANGES[field]})
    full = pipeline.analyse(data, cfg, first.as_of).customers
    fast = pipeline.relabel(first, cfg).customers
    assert_frame_equal(fast.select(full.columns), full)
    held = pipeline.relabel(first, cfg, pipeline.value_rank(first)).customers  # the app's way
    assert_frame_equal(held, fast)
    changed = ("value_tier" if field.startswith("tier") else "risk_level")
    assert not fast.get_column(changed).equals(first.customers.get_column(changed))


def test_stages_of_fields() -> None:
    names = config.config_fields()
    assert set(config.LABEL_FIELDS) <= set(names)
    assert config.field_stage("horizon_days") == "features"
    assert config.field_stage("a_field_someone_adds_later") == "features"  # safe default
    labels = dict(config.stage_items(CrmConfig(), "labels"))
    features = dict(config.stage_items(CrmConfig(), "features"))
    assert set(labels) | set(features) == set(names) and not set(labels) & set(features)


def test_relabel_keeps_the_unscored_unlabelled(
    base: tuple[store.CrmData, pipeline.Analysis],
) -> None:
    _, first = base
    table = pipeline.relabel(first, dataclasses.replace(CrmConfig(), risk_high=0.9)).customers
    no_risk = table.filter(pl.col("churn_risk").is_null())
    assert no_risk.get_column("risk_level").null_count() == no_risk.height
