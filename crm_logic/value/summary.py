"""The per-customer summary (`SUMMARY_COLUMNS`) from the purchase-occasion table: the value
models' input and the value table's first columns (definitions: `crm_logic.segmentation`)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from crm_logic import occasions

SUMMARY_COLUMNS: tuple[str, ...] = (
    "customer_id", "first_order_date", "last_order_date", "orders", "occasions", "frequency",
    "recency_days", "T_days", "tenure_days", "days_since_last", "revenue", "margin_total",
    "historic_value", "monetary_value",
)


def _empty_summary() -> pl.DataFrame:
    """A summary without customers, with the summary's column types."""
    types = {"customer_id": pl.String, "first_order_date": pl.Date, "last_order_date": pl.Date,
             "revenue": pl.Float64, "margin_total": pl.Float64, "historic_value": pl.Float64,
             "monetary_value": pl.Float64}
    return pl.DataFrame(schema={c: types.get(c, pl.Int64) for c in SUMMARY_COLUMNS})


def _finish(cs: pl.DataFrame, as_of: dt.date, margin_share: float,
            margins: bool) -> pl.DataFrame:
    """SUMMARY_COLUMNS from per-customer totals (customer_id, orders, occasions, revenue,
    _first_day, _last_day, _buy_first, _buy_last, _buy_amount, _first_amount; with margins
    also _margin, _margin_n, _value): the one place both plans define the output."""
    as_of_no = (as_of - dt.date(1970, 1, 1)).days
    occasions = pl.col("occasions")
    bought = occasions > 0
    first_buy = pl.when(bought).then(pl.col("_buy_first"))
    last_buy = pl.when(bought).then(pl.col("_buy_last"))
    first_occ = pl.coalesce(first_buy, "_first_day")  # refund-only: the first line's day
    last_occ = pl.coalesce(last_buy, "_last_day")
    revenue = pl.col("revenue")
    if margins:
        margin_total = pl.when(pl.col("_margin_n") > 0).then(pl.col("_margin"))
        value = pl.col("_value")
    else:
        margin_total, value = pl.lit(None, pl.Float64), revenue * margin_share
    return cs.select(
        "customer_id",
        first_occ.cast(pl.Int32).cast(pl.Date).alias("first_order_date"),
        last_occ.cast(pl.Int32).cast(pl.Date).alias("last_order_date"),
        pl.col("orders").cast(pl.Int64), occasions.cast(pl.Int64),
        pl.when(bought).then(occasions - 1).cast(pl.Int64).alias("frequency"),
        (last_buy - first_buy).cast(pl.Int64).alias("recency_days"),
        (as_of_no - first_buy).cast(pl.Int64).alias("T_days"),
        (as_of_no - pl.col("_first_day")).cast(pl.Int64).alias("tenure_days"),
        (as_of_no - last_occ).cast(pl.Int64).alias("days_since_last"),
        revenue.cast(pl.Float64),
        margin_total.cast(pl.Float64).alias("margin_total"),
        value.cast(pl.Float64).alias("historic_value"),
        pl.when(occasions > 1)
        .then((pl.col("_buy_amount") - pl.col("_first_amount")) / (occasions - 1))
        .cast(pl.Float64).alias("monetary_value"),
    )


def summary_from_occasions(
    occ: pl.DataFrame, as_of: dt.date, margin_share: float = 1.0,
) -> pl.DataFrame:
    """`customer_summary` from the purchase-occasion table (`crm_logic.occasions`) up to
    `as_of`: one plain Polars group-by over customer-days (the lines were grouped in DuckDB).
    The table comes sorted by customer, then day (sorted here if not)."""
    occ = occ.filter(pl.col("day") <= as_of)
    if occ.height == 0:
        return _empty_summary()
    if not occasions.customer_day_sorted(occ):
        occ = occ.sort("customer_id", "day")
    margins = occ.get_column("margin").null_count() < occ.height
    buy = pl.col("is_purchase")
    day = pl.col("day").cast(pl.Int32).cast(pl.Int64)
    revenue = pl.col("revenue")
    pre = [pl.col("customer_id").set_sorted(), pl.when(buy).then(day).alias("_buy_day"),
           pl.when(buy).then(revenue).alias("_buy_rev")]
    aggs = [
        pl.col("orders").sum(), buy.sum().alias("occasions"), revenue.sum(),
        day.min().alias("_first_day"), day.max().alias("_last_day"),
        pl.col("_buy_day").min().alias("_buy_first"), pl.col("_buy_day").max().alias("_buy_last"),
        pl.col("_buy_rev").sum().alias("_buy_amount"),
        pl.col("_buy_rev").drop_nulls().first().alias("_first_amount"),  # days in date order
    ]
    if margins:
        margin = pl.col("margin")
        aggs += [margin.sum().alias("_margin"), margin.count().alias("_margin_n"),
                 (margin.fill_null(0.0).sum() + margin_share * pl.col("unmargined_revenue")
                  .sum()).alias("_value")]
    cs = occ.lazy().with_columns(pre).group_by("customer_id", maintain_order=True) \
        .agg(aggs).collect()
    return _finish(cs, as_of, margin_share, margins)


def customer_summary(
    orders: pl.DataFrame | pl.LazyFrame, as_of: dt.date, margin_share: float = 1.0,
) -> pl.DataFrame:
    """One row per customer with at least one order line up to and including `as_of`.

    Columns: SUMMARY_COLUMNS (see the module docstring). `frequency`, `recency_days`,
    `T_days` and `monetary_value` are null for a customer without a purchase occasion
    (refund lines only). `margin_share` values revenue where no margin is given. Rows
    sorted by customer_id. Built from the occasion table of these lines (one DuckDB query);
    `value_table` reads the store's occasion table instead.
    """
    return summary_from_occasions(occasions.run_on(orders, as_of), as_of, margin_share)
