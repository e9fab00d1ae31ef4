"""Who is lost, and since when: the lifecycle's one rule, at any cut-off.

The rule is `crm_logic.lifecycle.current_ends` (a recorded churn_date on or before the
cut-off and not followed by a purchase; else no purchase for longer than the customer's lost
threshold — see the README's lifecycle section — dated at the last purchase; a purchase after
such a silence starts a new relationship, which is the one judged). The lifecycle table
carries it as `churned` / `churn_date`; churn's lists, churn rate, model training and
backtest, and the complaints-vs-churn view read the same columns, through `lost_at` where no
lifecycle table is at hand (a past cut-off).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from crm_logic.config import CrmConfig

LOST_SCHEMA: dict[str, pl.DataType] = {
    "customer_id": pl.String(), "churned": pl.Boolean(), "churn_date": pl.Date(),
    "churn_source": pl.String(), "last_purchase": pl.Date(),
}


def lost_at(
    occ: pl.DataFrame, customers: pl.DataFrame | None, cfg: CrmConfig, at: dt.date,
) -> pl.DataFrame:
    """Per customer with a purchase up to `at` (occasion table, `crm_logic.occasions`):
    customer_id, churned, churn_date, churn_source (recorded|inactivity), last_purchase.
    Sorted by customer_id."""
    from crm_logic.lifecycle import current_ends
    from crm_logic.lifecycle.days import numbered

    last = occ.get_column("day").max() if occ.height else None
    days = occ if isinstance(last, dt.date) and last <= at else occ.filter(pl.col("day") <= at)
    if days.height == 0:
        return pl.DataFrame(schema=LOST_SCHEMA)
    grid, ids = numbered(days)  # the lifecycle's own numbering of customers and days
    ends, _ = current_ends(grid, ids, customers, cfg, at)
    return ends.select(list(LOST_SCHEMA)).cast(LOST_SCHEMA)  # type: ignore[arg-type]


def lost_of(lifecycle: pl.DataFrame) -> pl.DataFrame:
    """The same columns from a lifecycle table (`customer_lifecycle`)."""
    cols = [pl.col("customer_id").cast(pl.String), pl.col("churned").fill_null(False),
            (pl.col("churn_date") if "churn_date" in lifecycle.columns
             else pl.lit(None)).cast(pl.Date).alias("churn_date"),
            (pl.col("churn_source") if "churn_source" in lifecycle.columns
             else pl.lit(None)).cast(pl.String).alias("churn_source"),
            (pl.col("last_purchase") if "last_purchase" in lifecycle.columns
             else pl.lit(None)).cast(pl.Date).alias("last_purchase")]
    return lifecycle.select(cols)
