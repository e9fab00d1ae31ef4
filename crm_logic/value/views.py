"""Summaries the Value page shows: tiers, the Pareto curve, the RFM grid, segments."""

from __future__ import annotations

import polars as pl

from crm_logic.codes import TIERS
from crm_logic.value.rfm import RFM_SEGMENTS


def tier_summary(table: pl.DataFrame) -> pl.DataFrame:
    """Per tier (all four, platinum first): customers, customer_share, value, value_share,
    avg_lifetime_value. Shares are of all customers / of total lifetime value."""
    total_n = max(table.height, 1)
    total_v = float(table.get_column("lifetime_value").sum()) if table.height else 0.0
    got = table.group_by("value_tier").agg(
        pl.len().cast(pl.Int64).alias("customers"),
        pl.col("lifetime_value").sum().alias("value"),
    )
    base = pl.DataFrame({"value_tier": list(TIERS)})
    return (
        base.join(got, on="value_tier", how="left")
        .with_columns(pl.col("customers").fill_null(0), pl.col("value").fill_null(0.0))
        .with_columns(
            (pl.col("customers") / total_n).alias("customer_share"),
            (pl.col("value") / total_v if total_v else pl.lit(None, pl.Float64))
            .alias("value_share"),
            pl.when(pl.col("customers") > 0).then(pl.col("value") / pl.col("customers"))
            .alias("avg_lifetime_value"),
        )
        .select("value_tier", "customers", "customer_share", "value", "value_share",
                "avg_lifetime_value")
    )


def pareto_curve(table: pl.DataFrame) -> pl.DataFrame:
    """share_customers vs share_value, customers by lifetime value largest first.

    Negative lifetime values are kept, so the curve can rise above 100% and sink back: the
    "whale curve" showing how much value the unprofitable customers destroy.
    Starts at (0, 0); empty when total value <= 0.
    """
    schema = {"share_customers": pl.Float64, "share_value": pl.Float64}
    if table.height == 0:
        return pl.DataFrame(schema=schema)
    total = float(table.get_column("lifetime_value").sum())
    if total <= 0:
        return pl.DataFrame(schema=schema)
    curve = (
        table.select("customer_id", "lifetime_value")
        .sort(["lifetime_value", "customer_id"], descending=[True, False])
        .select(
            ((pl.int_range(pl.len()) + 1) / pl.len()).alias("share_customers"),
            (pl.col("lifetime_value").cum_sum() / total).alias("share_value"),
        )
    )
    return pl.concat([pl.DataFrame({"share_customers": [0.0], "share_value": [0.0]}), curve])


def rfm_grid(table: pl.DataFrame, bins: int) -> pl.DataFrame:
    """Every (r_score, f_score) cell 1..bins: customers and avg_lifetime_value."""
    cells = pl.DataFrame({"r_score": list(range(1, bins + 1))}).join(
        pl.DataFrame({"f_score": list(range(1, bins + 1))}), how="cross"
    ).cast(pl.Int64)
    got = table.group_by("r_score", "f_score").agg(
        pl.len().cast(pl.Int64).alias("customers"),
        pl.col("lifetime_value").mean().alias("avg_lifetime_value"),
    )
    return (
        cells.join(got, on=["r_score", "f_score"], how="left")
        .with_columns(pl.col("customers").fill_null(0))
        .sort("r_score", "f_score")
    )


def segment_summary(table: pl.DataFrame) -> pl.DataFrame:
    """Per RFM segment (all, in RFM_SEGMENTS order): customers, share, value,
    avg_lifetime_value."""
    total_n = max(table.height, 1)
    got = table.group_by("rfm_segment").agg(
        pl.len().cast(pl.Int64).alias("customers"),
        pl.col("lifetime_value").sum().alias("value"),
    )
    return (
        pl.DataFrame({"rfm_segment": list(RFM_SEGMENTS)})
        .join(got, on="rfm_segment", how="left")
        .with_columns(pl.col("customers").fill_null(0), pl.col("value").fill_null(0.0))
        .with_columns(
            (pl.col("customers") / total_n).alias("share"),
            pl.when(pl.col("customers") > 0).then(pl.col("value") / pl.col("customers"))
            .alias("avg_lifetime_value"),
        )
    )
