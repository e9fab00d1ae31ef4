"""The complaints export list."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import polars as pl

from crm_logic.complaints.facts import complaint_facts
from crm_logic.config import CrmConfig

# ---- export ---------------------------------------------------------------------------------

EXPORT_DERIVED: tuple[str, ...] = ("status_code", "days_to_resolve", "sla_breached", "age_days")


def complaints_export_frame(
    complaints: pl.DataFrame, cfg: CrmConfig, as_of: dt.date
) -> pl.DataFrame:
    """`export complaints`: the contract's complaint columns + status_code, days_to_resolve,
    sla_breached, age_days; complaints received up to as_of, oldest first."""
    from crm_logic.store import SCHEMA

    facts = complaint_facts(complaints, cfg, as_of)
    cols = [c for c in SCHEMA["complaints"] if c in facts.columns]
    return facts.select(*cols, *EXPORT_DERIVED)


def json_safe(value: Any) -> Any:
    """NaN/inf to None, dates to ISO text: for JSON reports."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
