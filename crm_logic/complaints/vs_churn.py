"""Complaints and churn: churn rates of complaining customers, with Wilson intervals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from crm_logic.config import CrmConfig

# ---- complaints and churn -------------------------------------------------------------------

CHURN_GROUPS: tuple[str, ...] = ("no_complaint", "resolved_in_sla", "resolved_late", "unresolved")
GROUP_DAYS_UNKNOWN = "resolved_days_unknown"


def _z(level: float) -> float:
    from scipy.stats import norm

    return float(norm.ppf(0.5 + level / 2))


def wilson_exprs(k: str, n: str, level: float) -> list[pl.Expr]:
    """Wilson score interval of the proportion k/n: ci_low, ci_high (null when n = 0)."""
    z = _z(level)
    kk, nn = pl.col(k).cast(pl.Float64), pl.col(n).cast(pl.Float64)
    p = kk / nn
    centre = (p + z * z / (2 * nn)) / (1 + z * z / nn)
    half = z / (1 + z * z / nn) * (p * (1 - p) / nn + z * z / (4 * nn * nn)).sqrt()
    ok = pl.col(n) > 0
    return [
        pl.when(ok).then((centre - half).clip(lower_bound=0.0)).alias("ci_low"),
        pl.when(ok).then((centre + half).clip(upper_bound=1.0)).alias("ci_high"),
    ]


def complaints_vs_churn(facts: pl.DataFrame, churned: pl.DataFrame, cfg: CrmConfig) -> pl.DataFrame:
    """Churn rate of customers by how their complaints were handled, with Wilson intervals.

    `churned`: one row per customer (customer_id, churned: bool), the population. Each
    customer falls in the worst group of their complaints: unresolved (any complaint still
    open on as_of) > resolved_late (any past the SLA) > resolved_in_sla; no_complaint when
    none. Customers whose complaints were all resolved with unknown days form the extra group
    "resolved_days_unknown" (listed only when there are any). Columns: group, customers,
    churned, churn_rate, ci_low, ci_high (ci at cfg.ci_level); when `churned` also has a
    numeric `value` column (e.g. `yearly_revenue`), lost_value = the sum of value over the
    group's lost customers: what those lost relationships used to bring.
    """
    has_value = "value" in churned.columns
    per_customer = (
        facts.lazy().filter(pl.col("customer_id").is_not_null())
        .group_by("customer_id")
        .agg(
            (~pl.col("resolved")).any().alias("_open"),
            pl.col("sla_breached").fill_null(False).any().alias("_late"),
            (pl.col("resolved") & pl.col("sla_breached").is_null()).all().alias("_unknown"),
        )
        .with_columns(
            pl.when(pl.col("_open")).then(pl.lit("unresolved"))
            .when(pl.col("_late")).then(pl.lit("resolved_late"))
            .when(pl.col("_unknown")).then(pl.lit(GROUP_DAYS_UNKNOWN))
            .otherwise(pl.lit("resolved_in_sla")).alias("group")
        )
        .select("customer_id", "group")
    )
    value = pl.col("value").cast(pl.Float64) if has_value else pl.lit(0.0)
    pop = churned.lazy().select(
        "customer_id", pl.col("churned").cast(pl.Boolean), value.alias("value")
    ).unique("customer_id", keep="first")
    counts = (
        pop.join(per_customer, on="customer_id", how="left")
        .with_columns(pl.col("group").fill_null("no_complaint"))
        .group_by("group")
        .agg(pl.len().cast(pl.Int64).alias("customers"),
             pl.col("churned").fill_null(False).sum().cast(pl.Int64).alias("churned"),
             pl.col("value").filter(pl.col("churned").fill_null(False)).sum()
             .alias("lost_value"))
        .collect()
    )
    groups = list(CHURN_GROUPS)
    if GROUP_DAYS_UNKNOWN in counts["group"].to_list():
        groups.append(GROUP_DAYS_UNKNOWN)
    out = (
        pl.DataFrame({"group": groups})
        .join(counts, on="group", how="left", maintain_order="left")
        .with_columns(pl.col("customers").fill_null(0), pl.col("churned").fill_null(0),
                      pl.col("lost_value").fill_null(0.0))
        .with_columns(
            pl.when(pl.col("customers") > 0)
            .then(pl.col("churned") / pl.col("customers")).alias("churn_rate"),
            *wilson_exprs("churned", "customers", cfg.ci_level),
        )
    )
    return out if has_value else out.drop("lost_value")


def yearly_revenue(occ: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """customer_id, yearly_revenue: net amount of the 365 days up to the customer's last
    purchase (to as_of), i.e. what the relationship brought per year before it ended. A
    later refund-only day does not move the end. `occ` is the purchase-occasion table
    (`crm_logic.occasions`; order lines are turned into it first)."""
    from crm_logic import occasions

    if "day" not in occ.columns:  # order lines
        occ = occasions.run_on(occ, as_of)
    days = occ.lazy().filter(pl.col("day") <= as_of)
    last = days.filter(pl.col("is_purchase")).group_by("customer_id").agg(
        pl.col("day").max().alias("_last"))
    return (
        days.join(last, on="customer_id")
        .filter(pl.col("day") <= pl.col("_last"),
                pl.col("day") > pl.col("_last") - pl.duration(days=365))
        .group_by("customer_id").agg(pl.col("revenue").sum().alias("yearly_revenue"))
        .sort("customer_id").collect()
    )


def churned_frame(data: Any, cfg: CrmConfig, as_of: dt.date) -> tuple[pl.DataFrame, str]:
    """(customer_id, churned) of every customer with a purchase up to `as_of`, and its
    source "lifecycle": the lifecycle's one lost rule (`crm_logic.lost`), the same that
    the churn lists and churn rate use. `data` is a `store.CrmData`; without purchases
    nobody can be called lost (empty)."""
    from crm_logic import occasions
    from crm_logic.lost import lost_at

    lost = lost_at(occasions.table(data, as_of, occasions.DAYS), data.customers, cfg, as_of)
    return lost.select("customer_id", "churned"), "lifecycle"
