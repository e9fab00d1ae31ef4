"""Customer lifecycle: volume series, stage per period, end of relationship, life-curve pattern.

The domain (../shared/domain.md, source 001) describes a relationship as four stages:
exploration (trial orders), formation (volume rising), stability (a plateau near the
customer's own peak) and decline (volume well below the peak, staying there). The curve of
volume over relationship time is the customer's life curve; lost customers are classified by
the stage the relationship reached before it ended: early abort (exploration), mid-term abort
(formation), early exit (short stability), long-term (long stability).

Everything is vectorised (Polars, and NumPy for a stable integer sort, per-period sums and the
running peak) over a dense (customer, period) series sorted by customer and period; no Python
loop per customer, no hashed group-by or join on the text id over every line (see
`_customer_day_order`). All rules and thresholds come from `CrmConfig`:

1. Volume per period: net revenue (or the number of purchase occasions, `lifecycle_volume`).
   Purchase occasions follow the project's one rule (`crm_logic.occasions`): a customer's
   calendar day with at least one line with amount >= 0 is one occasion; a day of refunds
   only lowers revenue but is no purchase. Revenue per day is the day's net amount.
2. Smoothing: centred mean (periods before the first purchase count as zero), window
   `smoothing_months`, widened to cover `smoothing_gap_multiple` typical gaps of the customer
   (capped at `smoothing_max_months`), so a customer who buys every two months is not seen
   rising and falling between purchases.
3. Peak: the running maximum of the smoothed volume (the customer's own peak so far).
4. Exploration: the first period, and every period while the customer has made at most
   `exploration_max_occasions` purchase occasions.
5. Rising: the peak grew by more than `rise_min_growth` within the last `rise_months`.
6. Plateau: not exploration, smoothed volume >= `stability_peak_share` x peak and not rising.
   Stability starts with a plateau lasting at least `stability_min_months` and lasts (through
   small dips) until a decline.
7. Decline: smoothed volume < `decline_peak_share` x peak for at least `decline_min_months`.
8. Formation: past exploration, neither stability nor decline.
9. End of the relationship: the recorded `churn_date` (when on or before as_of and not
   followed by a purchase), else no purchase for longer than max(`churn_gap_floor_days`,
   `churn_gap_multiple` x the customer's median gap between purchase occasions); a churn
   found from inactivity is dated at the last purchase. A lost customer's series ends in
   the period of the last purchase; an active customer's runs to the last complete period
   before as_of (or the period of the last purchase, if later). A series starts in the
   period of the first purchase: refund-only days outside it have no period of their own
   (they still count in the customer's total revenue).
10. Pattern of a lost customer by the highest stage reached: exploration -> early_abort,
    formation -> mid_term_abort, stability shorter than `long_term_min_months` ->
    early_exit, else long_term. Active customers have no pattern.

Stages are labelled with hindsight up to as_of: a plateau or decline run counts from its
first period once it has lasted long enough, so the latest periods can change as data comes.
Durations are in months whatever the period (week, month, quarter): `months_to_periods`.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from crm_logic.config import CrmConfig
from crm_logic.occasions import (
    HASH_SEEDS,
    customer_day_order,
    in_customer_order,
    is_purchase_day,
)
from crm_logic.store import CrmData

STAGES: tuple[str, ...] = ("exploration", "formation", "stability", "decline")
PATTERNS: tuple[str, ...] = ("early_abort", "mid_term_abort", "early_exit", "long_term")
PERIODS: tuple[str, ...] = ("week", "month", "quarter")
VOLUMES: tuple[str, ...] = ("revenue", "occasions")
PERIODS_PER_MONTH: dict[str, float] = {"week": 52.1775 / 12, "month": 1.0, "quarter": 1 / 3}
PERIOD_DAYS: dict[str, float] = {"week": 7.0, "month": 30.436875, "quarter": 91.310625}
_WEEK_ZERO = dt.date(1970, 1, 5)  # a Monday: week periods start on Mondays

SERIES_SCHEMA: dict[str, pl.DataType] = {
    "customer_id": pl.String(),
    "period_start": pl.Date(),
    "period_index": pl.Int32(),
    "occasions": pl.UInt32(),
    "revenue": pl.Float64(),
    "volume": pl.Float64(),
    "volume_smoothed": pl.Float64(),
    "peak_volume": pl.Float64(),
    "smoothing_window": pl.Int32(),
}
HISTORY_EXTRA: dict[str, pl.DataType] = {
    "churned": pl.Boolean(),
    "stage": pl.String(),
}
LIFECYCLE_SCHEMA: dict[str, pl.DataType] = {
    "customer_id": pl.String(),
    "churned": pl.Boolean(),
    "churn_date": pl.Date(),
    "churn_source": pl.String(),
    "lifecycle_stage": pl.String(),
    "lifecycle_pattern": pl.String(),
    "peak_stage": pl.String(),
    "stability_periods": pl.Int32(),
    "stability_months": pl.Float64(),
    "lifetime_days": pl.Int32(),
    "first_purchase": pl.Date(),
    "last_purchase": pl.Date(),
    "occasions": pl.UInt32(),
    "revenue": pl.Float64(),
    "typical_gap_days": pl.Float64(),
    "churn_gap_days": pl.Float64(),
    "days_since_last": pl.Int32(),
    "periods": pl.Int32(),
    "peak_volume": pl.Float64(),
    "current_volume": pl.Float64(),
    "share_of_peak": pl.Float64(),
}


# --- periods ---------------------------------------------------------------------------------


def _check(cfg: CrmConfig) -> None:
    """Fail early on a config the rules cannot use."""
    if cfg.lifecycle_period not in PERIODS:
        raise ValueError(f"lifecycle_period must be one of {PERIODS}: {cfg.lifecycle_period!r}")
    if cfg.lifecycle_volume not in VOLUMES:
        raise ValueError(f"lifecycle_volume must be one of {VOLUMES}: {cfg.lifecycle_volume!r}")


def months_to_periods(months: float, period: str) -> int:
    """A duration in months as a whole number of periods (at least one)."""
    return max(1, round(months * PERIODS_PER_MONTH[period]))


def period_index(date: pl.Expr, period: str) -> pl.Expr:
    """Absolute period number of a date (months since year 0, weeks since 1970-01-05, ...)."""
    if period == "month":
        return (date.dt.year().cast(pl.Int32) * 12 + date.dt.month().cast(pl.Int32) - 1)
    if period == "quarter":
        return (date.dt.year().cast(pl.Int32) * 4 + (date.dt.month().cast(pl.Int32) - 1) // 3)
    days = (date - pl.lit(_WEEK_ZERO)).dt.total_days()
    return (days // 7).cast(pl.Int32)


def period_start(index: pl.Expr, period: str) -> pl.Expr:
    """First day of the period with absolute number `index` (inverse of `period_index`)."""
    if period == "month":
        return pl.date(index // 12, index % 12 + 1, 1)
    if period == "quarter":
        return pl.date(index // 4, (index % 4) * 3 + 1, 1)
    return pl.lit(_WEEK_ZERO) + pl.duration(days=index.cast(pl.Int64) * 7)


def _period_of(day: dt.date, period: str) -> int:
    """`period_index` of one Python date."""
    return pl.select(period_index(pl.lit(day), period)).item()


# --- purchase occasions and the end of each relationship --------------------------------------

def _customer_day_order(
    lines: pl.DataFrame, hash_bits: int = 64,
) -> tuple[pl.DataFrame, pl.Series, bool]:
    """Order lines (customer_id, _d, amount) so that each customer's lines are contiguous and
    by day.

    Returns (ordered lines: _d, amount, `_new` = first line of a customer, `_day` = first
    line of a customer-day; the customer ids in the order met; whether that is customer_id
    order). Lines already sorted by customer_id (as the store reads them) are only ordered
    by day within the customer, on an integer key. Otherwise one value sort on a 64-bit hash
    of customer_id and the day (`occasions.customer_day_order`, shared with churn): no hashed
    group-by, no sort on text, no strings moved (one id per customer is gathered). A second,
    independent hash must agree within each customer; should two ids share a hash, exact
    dictionary codes decide instead. `hash_bits` (tests only) keeps fewer hash bits, to force
    collisions. Sorts are stable: a day's lines keep their order (sums reproducible).
    """
    day = pl.col("_d")
    cid = pl.col("customer_id")
    new = (cid != cid.shift(1)).fill_null(True)
    d_min = int(lines.get_column("_d").min())  # type: ignore[arg-type]
    d_max = int(lines.get_column("_d").max())  # type: ignore[arg-type]
    d_bits = max(1, (d_max - d_min).bit_length())
    by_day = (day - d_min).cast(pl.UInt64)
    in_id_order = in_customer_order(lines)
    if in_id_order:
        out = lines.with_columns(new.alias("_new"))
        ids = out.get_column("customer_id").filter(out.get_column("_new"))
        key = ((pl.col("_new").cum_sum().cast(pl.UInt64) * pl.lit(2**d_bits, pl.UInt64))
               + by_day).alias("_k")
        out = out.drop("customer_id").with_columns(key)  # no text moved by the sort
        if not out.get_column("_k").is_sorted():
            # stable; NumPy's argsort on the integer key is the fastest measured here
            out = out[np.argsort(out.get_column("_k").to_numpy(), kind="stable")]
            customer = pl.col("_k") // pl.lit(2**d_bits, pl.UInt64)
            out = out.with_columns((customer != customer.shift(1)).fill_null(True)
                                   .alias("_new"))  # a customer's first line after the sort
        out = out.drop("_k")
    else:
        hashes = lines.select(cid.hash(HASH_SEEDS[0]), cid.hash(HASH_SEEDS[1]).alias("_h2"))
        key = hashes.to_series(0).to_numpy()
        if hash_bits < 64:
            key = key >> np.uint64(64 - hash_bits)
        days = lines.get_column("_d").to_numpy()
        order = customer_day_order(key, days, hashes.to_series(1).to_numpy())
        if order is None:  # two ids share a hash: exact codes instead
            codes = lines.get_column("customer_id").cast(pl.Categorical).to_physical()
            order = customer_day_order(codes.to_numpy().astype(np.uint64), days, None)
        assert order is not None
        perm, sorted_key, sorted_day = order
        first = np.empty(perm.size, dtype=bool)
        first[0] = True
        np.not_equal(sorted_key[1:], sorted_key[:-1], out=first[1:])
        out = pl.DataFrame({
            "_d": pl.Series(sorted_day, dtype=pl.Int32),
            "amount": lines.get_column("amount").gather(pl.Series(perm)),
            "_new": first,
        })
        ids = lines.get_column("customer_id").gather(pl.Series(perm[np.flatnonzero(first)]))
    out = out.with_columns(
        (pl.col("_new") | (day != day.shift(1)).fill_null(True)).alias("_day")
    )
    return out, ids, in_id_order


def purchase_occasions(orders: pl.DataFrame | pl.LazyFrame, as_of: dt.date) -> pl.DataFrame:
    """One row per customer and order day up to as_of, sorted by customer then day.

    Columns: c (customer number, 0.. in customer_id order), customer_id, order_date, revenue
    (the day's net amount), purchase (`crm_logic.occasions.is_purchase_day`: the day holds a
    line with amount >= 0; a day holding only returns or refunds lowers revenue but is not a
    purchase occasion).
    """
    occ, ids = _occasions(orders, as_of)
    return occ.select("c", ids.gather(occ.get_column("c")).alias("customer_id"), "order_date",
                      "revenue", "purchase")


def _occasions(orders: pl.DataFrame | pl.LazyFrame, as_of: dt.date,
               ) -> tuple[pl.DataFrame, pl.Series]:
    """(`purchase_occasions` without customer_id, customer_id of each customer number c).

    The lines are ordered once by an integer key
    (`_customer_day_order`); customer-days are runs of that order, and only the distinct
    customer ids (not every line) are sorted as text to number customers.
    """
    lines = (
        orders.lazy()
        .filter(pl.col("customer_id").is_not_null() & pl.col("order_date").is_not_null()
                & (pl.col("order_date") <= as_of))
        .select(pl.col("customer_id").cast(pl.String), pl.col("order_date").cast(pl.Int32)
                .alias("_d"), pl.col("amount").cast(pl.Float64).fill_null(0.0))
        .collect()
    )
    if lines.height == 0:
        return pl.DataFrame(schema={"c": pl.UInt32, "order_date": pl.Date,
                                    "revenue": pl.Float64, "purchase": pl.Boolean}), \
            pl.Series("customer_id", [], dtype=pl.String)
    ordered, met_ids, in_id_order = _customer_day_order(lines)
    days = (
        ordered.with_columns(pl.col("_day").cum_sum().set_sorted().alias("_g"))
        .group_by("_g", maintain_order=True)  # sorted keys: no hashing
        .agg(pl.col("_new").first(), pl.col("_d").first(),
             pl.col("amount").sum().alias("revenue"), is_purchase_day().alias("purchase"))
    )
    if in_id_order:
        ids = met_ids
        c = (days.get_column("_new").cast(pl.UInt32).cum_sum() - 1).set_sorted()
        return days.select(c.alias("c"), pl.col("_d").cast(pl.Date).alias("order_date"),
                           "revenue", "purchase"), ids
    # customers in the order met (hash order) -> number c in customer_id order
    met = met_ids.to_frame("customer_id").with_columns(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("_m"))
    by_id = met.sort("customer_id")  # a frame sort (arg_sort on text is much slower)
    ids = by_id.get_column("customer_id")
    rank = by_id.get_column("_m").to_numpy()  # c -> met number
    # each customer's days are one block, blocks in met order; lay them out in c order
    first_rows = np.flatnonzero(days.get_column("_new").to_numpy())
    n_days = np.diff(np.append(first_rows, days.height))  # per met number
    n_by_c = n_days[rank]
    start_c = np.cumsum(n_by_c) - n_by_c
    order = np.repeat(first_rows[rank] - start_c, n_by_c) + np.arange(days.height)
    occ = days.select(
        pl.Series(np.repeat(np.arange(rank.size, dtype=np.uint32), n_by_c)).set_sorted()
        .alias("c"),
        pl.col("_d").gather(order).cast(pl.Date).alias("order_date"),
        pl.col("revenue").gather(order), pl.col("purchase").gather(order),
    )
    return occ, ids


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


def relationship_ends(
    occasions: pl.DataFrame, customers: pl.DataFrame | None, cfg: CrmConfig, as_of: dt.date,
    ids: pl.Series | None = None,
) -> pl.DataFrame:
    """Per customer with a purchase, from `purchase_occasions`: rhythm and churn.

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
    else:
        median = pl.repeat(None, n_buys.len(), dtype=pl.Float64, eager=True)
    buys = bought.select(
        pl.col("c").gather(first_row),
        day.gather(first_row).alias("first_purchase"),
        day.gather(last_row).alias("last_purchase"),
        pl.lit(n_buys.cast(pl.UInt32)).alias("occasions"),
        pl.lit(median).alias("typical_gap_days"),
        (pl.col("customer_id").gather(first_row) if ids is None
         else pl.lit(ids).gather(pl.col("c").gather(first_row))).alias("customer_id"),
    )
    # revenue over every order day (refund-only days too); customers are numbered 0.. densely
    revenue = (
        occasions.lazy().with_columns(pl.col("c").set_sorted())
        .group_by("c", maintain_order=True).agg(pl.col("revenue").sum())
        .collect().get_column("revenue")
    )
    buys = buys.with_columns(
        revenue.gather(buys.get_column("c")).alias("revenue"),
        _recorded_churn_of(customers, buys.get_column("customer_id")).alias("recorded_churn"),
    ).lazy()
    threshold = pl.max_horizontal(
        pl.lit(float(cfg.churn_gap_floor_days)),
        (pl.col("typical_gap_days") * cfg.churn_gap_multiple).fill_null(0.0),
    )
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
        (pl.col("typical_gap_days") / PERIOD_DAYS[period] * cfg.smoothing_gap_multiple).round()
        .fill_null(window_min).clip(window_min, window_max).cast(pl.Int32)
    )
    return (
        buys.with_columns(
            threshold.alias("churn_gap_days"),
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
        .drop("_recorded", "recorded_churn")
        .collect()
    )


# --- the volume series -----------------------------------------------------------------------


def _dense(occasions: pl.DataFrame, ends: pl.DataFrame, cfg: CrmConfig) -> pl.DataFrame:
    """The dense (customer, period) grid, sorted, with occasions and revenue per period.

    Customers are renumbered 0..n-1 in `ends` order (`g`). No join on the grid: each order
    day's grid row is computed (customer offset + periods since the customer's start) and the
    per-period sums are scattered into place.
    """
    period = cfg.lifecycle_period
    n_per = (ends.get_column("end_period") - ends.get_column("start_period") + 1).cast(pl.Int64)
    offset = n_per.cum_sum() - n_per
    total = int(n_per.sum()) if ends.height else 0
    # per occasion customer number c: grid row of period 0 (minus the start period) and the
    # customer's last grid row; null for customers without a purchase (not in `ends`)
    n_c = int(occasions.get_column("c").max() or 0) + 1 if occasions.height else 0
    ends_c = ends.get_column("c")
    base_of_c = pl.repeat(None, n_c, dtype=pl.Int64, eager=True).scatter(
        ends_c, offset - ends.get_column("start_period").cast(pl.Int64))
    first_of_c = pl.repeat(None, n_c, dtype=pl.Int64, eager=True).scatter(ends_c, offset)
    last_of_c = pl.repeat(None, n_c, dtype=pl.Int64, eager=True).scatter(
        ends_c, offset + n_per - 1)
    per = (
        occasions.lazy()
        .select(
            (pl.lit(base_of_c).gather(pl.col("c"))
             + period_index(pl.col("order_date"), period).cast(pl.Int64)).alias("_row"),
            pl.lit(first_of_c).gather(pl.col("c")).alias("_first"),
            pl.lit(last_of_c).gather(pl.col("c")).alias("_last"),
            "purchase", "revenue",
        )
        # only days inside the customer's own series: a refund-only day before the first
        # purchase or after a lost customer's end has no period of its own (its row would
        # fall into a neighbour's series); customers without a purchase (nulls) drop out
        .filter((pl.col("_row") >= pl.col("_first")) & (pl.col("_row") <= pl.col("_last")))
        .collect()
    )
    # sums per grid row in one pass each (bincount adds in row order, like a sorted group-by)
    rows = per.get_column("_row").to_numpy()
    occasions_n = np.bincount(rows, weights=per.get_column("purchase").to_numpy(),
                              minlength=total)
    revenue = np.bincount(rows, weights=per.get_column("revenue").to_numpy(), minlength=total)
    # customer number, position and what the rules need per grid row, laid out by repetition
    # (each customer's rows are contiguous): no gathers, no exploding of lists
    n_np = n_per.to_numpy()
    g = np.repeat(np.arange(ends.height, dtype=np.uint32), n_np)
    i = np.arange(total, dtype=np.int64) - np.repeat(offset.to_numpy(), n_np)
    window = ends.get_column("window")
    return pl.DataFrame({
        "c": pl.Series(g).set_sorted(),
        "occasions": pl.Series(occasions_n, dtype=pl.Float64).cast(pl.UInt32),
        "revenue": pl.Series(revenue, dtype=pl.Float64),
        "window": pl.Series(np.repeat(window.to_numpy(), n_np), dtype=window.dtype),
        "period_index": pl.Series(i, dtype=pl.Int32),
        "_left": pl.Series(np.repeat(n_np - 1, n_np) - i, dtype=pl.Int64),  # periods after
    })  # period starts and `churned` are added where a frame shows them (`_with_periods`)


def _with_periods(ends: pl.DataFrame, grid: pl.DataFrame, period: str) -> pl.DataFrame:
    """customer_id, period_start, smoothing_window and churned on the grid (shown frames)."""
    c = grid.get_column("c")
    return grid.with_columns(
        ends.get_column("customer_id").gather(c).alias("customer_id"),
        period_start(ends.get_column("start_period").gather(c) + pl.col("period_index"), period)
        .alias("period_start"),
        pl.col("window").alias("smoothing_window"),
        ends.get_column("churned").gather(c).alias("churned"),
    )


def _smoothed(dense: pl.DataFrame, cfg: CrmConfig) -> pl.DataFrame:
    """Volume, centred smoothing (rule 2) and running peak (rule 3) on the sorted grid.

    Eager, one step after the other: a long lazy chain of window expressions re-evaluated
    shared inputs (measured several times slower).
    """
    vol = pl.col("revenue") if cfg.lifecycle_volume == "revenue" else pl.col("occasions")
    row = pl.int_range(pl.len(), dtype=pl.Int64)
    pidx = pl.col("period_index").cast(pl.Int64)
    w = pl.col("window").cast(pl.Int64)
    cs = pl.col("_cs")
    back = w // 2  # periods before t in the window; the rest (w - 1 - back) after t
    ahead = pl.min_horizontal(w - 1 - back, pl.col("_left"))  # never past the series' end
    # Rows are sorted by customer then period, dense from period_index 0, so a window of rows
    # stays inside the customer iff it starts at period_index >= 0. Before the start, the
    # cumulative sum at the customer's start (`_base`) stands in: those periods count as zero.
    upper = cs.gather(row + ahead)
    lower = pl.when(pidx > back).then(cs.gather((row - back - 1).clip(0))).otherwise(
        pl.col("_base"))
    return (
        dense.with_columns(
            vol.cast(pl.Float64).alias("volume"),
        )
        .with_columns(pl.col("volume").cum_sum().alias("_cs"))
        .with_columns(_at_customer_start(cs - pl.col("volume")).alias("_base"))
        .with_columns(((upper - lower) / (back + 1 + ahead)).clip(lower_bound=0.0)
                      .alias("volume_smoothed"))
        .drop("_cs", "_base")
        .pipe(_running_peak, "volume_smoothed", "peak_volume")
    )


def _running_peak(grid: pl.DataFrame, column: str, out: str) -> pl.DataFrame:
    """Each customer's running maximum of `column` on the sorted grid, exactly.

    A doubling scan: after the steps 1, 2, 4, ... every row holds the maximum over the last
    2^k rows of its own customer (`period_index` says how far back the customer goes).
    log2(longest series) vectorised passes instead of a window group-by (`cum_max().over`).
    """
    longest = int(grid.get_column("period_index").max() or 0) + 1 if grid.height else 0
    peak = grid.get_column(column).cast(pl.Float64).to_numpy().copy()
    back = grid.get_column("period_index").to_numpy()
    step = 1
    while step < longest:
        earlier = peak[:-step].copy()  # the previous step's values, before this step writes
        np.maximum(peak[step:], earlier, out=peak[step:], where=back[step:] >= step)
        step *= 2
    return grid.with_columns(pl.Series(out, peak, dtype=pl.Float64))


def volume_series(
    orders: pl.DataFrame, cfg: CrmConfig, as_of: dt.date, customers: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Volume per customer and period up to as_of, dense from the first period, smoothed.

    Columns: customer_id, period_start, period_index (0 = the customer's first period),
    occasions, revenue, volume, volume_smoothed, peak_volume (running peak of the smoothed
    volume), smoothing_window (periods). `customers` (optional) supplies recorded churn dates,
    which decide where a lost customer's series ends.
    """
    _check(cfg)
    occ, ids = _occasions(orders, as_of)
    ends = relationship_ends(occ, customers, cfg, as_of, ids)
    out = _with_periods(ends, _smoothed(_dense(occ, ends, cfg), cfg), cfg.lifecycle_period)
    return out.select(list(SERIES_SCHEMA)).cast(SERIES_SCHEMA)  # type: ignore[arg-type]


# --- stages ----------------------------------------------------------------------------------


def _run_id(flag: str) -> pl.Expr:
    """Number (1, 2, ...) of the run of equal `flag` values each row belongs to.

    Runs restart per customer. The numbers are consecutive and ascending on the sorted grid,
    so per-run values come from `rle` lengths and `gather`, without a hashed window (`.over`).
    """
    f = pl.col(flag)
    return ((f != f.shift(1)).fill_null(True) | (pl.col("period_index") == 0)).cum_sum()


def _run_len(run: str) -> pl.Expr:
    """Length of the run each row belongs to (`run` numbered by `_run_id`)."""
    r = pl.col(run)
    return r.rle().struct.field("len").gather(r - 1)


def _run_any(flag: str, run: str) -> pl.Expr:
    """Does the run each row belongs to hold a row with `flag` true? (`run` from `_run_id`)."""
    r = pl.col(run)
    length = r.rle().struct.field("len").cast(pl.Int64)
    last = length.cum_sum() - 1  # each run's last row
    first = last - length + 1
    flag_n = pl.col(flag).cast(pl.Int64)
    count = flag_n.cum_sum()
    in_run = count.gather(last) - count.gather(first) + flag_n.gather(first)
    return (in_run > 0).gather(r - 1)


def _at_customer_start(expr: pl.Expr) -> pl.Expr:
    """`expr`'s value at the first row of each row's customer, on the sorted grid (`c` numbers
    the customers 0, 1, ... in grid order, each starting at period_index 0): one value per
    customer, gathered back (sequential, unlike a forward fill over masked rows)."""
    return expr.filter(pl.col("period_index") == 0).gather(pl.col("c"))


def _per_customer_cum_sum(expr: pl.Expr) -> pl.Expr:
    """Cumulative sum within each customer on the sorted grid, without a window group-by."""
    total = expr.cum_sum()
    return total - _at_customer_start(total - expr)


def stage_flags(cfg: CrmConfig) -> list[pl.Expr]:
    """Exploration and rising per period (rules 4 and 5) over the sorted dense series."""
    period = cfg.lifecycle_period
    rise = months_to_periods(cfg.rise_months, period)
    peak = pl.col("peak_volume")
    pidx = pl.col("period_index")
    row = pl.int_range(pl.len(), dtype=pl.Int64)
    # growth of the peak over `rise` periods around t: from t - rise + ahead to t + ahead,
    # looking ahead half the span where the series goes on, never before the start
    ahead = pl.min_horizontal(pl.lit(rise // 2, pl.Int64), pl.col("_left"))
    lo_row = pl.max_horizontal(row + ahead - rise, row - pidx.cast(pl.Int64))
    peak_before = peak.gather(lo_row)
    peak_after = peak.gather(row + ahead)
    occasions_so_far = _per_customer_cum_sum(pl.col("occasions").cast(pl.Int64))
    exploration = (pidx == 0) | (occasions_so_far <= cfg.exploration_max_occasions)
    rising = peak_after > peak_before * (1.0 + cfg.rise_min_growth)
    return [exploration.alias("_exploration"), rising.alias("_rising")]


def level_flags(cfg: CrmConfig) -> list[pl.Expr]:
    """Plateau and low level per period (rules 6 and 7), after `stage_flags`.

    Separate from `stage_flags` so that exploration and rising are computed once (eager
    frames do not share common subexpressions).
    """
    peak = pl.col("peak_volume")
    smoothed = pl.col("volume_smoothed")
    explored = ~pl.col("_exploration")
    return [
        ((smoothed >= peak * cfg.stability_peak_share) & (peak > 0) & ~pl.col("_rising")
         & explored).alias("_plateau"),
        ((smoothed < peak * cfg.decline_peak_share) & explored).alias("_low"),
    ]


def stage_expr(cfg: CrmConfig) -> list[pl.Expr]:
    """Plateaus and declines that lasted long enough (rules 6 and 7); needs runs `_rp`, `_rl`."""
    period = cfg.lifecycle_period
    stab_min = months_to_periods(cfg.stability_min_months, period)
    decl_min = months_to_periods(cfg.decline_min_months, period)
    return [
        (pl.col("_plateau") & (_run_len("_rp") >= stab_min)).alias("_stable_run"),
        (pl.col("_low") & (_run_len("_rl") >= decl_min)).alias("_decline"),
    ]


# stage codes on the grid (index into STAGES); strings only where a frame shows them
_EXPLORATION, _FORMATION, _STABILITY, _DECLINE = range(4)


def _with_stages(series: pl.DataFrame, cfg: CrmConfig) -> pl.DataFrame:
    """Add `_stage` (code: index into STAGES), `_exploration` and `_reached` (stability
    reached by then) to the sorted series.

    A confirmed plateau is extended backwards over the directly preceding periods whose
    smoothed volume already was within `stability_peak_share` of the plateau's level: the
    smoothing and the rise test see a plateau only some periods after it began. A rising
    series has no confirmed plateau, so this never turns formation into stability.
    Eager, one step after the other: each intermediate column is computed once.
    """
    # the level of the customer's next confirmed plateau (backward fill, same customer only)
    level = pl.when(pl.col("_stable_run")).then(pl.col("peak_volume")).backward_fill()
    level_owner = pl.when(pl.col("_stable_run")).then(pl.col("c")).backward_fill()
    near = (
        ~pl.col("_exploration")
        & (level_owner == pl.col("c"))
        & (pl.col("volume_smoothed") >= level * cfg.stability_peak_share)
    ).fill_null(False)
    reached = _per_customer_cum_sum(pl.col("_stable").cast(pl.Int64)) > 0
    grid = (
        series.with_columns(stage_flags(cfg))
        .with_columns(level_flags(cfg))
        .with_columns(_run_id("_plateau").alias("_rp"), _run_id("_low").alias("_rl"))
        .with_columns(stage_expr(cfg))
        .drop("_rp", "_rl", "_plateau", "_low", "_rising")
        .with_columns((pl.col("_stable_run") | near).alias("_ext"))
        .with_columns(_run_id("_ext").alias("_re"))
        .with_columns((pl.col("_ext") & _run_any("_stable_run", "_re")).alias("_stable"))
        .with_columns(reached.alias("_reached"))
    )
    return grid.with_columns(
        pl.when(pl.col("_exploration")).then(pl.lit(_EXPLORATION, pl.UInt8))
        .when(pl.col("_decline")).then(pl.lit(_DECLINE, pl.UInt8))
        .when(pl.col("_reached")).then(pl.lit(_STABILITY, pl.UInt8))
        .otherwise(pl.lit(_FORMATION, pl.UInt8)).alias("_stage")
    ).drop("_stable_run", "_ext", "_re", "_stable", "_decline")


def _prepare(data: CrmData, cfg: CrmConfig, as_of: dt.date) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(per-customer ends, per-period grid with stage codes, sorted by customer and period)."""
    _check(cfg)
    occ, ids = _occasions(data.orders, as_of)
    ends = relationship_ends(occ, data.customers, cfg, as_of, ids)
    return ends, _with_stages(_smoothed(_dense(occ, ends, cfg), cfg), cfg)


def _stage_names(code: pl.Expr) -> pl.Expr:
    """Stage codes as the STAGES strings."""
    return pl.lit(pl.Series(STAGES, dtype=pl.String)).gather(code)


def _history(ends: pl.DataFrame, grid: pl.DataFrame, period: str) -> pl.DataFrame:
    """The public stage-history frame from the grid (strings and period starts made here)."""
    out = _with_periods(ends, grid, period).with_columns(
        _stage_names(pl.col("_stage")).alias("stage"))
    cols = {**SERIES_SCHEMA, **HISTORY_EXTRA}
    return out.select(list(cols)).cast(cols)  # type: ignore[arg-type]


def stage_history(data: CrmData, cfg: CrmConfig, as_of: dt.date) -> pl.DataFrame:
    """Stage of every customer in every period of the relationship, up to as_of.

    Columns: the `volume_series` columns plus churned (the customer is lost by as_of) and
    stage (code). A lost customer's rows end with the period of the last purchase.
    """
    ends, grid = _prepare(data, cfg, as_of)
    return _history(ends, grid, cfg.lifecycle_period)


def _lifecycle(ends: pl.DataFrame, grid: pl.DataFrame, cfg: CrmConfig,
               as_of: dt.date) -> pl.DataFrame:
    """One row per customer from the grid with stages (see `customer_lifecycle`).

    No group-by: every customer's rows are contiguous (`_offset`, `periods`), and what the
    pattern needs is known at the customer's last row. The highest stage reached is the last
    row's (exploration only ever opens a series, stability once reached stays reached), the
    peak is the running peak there, and the periods in stability a difference of one
    cumulative count.
    """
    period = cfg.lifecycle_period
    long_term = months_to_periods(cfg.long_term_min_months, period)
    periods = (ends.get_column("end_period") - ends.get_column("start_period") + 1)
    last = periods.cast(pl.Int64).cum_sum() - 1
    first = last - periods.cast(pl.Int64) + 1
    stable = (grid.get_column("_stage") == _STABILITY).cast(pl.Int32)
    stable_cum = stable.cum_sum()
    tail = grid.select(
        pl.col("_stage").gather(last).alias("_code"),
        pl.col("_reached").gather(last).alias("_reached"),
        pl.col("_exploration").gather(last).alias("_exploration"),
        pl.col("peak_volume").gather(last).alias("peak_volume"),
        pl.col("volume_smoothed").gather(last).alias("current_volume"),
    ).with_columns(
        (stable_cum.gather(last) - stable_cum.gather(first) + stable.gather(first))
        .alias("stability_periods"),
        periods.cast(pl.Int32).alias("periods"),
    )
    peak_rank = (  # 2 stability reached, 1 formation, 0 exploration only
        pl.when(pl.col("_reached")).then(2).when(pl.col("_exploration")).then(0).otherwise(1)
    )
    peak_stage = (
        pl.when(pl.col("_peak_rank") == 2).then(pl.lit("stability"))
        .when(pl.col("_peak_rank") == 1).then(pl.lit("formation"))
        .otherwise(pl.lit("exploration"))
    )
    pattern = (
        pl.when(~pl.col("churned")).then(None)
        .when(pl.col("_peak_rank") == 0).then(pl.lit("early_abort"))
        .when(pl.col("_peak_rank") == 1).then(pl.lit("mid_term_abort"))
        .when(pl.col("stability_periods") < long_term).then(pl.lit("early_exit"))
        .otherwise(pl.lit("long_term"))
    )
    end_day = pl.when(pl.col("churned")).then(pl.col("churn_date")).otherwise(pl.lit(as_of))
    out = (
        pl.concat([ends, tail], how="horizontal")
        .with_columns(peak_rank.alias("_peak_rank"),
                      _stage_names(pl.col("_code")).alias("lifecycle_stage"))
        .with_columns(
            peak_stage.alias("peak_stage"),
            pattern.alias("lifecycle_pattern"),
            (pl.col("stability_periods") / PERIODS_PER_MONTH[period]).alias("stability_months"),
            (end_day - pl.col("first_purchase")).dt.total_days().cast(pl.Int32)
            .alias("lifetime_days"),
            pl.when(pl.col("peak_volume") > 0)
            .then(pl.col("current_volume") / pl.col("peak_volume"))
            .otherwise(None).alias("share_of_peak"),
        )
        .select(list(LIFECYCLE_SCHEMA))
    )
    # `ends` is in customer_id order already (customers are numbered in that order)
    return out.cast(LIFECYCLE_SCHEMA)  # type: ignore[arg-type]


def customer_lifecycle(data: CrmData, cfg: CrmConfig, as_of: dt.date) -> pl.DataFrame:
    """One row per customer with orders up to as_of: stage, pattern, churn, lifetime.

    Columns (LIFECYCLE_SCHEMA): customer_id, churned, churn_date, churn_source
    (recorded|inactivity), lifecycle_stage (current stage; for a lost customer the stage when
    lost), lifecycle_pattern (lost customers only), peak_stage, stability_periods,
    stability_months, lifetime_days (first purchase to churn_date, or to as_of), first_purchase,
    last_purchase, occasions, revenue, typical_gap_days, churn_gap_days, days_since_last,
    periods, peak_volume, current_volume, share_of_peak.
    """
    ends, grid = _prepare(data, cfg, as_of)
    return _lifecycle(ends, grid, cfg, as_of)


def lifecycle_frames(
    data: CrmData, cfg: CrmConfig, as_of: dt.date
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(customer_lifecycle, stage_history) computed together from one grid (the page's need)."""
    ends, grid = _prepare(data, cfg, as_of)
    return _lifecycle(ends, grid, cfg, as_of), _history(ends, grid, cfg.lifecycle_period)


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
        "patterns": {p: int(pattern_n.get(p, 0)) for p in PATTERNS},
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
    frame = pl.DataFrame({"lifecycle_pattern": list(PATTERNS)}).join(
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
    order = pl.Enum(list(PATTERNS))
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


__all__ = [
    "PATTERNS", "PERIODS", "STAGES", "VOLUMES", "cohort_retention",
    "customer_lifecycle", "filter_lifecycle", "life_curves", "lifecycle_counts",
    "lifecycle_frames", "months_to_periods", "pattern_summary", "period_index",
    "period_start", "purchase_occasions", "relationship_ends", "stage_history",
    "stage_mix", "stage_periods", "stage_transitions", "volume_series",
]
