"""KPIs of the last complete period against the period before (`report.kpis`, the Overview).

Periods are calendar months, quarters or years (`CrmConfig.kpi_period`). The current period is
the last one that ended on or before as_of; the previous one is the period before it. A
period counts only when the orders cover it completely (the first order is on or before its
first day; `periods.is_complete`): otherwise its values are null and `reason` says why.
`crm_logic/periods` compares trailing periods of days; the calendar periods are made here.

Each KPI: {value, previous, change, unit, reason}. unit "count" or "money": change is the
relative change (value / previous - 1, null when previous is 0); unit "rate": change is the
difference in rate points (value - previous).

Customer flows (active, new, lost, churn and retention rate, complaint-to-churn) use the as-of
analysis' lost rule (lifecycle `churned`, `churn_date`, `churn_source`), dated when the loss
is recognised: a recorded churn on its churn_date, an inactive customer the day its silence
exceeds its churn gap (last purchase + `churn_gap_days` + 1). So every complete period counts
its losses in full, with no lag; the churn page instead dates a loss back to the last
purchase (its recent months are provisional).
Value KPIs (average lifetime value, value share of platinum + gold, platinum and gold at high
risk) are snapshots of the analysis run at each period's last day (`analyse_at`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import polars as pl

from crm_logic import occasions, periods
from crm_logic.codes import BIG_TIERS
from crm_logic.config import CrmConfig
from crm_logic.store import CrmData

PERIODS: dict[str, int] = {"month": 1, "quarter": 3, "year": 12}  # period -> months
KPIS: dict[str, str] = {  # name -> unit, in display order
    "active_customers": "count", "new_customers": "count", "lost_customers": "count",
    "churn_rate": "rate", "retention_rate": "rate", "revenue": "money",
    "avg_lifetime_value": "money", "big_tier_value_share": "rate",
    "big_tier_high_risk": "count", "open_complaints": "count", "sla_breach_rate": "rate",
    "complaint_to_churn_rate": "rate",
}


def period_of(day: dt.date, period: str) -> periods.Period:
    """The calendar period (month, quarter, year) holding `day`."""
    months = PERIODS[period]
    first_month = (day.month - 1) // months * months + 1
    start = dt.date(day.year, first_month, 1)
    nxt = first_month + months
    end = (dt.date(day.year + (nxt - 1) // 12, (nxt - 1) % 12 + 1, 1)
           - dt.timedelta(days=1))
    return periods.Period(start, end)


def complete_periods(as_of: dt.date, period: str) -> tuple[periods.Period, periods.Period]:
    """(current, previous): the last period ending on or before as_of and the one before."""
    if period not in PERIODS:
        raise ValueError(f"kpi_period must be one of {', '.join(PERIODS)}, got {period!r}")
    holding = period_of(as_of, period)
    current = (holding if holding.end == as_of
               else period_of(holding.start - dt.timedelta(days=1), period))
    return current, period_of(current.start - dt.timedelta(days=1), period)


def churn_range(cfg: CrmConfig) -> tuple[float, float]:
    """The acceptable churn rate per KPI period: the monthly range compounded over its months
    (1 - (1 - monthly)^months)."""
    k = PERIODS[cfg.kpi_period]
    return (1 - (1 - cfg.churn_rate_acceptable_min) ** k,
            1 - (1 - cfg.churn_rate_acceptable_max) ** k)


def lost_on_expr() -> pl.Expr:
    """The day a lost customer's loss is recognised (null: not lost), see the docstring."""
    gap = pl.duration(days=pl.col("churn_gap_days").fill_null(0).cast(pl.Int64) + 1)
    recognised = (pl.when(pl.col("churn_source") == "inactivity")
                  .then(pl.col("churn_date") + gap).otherwise(pl.col("churn_date")))
    return pl.when(pl.col("churned").fill_null(False)).then(recognised).alias("lost_on")


def _flows(table: pl.DataFrame, s: dt.date, e: dt.date) -> dict[str, float | None]:
    """Customer flows of the period [s, e] from the as-of analysis table."""
    first = pl.col("first_order_date")
    lost_on = lost_on_expr()
    at_start = (first < s) & (lost_on.is_null() | (lost_on >= s))
    row = table.select(
        active=((first <= e) & (lost_on.is_null() | (lost_on > e))).sum(),
        new=first.is_between(s, e).sum(),
        lost=lost_on.is_between(s, e).fill_null(False).sum(),
        start=at_start.sum(),
        lost_of_start=(at_start & lost_on.is_between(s, e).fill_null(False)).sum(),
    ).row(0, named=True)
    start = row["start"]
    return {
        "active_customers": row["active"], "new_customers": row["new"],
        "lost_customers": row["lost"],
        "churn_rate": row["lost"] / start if start else None,
        "retention_rate": (start - row["lost_of_start"]) / start if start else None,
    }


def _complaints(data: CrmData, cfg: CrmConfig, table: pl.DataFrame, s: dt.date,
                e: dt.date) -> dict[str, float | None]:
    """Open complaints at e, SLA breach rate of the period's complaints (as of e), and the
    share of complaining customers (not lost before s) who were lost in the period."""
    from crm_logic.complaints import complaint_facts

    facts = complaint_facts(data.complaints, cfg, e)
    period = facts.filter(pl.col("received_date") >= s)
    known = period.get_column("sla_breached").drop_nulls()
    who = (
        period.select("customer_id").drop_nulls().unique()
        .join(table.select("customer_id", lost_on_expr()), on="customer_id")
        .filter(pl.col("lost_on").is_null() | (pl.col("lost_on") >= s))
    )
    lost = who.filter(pl.col("lost_on") <= e).height
    return {
        "open_complaints": facts.filter(~pl.col("resolved")).height,
        "sla_breach_rate": float(known.mean()) if known.len() else None,  # type: ignore[arg-type]
        "complaint_to_churn_rate": lost / who.height if who.height else None,
    }


def _snapshot(snap: pl.DataFrame) -> dict[str, float | None]:
    """Value KPIs of an analysis table run at a period's last day."""
    if snap.is_empty():
        return {"avg_lifetime_value": None, "big_tier_value_share": None,
                "big_tier_high_risk": 0}
    active = snap.filter(~pl.col("churned").fill_null(False))
    big = pl.col("value_tier").is_in(list(BIG_TIERS)).fill_null(False)
    total = float(snap.get_column("lifetime_value").sum())
    return {
        "avg_lifetime_value": float(active.get_column("lifetime_value").mean())  # type: ignore[arg-type]
        if active.height else None,
        "big_tier_value_share": float(snap.filter(big).get_column("lifetime_value").sum()) / total
        if total > 0 else None,
        "big_tier_high_risk": active.filter(big & (pl.col("risk_level") == "high")).height,
    }


def period_values(data: CrmData, cfg: CrmConfig, table: pl.DataFrame,
                  s: dt.date, e: dt.date, snapshot: pl.DataFrame) -> dict[str, float | None]:
    """Every KPI of the period [s, e] (see the module docstring)."""
    occ = occasions.table(data, e, ("day", "revenue"))  # revenue: the net amount of the days' lines
    revenue = occ.filter(pl.col("day") >= s).get_column("revenue").sum()
    out: dict[str, float | None] = {**_flows(table, s, e), "revenue": float(revenue or 0.0)}
    out.update(_snapshot(snapshot))
    out.update(_complaints(data, cfg, table, s, e))
    return {k: out[k] for k in KPIS}


def _change(unit: str, value: float | None, previous: float | None) -> tuple[Any, str | None]:
    if value is None or previous is None:
        return None, "no_value"
    if unit == "rate":
        return value - previous, None
    relative = periods.change(value, previous)
    return relative, None if relative is not None else "previous_zero"


def kpi_report(data: CrmData, cfg: CrmConfig, as_of: dt.date, table: pl.DataFrame,
               analyse_at: Callable[[dt.date], pl.DataFrame]) -> tuple[dict, dict]:
    """(`report.kpis`, `report.kpi_period`): {NAME: {value, previous, change, unit, reason}}
    (churn_rate also acceptable_min, acceptable_max, alert) and {period, current [start,
    end], previous [start, end]}.

    `table` is the as-of analysis' customer table; `analyse_at(day)` returns the customer
    table of the analysis as of `day` (the report runs `pipeline.analyse`, the UI its cache).
    """
    cur, prev = complete_periods(as_of, cfg.kpi_period)
    first, last = periods.data_span(
        occasions.table(data, as_of, ("day",)).get_column("day"), as_of)
    data_end = as_of if last is not None else None  # the data runs to as_of (as periods do)
    covered = {p: periods.is_complete(p, first, data_end) for p in (cur, prev)}
    values = {p: period_values(data, cfg, table, p.start, p.end, analyse_at(p.end))
              if covered[p] else None for p in (cur, prev)}
    out: dict[str, Any] = {}
    for name, unit in KPIS.items():
        v = values[cur][name] if values[cur] else None
        pv = values[prev][name] if values[prev] else None
        change, why = _change(unit, v, pv)
        reason = ("no_complete_period" if not covered[cur] else
                  "previous_not_covered" if not covered[prev] else
                  None if change is not None else why)
        out[name] = {"value": v, "previous": pv, "change": change, "unit": unit,
                     "reason": reason}
    lo, hi = churn_range(cfg)
    rate = out["churn_rate"]["value"]
    out["churn_rate"].update(acceptable_min=lo, acceptable_max=hi,
                             alert=rate is not None and not lo <= rate <= hi)
    return out, {
        "period": cfg.kpi_period,
        "current": [cur.start.isoformat(), cur.end.isoformat()],
        "previous": [prev.start.isoformat(), prev.end.isoformat()],
    }
