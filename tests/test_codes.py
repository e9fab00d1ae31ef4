"""One module of codes: every code has its text in both languages; old names still work."""

from __future__ import annotations

from crm_logic import churn, codes, pipeline
from crm_logic.i18n import TEXTS

PREFIXES = {
    "tier": codes.TIERS, "stage": codes.STAGES, "pattern": codes.PATTERNS,
    "risk": codes.RISK_LEVELS, "churn.flag": codes.FLAGS, "churn.action": codes.ACTIONS,
}


def test_every_code_has_text() -> None:
    missing = [f"{p}.{c}" for p, cs in PREFIXES.items() for c in cs if f"{p}.{c}" not in TEXTS]
    assert missing == []


def test_old_names_are_the_codes() -> None:
    assert pipeline.TIER_ORDER is codes.TIERS and pipeline.STAGES is codes.STAGES
    assert pipeline.PATTERNS is codes.PATTERNS and pipeline.RISK_LEVELS is codes.RISK_LEVELS
    assert churn.STAGES is codes.STAGES and churn.ACTIONS is codes.ACTIONS
    assert codes.TIERS == ("platinum", "gold", "iron", "lead")
    assert set(codes.BIG_TIERS) < set(codes.TIERS)
