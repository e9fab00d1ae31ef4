"""Churn features per customer: purchase days from the occasion table, rhythm,
recent window against the baseline, complaints."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from crm_logic import occasions
from crm_logic.complaints import status_code_expr
from crm_logic.config import CrmConfig
from crm_logic.store import CrmData


def _days(a: pl.Expr, b: pl.Expr | dt.date) -> pl.Expr:
    """Whole days from b to a (a - b) as Float64."""
    other = pl.lit(b, dtype=pl.Date) if isinstance(b, dt.date) else b
    return (a - other).dt.total_days().cast(pl.Float64)


# --- features ------------------------------------------------------------------------------


def _lazy(df: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
    return df.lazy() if isinstance(df, pl.DataFrame) else df


def order_features(
    orders: pl.DataFrame | pl.LazyFrame, cfg: CrmConfig, as_of: dt.date
) -> pl.LazyFrame:
    """Per customer with a purchase up to `as_of`: occasions, rhythm, recent vs baseline.

    Columns: customer_id, first_date, last_date, occasions, recent_occasions, revenue,
    recent_spend, tenure_days, days_since_last, mean_gap, baseline_days, population_gap,
    expected_gap, baseline_ok, value_at_stake (yearly spend: what leaving would cost),
    frequency_ratio, spend_ratio.
    """
    return _order_features_at(purchase_days(orders, as_of), cfg, as_of).drop("_cust").lazy()


def data_features(data: CrmData, cfg: CrmConfig, as_of: dt.date) -> pl.DataFrame:
    """`order_features` of the store's occasion table (no pass over the lines)."""
    return _order_features_at(days_of(data, as_of), cfg, as_of).drop("_cust")


# --- purchase days: the one pass over the order lines -------------------------------------


@dataclass(frozen=True)
class PurchaseDays:
    """Order lines up to `as_of` summed per customer and calendar day, sorted by customer,
    then day (numpy columns, one entry per customer-day).

    Built once per analysis (`purchase_days`): the features at `as_of` and at the training
    cut-off, the training label and the recorded-churn check all derive from it, so the large
    order table is read and grouped only once.
    """

    as_of: dt.date
    customer_id: pl.Series  # one per customer, in this table's customer order
    cust: np.ndarray  # int64 index into customer_id, per customer-day
    day: np.ndarray  # int64 days since 1970-01-01
    spend: np.ndarray  # float64 net spend of the day (refund lines lower it)
    buy: np.ndarray  # bool: the day is a purchase occasion (occasions.is_purchase_day)
    starts: np.ndarray  # int64 first customer-day row of each customer

    @property
    def customers(self) -> int:
        """Number of customers with an order line up to `as_of`."""
        return self.customer_id.len()


def purchase_days(orders: pl.DataFrame | pl.LazyFrame, as_of: dt.date) -> PurchaseDays:
    """Order lines up to and including `as_of` per customer-day (through the occasion
    table, `crm_logic.occasions`)."""
    return purchase_days_of(occasions.run_on(orders, as_of), as_of)


def purchase_days_of(occ: pl.DataFrame, as_of: dt.date) -> PurchaseDays:
    """`PurchaseDays` from the purchase-occasion table (cut at `as_of`)."""
    occ = occ.filter(pl.col("day") <= as_of)
    if not occasions.customer_day_sorted(occ):
        occ = occ.sort("customer_id", "day")
    ids = occ.get_column("customer_id")
    new_cust = (ids != ids.shift(1)).fill_null(True).to_numpy()
    cust = np.cumsum(new_cust) - 1
    return PurchaseDays(
        as_of=as_of,
        customer_id=ids.filter(pl.Series(new_cust)),
        cust=cust.astype(np.int64),
        day=occ.get_column("day").cast(pl.Int32).to_numpy().astype(np.int64),
        spend=occ.get_column("revenue").to_numpy(),
        buy=occ.get_column("is_purchase").to_numpy(),
        starts=np.flatnonzero(new_cust).astype(np.int64),
    )


def days_of(data: CrmData, as_of: dt.date) -> PurchaseDays:
    """`PurchaseDays` of the store's occasion table up to `as_of`."""
    return purchase_days_of(occasions.table(data, as_of, occasions.DAYS), as_of)


def _epoch(day: dt.date) -> int:
    """Days since 1970-01-01 (the physical value of a polars Date)."""
    return (day - dt.date(1970, 1, 1)).days


def _order_features_at(days: PurchaseDays, cfg: CrmConfig, at: dt.date) -> pl.DataFrame:
    """`order_features` at `at` (on or before days.as_of) from the purchase days, plus
    `_cust` (the customer's index in `days`)."""
    if at > days.as_of:
        raise ValueError("features after the purchase days' as_of")
    window = int(cfg.recent_window_days)
    n = days.customers
    upto = days.day <= _epoch(at)
    occ = days.buy & upto
    recent = days.day > _epoch(at - dt.timedelta(days=window))
    in_year = days.day > _epoch(at - dt.timedelta(days=int(cfg.horizon_days)))
    spend = np.where(upto, days.spend, 0.0)

    def per_customer(weights: np.ndarray) -> np.ndarray:
        return np.bincount(days.cust, weights=weights, minlength=n)

    big = np.iinfo(np.int64).max
    if n:
        first = np.minimum.reduceat(np.where(occ, days.day, big), days.starts)
        last = np.maximum.reduceat(np.where(occ, days.day, -big), days.starts)
    else:
        first = last = np.zeros(0, dtype=np.int64)
    raw = pl.DataFrame({
        "customer_id": days.customer_id,
        "_cust": np.arange(n, dtype=np.int64),
        "first_date": first,
        "last_date": last,
        "occasions": np.bincount(days.cust[occ], minlength=n).astype(np.int64),
        "recent_occasions": np.bincount(days.cust[occ & recent], minlength=n).astype(np.int64),
        "revenue": per_customer(spend),
        "recent_spend": per_customer(np.where(recent, spend, 0.0)),
        "year_spend": per_customer(np.where(in_year, spend, 0.0)),
    }).filter(pl.col("occasions") > 0).with_columns(
        pl.col("first_date", "last_date").cast(pl.Int32).cast(pl.Date)
    )
    return _derive_features(raw.lazy(), cfg, at).collect()


def _derive_features(per: pl.LazyFrame, cfg: CrmConfig, as_of: dt.date) -> pl.LazyFrame:
    """Rhythm, baseline and trend columns from the per-customer sums (see order_features)."""
    window = int(cfg.recent_window_days)
    recent_start = as_of - dt.timedelta(days=window)  # the recent window is (recent_start, as_of]
    span = _days(pl.col("last_date"), pl.col("first_date"))
    gaps = (pl.col("occasions") - 1).cast(pl.Float64)
    mean_gap = pl.when(gaps > 0).then(span / gaps).otherwise(None)
    per = per.with_columns(
        tenure_days=_days(pl.lit(as_of, dtype=pl.Date), pl.col("first_date")),
        days_since_last=_days(pl.lit(as_of, dtype=pl.Date), pl.col("last_date")),
        span_days=span,
        mean_gap=mean_gap,
        baseline_days=_days(pl.lit(recent_start, dtype=pl.Date), pl.col("first_date")) + 1.0,
        baseline_occasions=pl.col("occasions") - pl.col("recent_occasions"),
        baseline_spend=pl.col("revenue") - pl.col("recent_spend"),
    )
    # population rhythm: median gap of repeat buyers (fallback: the recent window)
    pop_gap = pl.col("mean_gap").median().fill_null(float(window)).clip(lower_bound=1.0)
    per = per.with_columns(
        population_gap=pop_gap,
        # one pseudo-gap of the population's typical length shrinks noisy own rhythms
        expected_gap=((pl.col("span_days") + pop_gap) / (gaps + 1.0)).clip(lower_bound=1.0),
        baseline_ok=(pl.col("baseline_days") >= window) & (pl.col("baseline_occasions") >= 2),
        # value at stake: net spend of the last `horizon_days` (what a year of it is worth)
        value_at_stake=pl.col("year_spend").clip(lower_bound=0.0),
    )
    base_rate = pl.col("baseline_occasions") / pl.col("baseline_days")
    recent_rate = pl.col("recent_occasions") / float(window)
    base_spend_rate = pl.col("baseline_spend") / pl.col("baseline_days")
    recent_spend_rate = pl.col("recent_spend") / float(window)
    return per.with_columns(
        frequency_ratio=pl.when(pl.col("baseline_ok")).then(recent_rate / base_rate),
        spend_ratio=pl.when(pl.col("baseline_ok") & (pl.col("baseline_spend") > 0)).then(
            recent_spend_rate / base_spend_rate
        ),
    ).drop("span_days", "baseline_occasions", "baseline_spend", "year_spend")


def complaint_features(
    complaints: pl.DataFrame | pl.LazyFrame, cfg: CrmConfig, as_of: dt.date
) -> pl.LazyFrame:
    """Per customer with a complaint up to `as_of`: open, late and recent complaint counts.

    A complaint is open at `as_of` unless its resolved_date is on or before `as_of` (a status
    of "resolved" without a date counts as resolved; a later resolved_date does not). Late:
    took (or is taking) longer than `sla_days`, counted when open or received in the recent
    window. Columns: customer_id, complaints_open, complaints_late, complaints_recent.
    """
    as_of_lit = pl.lit(as_of, dtype=pl.Date)
    recent_start = as_of - dt.timedelta(days=int(cfg.recent_window_days))
    c = _lazy(complaints).filter(
        pl.col("received_date") <= as_of_lit, pl.col("customer_id").is_not_null()
    )
    resolved = pl.col("resolved_date").is_not_null() & (pl.col("resolved_date") <= as_of_lit)
    # same status words as the complaints area: "resolved" without a date counts as resolved
    closed_no_date = pl.col("resolved_date").is_null() & (
        status_code_expr("status").fill_null("open") == "resolved"
    )
    is_open = ~resolved & ~closed_no_date
    end = pl.when(resolved).then(pl.col("resolved_date")).otherwise(as_of_lit)
    late = (~closed_no_date) & (_days(end, pl.col("received_date")) > float(cfg.sla_days))
    recent = pl.col("received_date") > pl.lit(recent_start, dtype=pl.Date)
    return c.group_by("customer_id").agg(
        complaints_open=is_open.sum().cast(pl.Int64),
        complaints_late=(late & (is_open | recent)).sum().cast(pl.Int64),
        complaints_recent=recent.sum().cast(pl.Int64),
    )


def customer_features(data: CrmData, cfg: CrmConfig, as_of: dt.date) -> pl.LazyFrame:
    """Order and complaint features per customer with a purchase up to `as_of` (lazy)."""
    return _features_at(days_of(data, as_of), data.complaints, cfg, as_of).drop("_cust").lazy()


def _features_at(
    days: PurchaseDays, complaints: pl.DataFrame | pl.LazyFrame, cfg: CrmConfig, at: dt.date
) -> pl.DataFrame:
    """`customer_features` at `at` from the purchase days (plus `_cust`), row order kept."""
    feats = _order_features_at(days, cfg, at)
    counts = ["complaints_open", "complaints_late", "complaints_recent"]
    comp = complaint_features(complaints, cfg, at).collect()
    if comp.height == 0:
        return feats.with_columns(pl.lit(0, dtype=pl.Int64).alias(c) for c in counts)
    return feats.join(comp, on="customer_id", how="left", maintain_order="left").with_columns(
        pl.col(c).fill_null(0) for c in counts
    )


def model_inputs() -> list[pl.Expr]:
    """The classifier's inputs: scale-free signals relative to each customer's own history."""
    trend_floor = 0.05  # ratios below are "stopped"; log keeps rises and falls symmetric

    def trend(col: str) -> pl.Expr:
        ratio = pl.col(col).clip(lower_bound=trend_floor)
        return pl.when(pl.col(col).is_not_null()).then(ratio.log()).otherwise(0.0)

    # spend per occasion against the population's median: big spenders leave less often
    spend = (pl.col("revenue") / pl.col("occasions")).clip(lower_bound=0.01)
    return [
        (pl.col("days_since_last") / pl.col("expected_gap")).log1p().alias("x_gap"),
        (pl.col("days_since_last") / pl.col("population_gap")).log1p().alias("x_recency"),
        (pl.col("days_since_last") / pl.col("tenure_days").clip(lower_bound=1.0)).alias(
            "x_tenure_share"
        ),
        pl.col("occasions").cast(pl.Float64).log().alias("x_occasions"),
        (pl.col("tenure_days") / pl.col("population_gap")).log1p().alias("x_tenure"),
        (spend.log() - spend.log().median()).fill_null(0.0).alias("x_spend_level"),
        (pl.col("occasions") == 1).cast(pl.Float64).alias("x_one_time"),
        trend("frequency_ratio").alias("x_frequency_trend"),
        trend("spend_ratio").alias("x_spend_trend"),
        (pl.col("complaints_open") > 0).cast(pl.Float64).alias("x_complaint_open"),
        (pl.col("complaints_late") > 0).cast(pl.Float64).alias("x_complaint_late"),
        (pl.col("complaints_recent") > 0).cast(pl.Float64).alias("x_complaint_repeat"),
    ]
