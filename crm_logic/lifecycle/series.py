"""The dense (customer, period) volume series: per-period sums, smoothing, running peak."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from crm_logic.config import CrmConfig
from crm_logic.lifecycle.days import _occasions
from crm_logic.lifecycle.lost import relationship_ends
from crm_logic.lifecycle.periods import SERIES_SCHEMA, _check, period_index, period_start

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


def _at_customer_start(expr: pl.Expr) -> pl.Expr:
    """`expr`'s value at the first row of each row's customer, on the sorted grid (`c` numbers
    the customers 0, 1, ... in grid order, each starting at period_index 0): one value per
    customer, gathered back (sequential, unlike a forward fill over masked rows)."""
    return expr.filter(pl.col("period_index") == 0).gather(pl.col("c"))


def _per_customer_cum_sum(expr: pl.Expr) -> pl.Expr:
    """Cumulative sum within each customer on the sorted grid, without a window group-by."""
    total = expr.cum_sum()
    return total - _at_customer_start(total - expr)
