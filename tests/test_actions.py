"""Action rules on hand-built customers: each rule fires where it should, first match wins,
every customer gets exactly one action."""

from __future__ import annotations

import polars as pl
import pytest

from crm_logic import actions

# customer_id, stage, tier, risk, open complaint, lost, expected action of the default rules
CASES = [
    ("c_complaint_lost", "stability", "platinum", None, True, True, "resolve_complaint"),
    ("c_complaint", "exploration", "lead", "low", True, False, "resolve_complaint"),
    ("c_lost_plat", "decline", "platinum", None, False, True, "win_back_lost"),
    ("c_lost_gold", "stability", "gold", None, False, True, "win_back_lost"),
    ("c_lost_iron", "decline", "iron", None, False, True, "learn_why_lost"),
    ("c_lost_none", None, None, None, False, True, "learn_why_lost"),
    ("c_big_high", "stability", "gold", "high", False, False, "win_back_big"),
    ("c_big_high_dec", "decline", "platinum", "high", False, False, "win_back_big"),
    ("c_decline_iron", "decline", "iron", "high", False, False, "recover"),
    ("c_decline_gold", "decline", "gold", "low", False, False, "recover"),
    ("c_decline_lead", "decline", "lead", "medium", False, False, "let_go"),
    ("c_explore", "exploration", "iron", "high", False, False, "develop"),
    ("c_form", "formation", "lead", "low", False, False, "enhance"),
    ("c_stab_plat", "stability", "platinum", "medium", False, False, "reward_loyal"),
    ("c_stab_iron", "stability", "iron", "low", False, False, "community"),
    ("c_nothing", None, "iron", "low", False, False, "maintain"),
]


def _facts() -> pl.DataFrame:
    return pl.DataFrame(
        [c[:6] for c in CASES],
        schema={"customer_id": pl.String, "lifecycle_stage": pl.String,
                "value_tier": pl.String, "risk_level": pl.String,
                "open_complaint": pl.Boolean, "lost": pl.Boolean},
        orient="row",
    ).with_columns(value_at_stake=pl.Series([float(i) for i in range(len(CASES))]),
                   lifetime_value=pl.lit(1.0), top_category=pl.lit("tea"))


def test_default_rules_fire_where_they_should() -> None:
    got = actions.assign(_facts(), actions.default_rules())
    assert dict(zip(got["customer_id"], got["action"], strict=True)) == {
        c[0]: c[6] for c in CASES}
    assert got.height == len(CASES)  # exactly one action each
    # every default action is reached by at least one hand-built customer
    assert set(got["action"]) == set(actions.ACTIONS)


def test_first_match_wins() -> None:
    rules = pl.DataFrame(
        {"action": ["develop", "enhance", "maintain"], "stage": ["exploration", "*", "*"],
         "tier": ["*", "iron", "*"], "risk": ["*", "*", "*"], "complaint": ["*", "*", "*"],
         "lost": ["*", "*", "*"]})
    got = actions.assign(_facts(), rules)
    row = got.filter(pl.col("customer_id") == "c_explore").row(0, named=True)
    assert (row["action"], row["rule"]) == ("develop", 1)  # rule 2 also matches: rule 1 wins
    row = got.filter(pl.col("customer_id") == "c_stab_iron").row(0, named=True)
    assert (row["action"], row["rule"]) == ("enhance", 2)
    row = got.filter(pl.col("customer_id") == "c_form").row(0, named=True)
    assert (row["action"], row["rule"]) == ("maintain", 3)
    swapped = actions.assign(_facts(), rules.reverse())  # catch-all first: it takes everyone
    assert set(swapped["action"]) == {"maintain"}


def test_catch_all_added_and_validation() -> None:
    rules = pl.DataFrame({"action": ["develop"], "stage": ["Exploration"], "tier": [""],
                          "risk": [None], "complaint": ["*"], "lost": ["no"]})
    clean = actions.validate_rules(rules)
    assert clean.height == 2
    assert clean.row(0, named=True) == {"action": "develop", "stage": "exploration",
                                        "tier": "*", "risk": "*", "complaint": "*",
                                        "lost": "no"}
    assert clean.row(1, named=True)["action"] == "maintain"
    got = actions.assign(_facts(), rules)
    develop = got.filter(pl.col("action") == "develop")["customer_id"].to_list()
    assert develop == ["c_complaint", "c_explore"]  # both exploration, not lost
    assert got.filter(pl.col("action") == "maintain").height == len(CASES) - 2
    with pytest.raises(ValueError, match="rule 1: stage 'stable'"):
        actions.validate_rules(rules.with_columns(stage=pl.lit("stable")))
    with pytest.raises(ValueError, match="unknown action"):
        actions.validate_rules(rules.with_columns(action=pl.lit("party")))


def test_summary_counts_sum_to_customers() -> None:
    got = actions.assign(_facts(), actions.default_rules())
    s = actions.summary(got)
    assert [r["action"] for r in s] == list(actions.ACTIONS)
    assert sum(r["customers"] for r in s) == len(CASES)
    by = {r["action"]: r for r in s}
    # resolve_complaint: customers 0 and 1, value_at_stake 0.0 + 1.0
    assert by["resolve_complaint"] == {"action": "resolve_complaint", "customers": 2,
                                       "value_at_stake": 1.0}
    assert by["win_back_lost"]["value_at_stake"] == 2.0 + 3.0
    one = actions.action_list(got, "recover")
    assert one["customer_id"].to_list() == ["c_decline_gold", "c_decline_iron"]  # value desc
    assert actions.export_frame(got).height == len(CASES)
    assert actions.export_frame(got, "recover").height == 2
