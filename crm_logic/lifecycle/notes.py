"""What the data lets the lifecycle see: unknown starts, the observable window, re-trials,
implausible amounts. Plain numbers for the page's notes (texts in `crm_logic.i18n`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from crm_logic import occasions
from crm_logic.config import CrmConfig
from crm_logic.lifecycle.periods import PERIOD_DAYS
from crm_logic.plausibility import stored_implausible_warning
from crm_logic.store import CrmData


def observable_window(data_start: dt.date, as_of: dt.date, cfg: CrmConfig) -> dict[str, Any]:
    """Months covered, the longest a lost customer can be watched (the window minus the lost
    threshold's floor), and whether that is too short to see a long-term relationship
    (exploration plus `long_term_min_months` of stability)."""
    months = ((as_of - data_start).days + 1) / PERIOD_DAYS["month"]
    watch = months - cfg.churn_gap_floor_days / PERIOD_DAYS["month"]
    need = cfg.long_term_min_months + cfg.exploration_min_months
    return {"start": data_start, "end": as_of, "months": months, "watch": max(watch, 0.0),
            "too_short": watch < need, "long_term": cfg.long_term_min_months}


def lifecycle_notes(life: pl.DataFrame, data: CrmData, cfg: CrmConfig, as_of: dt.date,
                    implausible: Any = "ask") -> dict[str, Any]:
    """{window, unknown_start (customers), relationships (customers with a re-trial),
    implausible (warning or None)} for the data up to as_of. `implausible`: the warning
    when already at hand (the app caches it), else asked of the lines."""
    occ = occasions.table(data, as_of, ("day",))
    start = occ.get_column("day").min() if occ.height else as_of
    assert isinstance(start, dt.date)
    count = (lambda col: int(life.get_column(col).sum())) if life.height else (lambda col: 0)
    return {
        "window": observable_window(start, as_of, cfg),
        "unknown_start": count("unknown_start"),
        "relationships": int((life.get_column("relationships") > 1).sum()) if life.height else 0,
        "implausible": (implausible if implausible != "ask" else
                        stored_implausible_warning(data, cfg, as_of) if occ.height else None),
    }
