"""Summaries of the lifecycle tables for the report and the page."""

from __future__ import annotations

import polars as pl

from crm_logic.lifecycle.periods import PATTERN_CODES, STAGES

# --- summaries for the report and the page ---------------------------------------------------


def lifecycle_counts(lifecycle: pl.DataFrame) -> dict[str, dict[str, int]]:
    """Report keys: customers {active, churned}, stages (active), patterns (churned)."""
    churned = int(lifecycle.get_column("churned").sum()) if lifecycle.height else 0
    active = lifecycle.filter(~pl.col("churned"))
    lost = lifecycle.filter(pl.col("churned"))
    stage_n = dict(active.group_by("lifecycle_stage").len().iter_rows())
    pattern_n = dict(lost.group_by("lifecycle_pattern").len().iter_rows())
    return {
        "customers": {"active": lifecycle.height - churned, "churned": churned},
        "stages": {s: int(stage_n.get(s, 0)) for s in STAGES},
        "patterns": {p: int(pattern_n.get(p, 0)) for p in PATTERN_CODES},
    }


def pattern_summary(lifecycle: pl.DataFrame) -> pl.DataFrame:
    """Per pattern of lost customers: customers, share, average lifetime and lifetime value.

    Lifetime value here is realised: the lost customer's total net revenue.
    Columns: lifecycle_pattern, customers, share, avg_lifetime_days, avg_lifetime_months,
    avg_value, total_value. All four patterns, in domain order.
    """
    lost = lifecycle.filter(pl.col("churned"))
    agg = lost.group_by("lifecycle_pattern").agg(
        pl.len().cast(pl.Int64).alias("customers"),
        pl.col("lifetime_days").mean().alias("avg_lifetime_days"),
        pl.col("revenue").mean().alias("avg_value"),
        pl.col("revenue").sum().alias("total_value"),
    )
    frame = pl.DataFrame({"lifecycle_pattern": list(PATTERN_CODES)}).join(
        agg, on="lifecycle_pattern", how="left", maintain_order="left"
    )
    total = max(lost.height, 1)
    return frame.with_columns(
        pl.col("customers").fill_null(0),
        pl.col("total_value").fill_null(0.0),
    ).with_columns(
        (pl.col("customers") / total).alias("share"),
        (pl.col("avg_lifetime_days") / 30.436875).alias("avg_lifetime_months"),
    ).select("lifecycle_pattern", "customers", "share", "avg_lifetime_days",
             "avg_lifetime_months", "avg_value", "total_value")


def life_curves(
    history: pl.DataFrame,
    lifecycle: pl.DataFrame,
    normalise: bool = False,
    min_customers: int = 5,
) -> pl.DataFrame:
    """Average smoothed volume by periods since start, per pattern, with a 25-75% band.

    Lost customers only. `normalise` divides each customer's curve by its own peak (0..1).
    Points with fewer than `min_customers` customers are left out (too noisy to read).
    Columns: lifecycle_pattern, period_index, customers, mean, p25, p75.
    """
    lost = lifecycle.filter(pl.col("churned")).select("customer_id", "lifecycle_pattern")
    value = pl.col("volume_smoothed")
    if normalise:
        peak = pl.col("volume_smoothed").max().over("customer_id")  # the customer's own peak
        value = pl.when(peak > 0).then(value / peak).otherwise(0.0)
    curves = (
        history.lazy()
        .join(lost.lazy(), on="customer_id", how="inner")
        .with_columns(value.alias("_v"))
        .group_by("lifecycle_pattern", "period_index")
        .agg(
            pl.len().cast(pl.Int64).alias("customers"),
            pl.col("_v").mean().alias("mean"),
            pl.col("_v").quantile(0.25).alias("p25"),
            pl.col("_v").quantile(0.75).alias("p75"),
        )
        .filter(pl.col("customers") >= min_customers)
        .collect()
    )
    order = pl.Enum(list(PATTERN_CODES))
    return (
        curves.with_columns(pl.col("lifecycle_pattern").cast(order))
        .sort("lifecycle_pattern", "period_index")
        .with_columns(pl.col("lifecycle_pattern").cast(pl.String))
    )


def stage_mix(history: pl.DataFrame, periods: int | None = 24) -> pl.DataFrame:
    """Customers per stage and period among relationships running in that period.

    The last `periods` periods (all when None). Columns: period_start, stage, customers, share.
    """
    frame = history.group_by("period_start", "stage").agg(
        pl.len().cast(pl.Int64).alias("customers")
    )
    if periods is not None and frame.height:
        starts = frame.get_column("period_start").unique().sort().tail(periods)
        frame = frame.filter(pl.col("period_start").is_in(starts.implode()))
    return (
        frame.with_columns(
            (pl.col("customers") / pl.col("customers").sum().over("period_start")).alias("share"),
            pl.col("stage").cast(pl.Enum(list(STAGES))).alias("_o"),
        )
        .sort("period_start", "_o")
        .drop("_o")
    )


def stage_transitions(history: pl.DataFrame, periods: int = 12) -> pl.DataFrame:
    """Where customers went over the last `periods` periods: from-state -> to-state counts.

    From: the stage in the period `periods` before the latest one, or "new" for relationships
    started since. To: the stage in the latest period, or "lost" when the relationship ended
    in between. Relationships that had ended before the window are left out.
    Columns: from_state, to_state, customers.
    """
    empty = pl.DataFrame(schema={"from_state": pl.String, "to_state": pl.String,
                                 "customers": pl.Int64})
    if history.height == 0:
        return empty
    latest = history.get_column("period_start").max()
    starts = history.get_column("period_start").unique().sort()
    start = starts.filter(starts <= latest).tail(periods + 1).item(0)
    per_customer = (
        history.lazy()
        .filter(pl.col("period_start") >= start)
        .group_by("customer_id")
        .agg(
            pl.col("stage").first().alias("_first"),
            pl.col("period_start").first().alias("_first_start"),
            pl.col("stage").last().alias("_last"),
            pl.col("churned").last().alias("_churned"),
        )
        .with_columns(
            pl.when(pl.col("_first_start") > start).then(pl.lit("new"))
            .otherwise(pl.col("_first")).alias("from_state"),
            pl.when(pl.col("_churned")).then(pl.lit("lost"))
            .otherwise(pl.col("_last")).alias("to_state"),
        )
        .group_by("from_state", "to_state")
        .agg(pl.len().cast(pl.Int64).alias("customers"))
        .sort("from_state", "to_state")
        .collect()
    )
    return per_customer if per_customer.height else empty


def cohort_retention(history: pl.DataFrame, cohorts: int = 24, offsets: int = 24) -> pl.DataFrame:
    """Share of each first-purchase cohort that bought again k periods after starting.

    The latest `cohorts` cohorts, offsets 0..`offsets`. Columns: cohort (first period start),
    cohort_size, period_index, customers (buyers in that period), retention (share).
    """
    starts = history.filter(pl.col("period_index") == 0).select(
        "customer_id", pl.col("period_start").alias("cohort")
    )
    if starts.height == 0:
        return pl.DataFrame(schema={"cohort": pl.Date, "cohort_size": pl.Int64,
                                    "period_index": pl.Int32, "customers": pl.Int64,
                                    "retention": pl.Float64})
    keep = starts.get_column("cohort").unique().sort().tail(cohorts)
    starts = starts.filter(pl.col("cohort").is_in(keep.implode()))
    sizes = starts.group_by("cohort").agg(pl.len().cast(pl.Int64).alias("cohort_size"))
    buyers = (
        history.filter((pl.col("occasions") > 0) & (pl.col("period_index") <= offsets))
        .join(starts, on="customer_id", how="inner")
        .group_by("cohort", "period_index")
        .agg(pl.len().cast(pl.Int64).alias("customers"))
    )
    return (
        buyers.join(sizes, on="cohort", how="left")
        .with_columns((pl.col("customers") / pl.col("cohort_size")).alias("retention"))
        .select("cohort", "cohort_size", "period_index", "customers", "retention")
        .sort("cohort", "period_index")
    )


def filter_lifecycle(
    lifecycle: pl.DataFrame,
    stages: list[str] | None = None,
    patterns: list[str] | None = None,
    churned: bool | None = None,
) -> pl.DataFrame:
    """Rows matching every given filter (None or empty list = no filter)."""
    cond = pl.lit(True)
    if stages:
        cond = cond & pl.col("lifecycle_stage").is_in(stages)
    if patterns:
        cond = cond & pl.col("lifecycle_pattern").is_in(patterns)
    if churned is not None:
        cond = cond & (pl.col("churned") == churned)
    return lifecycle.filter(cond)


def stage_periods(history: pl.DataFrame, customer_id: str) -> pl.DataFrame:
    """One customer's stage runs (for stage bands): stage, start, end (period starts)."""
    one = history.filter(pl.col("customer_id") == customer_id).sort("period_index")
    if one.height == 0:
        return pl.DataFrame(schema={"stage": pl.String, "start": pl.Date, "end": pl.Date})
    run = (pl.col("stage") != pl.col("stage").shift(1)).fill_null(True).cum_sum()
    return (
        one.with_columns(run.alias("_run"))
        .group_by("_run", maintain_order=True)
        .agg(pl.col("stage").first(), pl.col("period_start").min().alias("start"),
             pl.col("period_start").max().alias("end"))
        .drop("_run")
    )
