"""One colour per concept across every chart: a tier, stage, pattern or risk level looks the
same on every page."""

from __future__ import annotations

TIER_COLORS: dict[str, str] = {
    "platinum": "#6E7F99",
    "gold": "#D4A017",
    "iron": "#8C6D5A",
    "lead": "#4A4A4A",
}
STAGE_COLORS: dict[str, str] = {
    "exploration": "#9ECAE9",
    "formation": "#4C78A8",
    "stability": "#54A24B",
    "decline": "#E45756",
}
PATTERN_COLORS: dict[str, str] = {
    "early_abort": "#E45756",
    "mid_term_abort": "#F58518",
    "early_exit": "#4C78A8",
    "long_term": "#54A24B",
    "unknown_start": "#9D9D9D",  # history before the data: grey, not a life curve
}
RISK_COLORS: dict[str, str] = {"high": "#D62728", "medium": "#FF7F0E", "low": "#2CA02C"}
UNKNOWN_COLOR = "#C7C7C7"
