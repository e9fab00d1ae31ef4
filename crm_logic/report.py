"""The CLI's `report` JSON and `export` lists (keys and columns of ../shared/contract.md)."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import polars as pl

from crm_logic import occasions
from crm_logic.codes import PATTERN_CODES, RISK_LEVELS, STAGES
from crm_logic.codes import TIERS as TIER_ORDER
from crm_logic.config import CrmConfig
from crm_logic.pipeline import (
    analyse,
    coded_counts,
    export_frame,
    has_orders,
    resolve_as_of,
    snapshot,
)
from crm_logic.store import CrmData
from crm_logic.value.backtest import value_backtest


def _num(x: Any) -> Any:
    """JSON-safe number: NaN/inf become null, numpy scalars become Python ones."""
    if x is None:
        return None
    if hasattr(x, "item"):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def tablecoded_counts(data: CrmData, as_of: dt.date) -> dict[str, int]:
    """Rows of each table up to and including as_of (customers: known by then)."""
    # its `lines` count every order line by day
    occ = occasions.table(data, as_of, ("customer_id", "lines"))
    known = data.customers.filter(
        pl.col("signup_date").is_null() | (pl.col("signup_date") <= as_of)
    ).get_column("customer_id")
    ids = pl.concat([known, occ.get_column("customer_id")]).drop_nulls().n_unique()
    return {
        "customers": int(ids),
        "orders": int(occ.get_column("lines").sum() or 0),
        "complaints": data.complaints.filter(pl.col("received_date") <= as_of).height,
        "interactions": data.interactions.filter(pl.col("interaction_date") <= as_of).height,
    }


def build_report(data: CrmData, cfg: CrmConfig, as_of: dt.date | None = None,
                 rules: pl.DataFrame | None = None) -> dict[str, Any]:
    """Every analysis on the data up to and including `as_of` (default: latest date).

    `rules`: the action center's rule table (default: `actions.default_rules()`).
    """
    from crm_logic.complaints import complaint_report

    day = resolve_as_of(data, as_of)
    report: dict[str, Any] = {"as_of": day.isoformat(), "counts": tablecoded_counts(data, day)}
    if has_orders(data, day):
        a = analyse(data, cfg, day)
        c = customers = a.customers
        churned = c.get_column("churned").fill_null(False)
        report["customers"] = {"active": int((~churned).sum()), "churned": int(churned.sum())}
        report["tiers"] = coded_counts(c.get_column("value_tier"), TIER_ORDER)
        active, lost = c.filter(~churned), c.filter(churned)
        report["stages"] = coded_counts(active.get_column("lifecycle_stage"), STAGES)
        report["patterns"] = coded_counts(lost.get_column("lifecycle_pattern"), PATTERN_CODES)
        report["churn_model"] = {k: _num(v) for k, v in a.fits.churn_model_dict().items()}
        report["spend_model"] = {k: _num(v) for k, v in a.fits.spend_model_dict().items()}
        # the warning's counts: customers that can still be kept (the lost are scored too)
        report["at_risk"] = coded_counts(active.get_column("risk_level"), RISK_LEVELS)
        report.update(monday_sections(data, cfg, day, c, rules))
        if a.warnings:
            report["warnings"] = a.warnings
    else:
        customers = None
        report["customers"] = {"active": 0, "churned": 0}
        report["tiers"] = dict.fromkeys(TIER_ORDER, 0)
        report["stages"] = dict.fromkeys(STAGES, 0)
        report["patterns"] = dict.fromkeys(PATTERN_CODES, 0)
        report["churn_model"] = None
        report["spend_model"] = None
        report["at_risk"] = dict.fromkeys(RISK_LEVELS, 0)
        report.update(monday_sections(data, cfg, day, None, rules))
    report["complaints"] = complaint_report(data.complaints, cfg, day)
    report["value_backtest"] = _json_safe(value_backtest(data, cfg, day))
    from crm_logic.prospects import prospect_report

    report["prospects"] = {k: _num(v) if isinstance(v, float) else v for k, v in
                           prospect_report(data.prospects, customers, cfg, day).items()}
    return report


def monday_sections(data: CrmData, cfg: CrmConfig, day: dt.date, table: pl.DataFrame | None,
                    rules: pl.DataFrame | None = None) -> dict[str, Any]:
    """`kpis`, `kpi_period`, `four_r` and `actions` of the report (issue 14)."""
    from crm_logic import actions, four_r, kpis

    if table is None:  # no orders up to as_of: nothing to compare, nobody to act on
        empty = {n: {"value": None, "previous": None, "change": None, "unit": u,
                     "reason": "no_orders"} for n, u in kpis.KPIS.items()}
        return {"kpis": empty, "kpi_period": None, "four_r": None,
                "actions": [{"action": a, "customers": 0, "value_at_stake": 0.0}
                            for a in actions.ACTIONS]}

    def at(d: dt.date) -> pl.DataFrame:
        return table if d == day else snapshot(data, cfg, d)

    k, period = kpis.kpi_report(data, cfg, day, table, at)
    top = four_r.top_categories(data, day)  # read by the actions and the 4R reward
    assigned = actions.action_table(data, cfg, day, table, rules, top)
    return {"kpis": k, "kpi_period": period,
            "four_r": four_r.scorecard(data, cfg, day, table, k, top),
            "actions": actions.summary(assigned)}


def _json_safe(x: Any) -> Any:
    """`_num` through nested dicts and lists."""
    if isinstance(x, dict):
        return {k: _json_safe(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_json_safe(v) for v in x]
    return _num(x)


_FILTERS = {"tier": "value_tier", "stage": "lifecycle_stage", "pattern": "lifecycle_pattern",
            "risk": "risk_level"}


def customer_list(
    data: CrmData, kind: str, cfg: CrmConfig, as_of: dt.date | None,
    filters: dict[str, list[str]] | None = None,
) -> pl.DataFrame:
    """The rows of `export customers` / `export at-risk` / `export complaints`, unmasked."""
    day = resolve_as_of(data, as_of)
    if kind == "complaints":
        from crm_logic.complaints import complaints_export_frame

        return complaints_export_frame(data.complaints, cfg, day)
    table = analyse(data, cfg, day).customers
    if kind == "at-risk":
        table = table.filter(~pl.col("churned").fill_null(False))
        if not (filters or {}).get("risk"):
            table = table.filter(pl.col("risk_level").is_in(["high", "medium"]))
        from crm_logic.churn import big_customers_first

        table = big_customers_first(table)
    else:
        table = table.sort("lifetime_value", "customer_id", descending=[True, False],
                           nulls_last=True)
    for name, values in (filters or {}).items():
        table = table.filter(pl.col(_FILTERS[name]).is_in(values))
    return export_frame(table, data.customers)


def action_export(
    data: CrmData, cfg: CrmConfig, as_of: dt.date | None, rules: pl.DataFrame | None = None,
    action: str | None = None, filters: dict[str, list[str]] | None = None, lang: str = "en",
) -> pl.DataFrame:
    """Rows of `export actions`: every analysed customer (or one action's) with its action,
    the action's name in `lang`, then name/phone/email (masked on export by default)."""
    from crm_logic import actions
    from crm_logic.i18n import t

    day = resolve_as_of(data, as_of)
    if not has_orders(data, day):
        assigned = pl.DataFrame(schema={c: pl.String for c in actions.EXPORT_COLUMNS})
    else:
        table = analyse(data, cfg, day).customers
        for name, values in (filters or {}).items():
            table = table.filter(pl.col(_FILTERS[name]).is_in(values))
        assigned = actions.action_table(data, cfg, day, table, rules)
    out = actions.export_frame(assigned, action) if assigned.height else assigned
    names = {a: t(f"action.{a}", lang) for a in actions.ACTIONS}
    out = out.with_columns(pl.col("action").cast(pl.String).replace_strict(
        names, default=None, return_dtype=pl.String).alias("action_name"))
    out = out.select("customer_id", "action", "action_name",
                     *[c for c in out.columns if c not in ("customer_id", "action",
                                                           "action_name")])
    personal = [c for c in ("name", "phone", "email") if c in data.customers.columns]
    if personal and data.customers.height and out.height:
        people = data.customers.unique("customer_id", keep="first").select(
            "customer_id", *personal)
        out = out.join(people, on="customer_id", how="left", maintain_order="left")
    return out


def export_list(
    data: CrmData, kind: str, out: Path, cfg: CrmConfig, as_of: dt.date | None = None,
    filters: dict[str, list[str]] | None = None, encoding: str = "utf-8-sig", mask: bool = True,
    lang: str = "en", action: str | None = None, rules: pl.DataFrame | None = None,
) -> int:
    """Write a list as safe CSV (formulas defused, personal data masked); returns rows.

    Warning flags and the recommended action are written as readable text in `lang`; with
    `lang="zh"` the headers and every coded value are Chinese too (`localise_frame`).
    `export actions`: the action center's rule table `rules` (else the defaults), one
    action's customers when `action` is given.
    """
    from crm_logic.export import to_safe_csv

    if kind == "actions":
        df = action_export(data, cfg, as_of, rules, action, filters, lang)
    else:
        df = customer_list(data, kind, cfg, as_of, filters)
    if lang != "en":  # Chinese headers and values (codes as labels, yes/no as 是/否)
        from crm_logic.localise import localise_frame

        df = localise_frame(df, lang)
    elif "risk_flags" in df.columns:
        from crm_logic.churn import action_text_expr, readable_flags_expr

        df = df.with_columns(readable_flags_expr(lang), action_text_expr(lang))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(to_safe_csv(df, encoding=encoding, mask=mask))
    return df.height
