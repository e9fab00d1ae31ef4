"""Each relationship's rhythm and end: typical gap, lost threshold, churn date."""

from __future__ import annotations

import datetime as dt

import polars as pl

from crm_logic.config import CrmConfig
from crm_logic.lifecycle.periods import PERIOD_DAYS, _period_of, months_to_periods, period_index

_GAP_KEY = 2**32  # sort key of a gap between purchases: customer number * _GAP_KEY + days


def _recorded_churn_of(customers: pl.DataFrame | None, ids: pl.Series) -> pl.Series:
    """Recorded churn date (latest, where several rows exist) of each of `ids` (sorted).

    A binary search of the few customers with a churn date in the sorted ids (no hash join
    on text over every customer).
    """
    none = pl.repeat(None, ids.len(), dtype=pl.Date, eager=True)
    if (customers is None or "churn_date" not in customers.columns or customers.height == 0
            or ids.len() == 0):
        return none
    rec = (
        customers.lazy()
        .filter(pl.col("customer_id").is_not_null() & pl.col("churn_date").is_not_null())
        .group_by("customer_id")
        .agg(pl.col("churn_date").max())
        .collect()
    )
    pos = ids.search_sorted(rec.get_column("customer_id").cast(pl.String), side="left")
    found = (pos < ids.len()) & (ids.gather(pos.clip(0, ids.len() - 1))
                                 == rec.get_column("customer_id"))
    return none.scatter(
        pos.filter(found), rec.get_column("churn_date").cast(pl.Date).filter(found))


def population_gap(median: pl.Series, n_gaps: pl.Series, cfg: CrmConfig) -> float | None:
    """The population's typical gap: median of the typical gaps of customers with at least
    `churn_prior_gaps` gaps (all customers with a gap where none has that many)."""
    frame = pl.DataFrame({"m": median, "n": n_gaps})
    rich = frame.filter(pl.col("n") >= cfg.churn_prior_gaps)
    pool = rich if rich.height else frame.filter(pl.col("n") > 0)
    value = pool.get_column("m").median() if pool.height else None
    return None if value is None else float(value)  # type: ignore[arg-type]


def pulled_gap(cfg: CrmConfig, population: float | None) -> pl.Expr:
    """The customer's typical gap, pulled toward the population's with few gaps (needs
    `typical_gap_days`, `gaps`): with fewer than `churn_prior_gaps` gaps, a weighted mean of
    the customer's own (weight: its gaps) and the population's (the rest)."""
    k = float(max(cfg.churn_prior_gaps, 0))
    n = pl.col("gaps").cast(pl.Float64)
    own = pl.col("typical_gap_days")
    if population is None:
        return own
    return pl.when(n < k).then((own.fill_null(0.0) * n + population * (k - n)) / k
                               ).otherwise(own)


def lost_threshold(cfg: CrmConfig, population: float | None) -> pl.Expr:
    """Days of silence after which a customer is lost (needs `typical_gap_days`, `gaps`).

    max(`churn_gap_floor_days`, `churn_gap_multiple` x the (pulled, `pulled_gap`) typical
    gap). With fewer than `churn_prior_gaps` gaps the threshold is at most
    `churn_gap_cap_days` (never below the floor): one long gap says little about a rhythm.
    """
    few = pl.col("gaps") < cfg.churn_prior_gaps
    raw = pl.max_horizontal(pl.lit(float(cfg.churn_gap_floor_days)),
                            (pulled_gap(cfg, population) * cfg.churn_gap_multiple)
                            .fill_null(0.0))
    cap = float(max(cfg.churn_gap_cap_days, cfg.churn_gap_floor_days))
    return pl.when(few).then(pl.min_horizontal(raw, pl.lit(cap))).otherwise(raw)


def relationship_ends(
    occasions: pl.DataFrame, customers: pl.DataFrame | None, cfg: CrmConfig, as_of: dt.date,
    ids: pl.Series | None = None, population: float | None = None,
) -> pl.DataFrame:
    """Per customer with a purchase, from `purchase_occasions`: rhythm and churn.

    `population` (the population's typical gap, `population_gap`) is computed from these
    occasions unless given (when they are a subset of the customers).

    `ids` (customer_id by customer number c) stands in for the occasions' customer_id column.

    Columns: c, customer_id, first_purchase, last_purchase, occasions, revenue,
    typical_gap_days (median days between purchase occasions), churn_gap_days, days_since_last,
    churned, churn_date, churn_source, start_period, end_period (absolute period numbers),
    window (smoothing window in periods). Sorted by c (= customer_id order).
    """
    period = cfg.lifecycle_period
    day = pl.col("order_date")
    same = pl.col("c") == pl.col("c").shift(1)
    bought = occasions.filter(pl.col("purchase"))
    # sorted by customer then day: first and last purchase are each customer's first and
    # last rows (run boundaries), only the median gap needs a group-by
    n_buys = bought.get_column("c").rle().struct.field("len").cast(pl.Int64)
    last_row = n_buys.cum_sum() - 1
    first_row = last_row - n_buys + 1
    # median gap: gaps sorted within each customer by one integer sort (customer, gap), then
    # the middle one or two of each customer's run (no per-group sorting)
    n_gaps = n_buys - 1
    gap_key = (
        bought.lazy()
        .select(pl.when(same).then(pl.col("c").cast(pl.UInt64) * pl.lit(_GAP_KEY, pl.UInt64)
                                   + (day - day.shift(1)).dt.total_days().cast(pl.UInt64))
                .alias("_k"))
        .drop_nulls()
        .sort("_k")
        .collect()
        .get_column("_k")
    )
    if gap_key.len():
        gap = (gap_key % _GAP_KEY).cast(pl.Float64)
        gap_first = n_gaps.cum_sum() - n_gaps
        top = gap_key.len() - 1
        lo = gap.gather((gap_first + (n_gaps - 1) // 2).clip(0, top))
        hi = gap.gather((gap_first + n_gaps // 2).clip(0, top))
        median = pl.select(pl.when(pl.lit(n_gaps) > 0).then((pl.lit(lo) + pl.lit(hi)) / 2.0)
                           .otherwise(None)).to_series()
        # the upper-quartile gap sets the smoothing window: purchases that come in clusters
        # (two days in one month) must not hide the longer gaps between the clusters
        q3 = gap.gather((gap_first + n_gaps - 1 - (n_gaps - 1) // 4).clip(0, top))
        upper = pl.select(pl.when(pl.lit(n_gaps) > 0).then(pl.lit(q3)).otherwise(None)
                          ).to_series()
        second = gap.gather((gap_first + n_gaps - 2).clip(0, top))
        repeated = pl.select(pl.when(pl.lit(n_gaps) > 1).then(pl.lit(second))
                             .otherwise(None)).to_series()
    else:
        median = pl.repeat(None, n_buys.len(), dtype=pl.Float64, eager=True)
        upper = repeated = median
    buys = bought.select(
        pl.col("c").gather(first_row),
        day.gather(first_row).alias("first_purchase"),
        day.gather(last_row).alias("last_purchase"),
        pl.lit(n_buys.cast(pl.UInt32)).alias("occasions"),
        pl.lit(median).alias("typical_gap_days"),
        pl.lit(upper).alias("_upper_gap"),
        pl.lit(repeated).alias("_repeated_gap"),
        pl.lit(n_gaps.cast(pl.Int32)).alias("gaps"),
        (pl.col("customer_id").gather(first_row) if ids is None
         else pl.lit(ids).gather(pl.col("c").gather(first_row))).alias("customer_id"),
    )
    # revenue over every order day (refund-only days too), per customer number (sorted)
    revenue = (
        occasions.lazy().with_columns(pl.col("c").set_sorted())
        .group_by("c", maintain_order=True).agg(pl.col("revenue").sum())
        .collect()
    )
    at = revenue.get_column("c").search_sorted(buys.get_column("c"))
    buys = buys.with_columns(
        revenue.get_column("revenue").gather(at).alias("revenue"),
        _recorded_churn_of(customers, buys.get_column("customer_id")).alias("recorded_churn"),
    ).lazy()
    if population is None:
        population = population_gap(median, n_gaps, cfg)
    # a gap the customer has shown twice (the second-longest) is part of its rhythm: a
    # seasonal or yearly buyer is not lost within it
    threshold = pl.max_horizontal(
        lost_threshold(cfg, population),
        (pl.col("_repeated_gap") * cfg.churn_repeat_gap_multiple).fill_null(0.0))
    is_recorded = (
        pl.col("recorded_churn").is_not_null()
        & (pl.col("recorded_churn") <= as_of)
        & (pl.col("recorded_churn") >= pl.col("last_purchase"))
    )
    last_complete = _period_of(as_of + dt.timedelta(days=1), period) - 1
    last_period = period_index(pl.col("last_purchase"), period)
    window_min = months_to_periods(cfg.smoothing_months, period)
    window_max = max(window_min, months_to_periods(cfg.smoothing_max_months, period))
    window = (
        (pl.col("_upper_gap") / PERIOD_DAYS[period] * cfg.smoothing_gap_multiple).round()
        .fill_null(window_min).clip(window_min, window_max).cast(pl.Int32)
    )
    return (
        buys.with_columns(
            threshold.alias("churn_gap_days"),
            pulled_gap(cfg, population).alias("pulled_gap_days"),
            (pl.lit(as_of) - pl.col("last_purchase")).dt.total_days().cast(pl.Int32)
            .alias("days_since_last"),
            is_recorded.alias("_recorded"),
        )
        .with_columns(
            (pl.col("_recorded") | (pl.col("days_since_last") > pl.col("churn_gap_days")))
            .alias("churned")
        )
        .with_columns(
            pl.when(pl.col("_recorded")).then(pl.col("recorded_churn"))
            .when(pl.col("churned")).then(pl.col("last_purchase"))
            .otherwise(None).alias("churn_date"),
            pl.when(pl.col("_recorded")).then(pl.lit("recorded"))
            .when(pl.col("churned")).then(pl.lit("inactivity"))
            .otherwise(None).alias("churn_source"),
            period_index(pl.col("first_purchase"), period).alias("start_period"),
            pl.when(pl.col("churned")).then(last_period)
            .otherwise(pl.max_horizontal(last_period, pl.lit(last_complete, pl.Int32)))
            .alias("end_period"),
            window.alias("window"),
        )
        .drop("_recorded", "recorded_churn", "_upper_gap", "_repeated_gap")
        .collect()
    )
