"""The dense (customer, period) volume series: per-period sums, smoothing, running peak."""

from __future__ import annotations

import numpy as np
import polars as pl

from crm_logic.config import CrmConfig
from crm_logic.lifecycle.periods import period_index, period_start

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
    unknown = (ends.get_column("unknown_start") if "unknown_start" in ends.columns
               else pl.repeat(False, ends.height, eager=True))
    short = (ends.get_column("tail_short") if "tail_short" in ends.columns
             else pl.repeat(0.0, ends.height, eager=True))
    return pl.DataFrame({
        "c": pl.Series(g).set_sorted(),
        "occasions": pl.Series(occasions_n, dtype=pl.Float64).cast(pl.UInt32),
        "revenue": pl.Series(revenue, dtype=pl.Float64),
        "window": pl.Series(np.repeat(window.to_numpy(), n_np), dtype=window.dtype),
        "period_index": pl.Series(i, dtype=pl.Int32),
        "_left": pl.Series(np.repeat(n_np - 1, n_np) - i, dtype=pl.Int64),  # periods after
        "_unknown": pl.Series(np.repeat(unknown.to_numpy(), n_np), dtype=pl.Boolean),
        "_short": pl.Series(np.repeat(short.to_numpy(), n_np), dtype=pl.Float64),
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
    # stays inside the customer iff it starts at period_index >= 0. `_cs` is the customer's
    # own cumulative sum (`_segment_cum_sum`): periods before the start count as zero, and no
    # other customer's amounts enter the arithmetic (a cumulative sum over every customer
    # lost the precision of all customers after one absurd amount, issue 11 item 4).
    # A relationship older than the data (`_unknown`) had periods before its start that the
    # data does not show: the window is cut there instead of counting them as zero. The last
    # period, when cut short by as_of, counts as the share of a period it covers (`_short`).
    upper = cs.gather(row + ahead)
    lower = pl.when(pidx > back).then(cs.gather((row - back - 1).clip(0))).otherwise(0.0)
    before = pl.when(pl.col("_unknown")).then(pl.min_horizontal(back, pidx)).otherwise(back)
    length = (before + 1 + ahead).cast(pl.Float64) - pl.when(pl.col("_left") == ahead).then(
        pl.col("_short")).otherwise(0.0)
    grid = dense.with_columns(vol.cast(pl.Float64).alias("volume"))
    grid = grid.with_columns(_robust(grid, cfg).alias("_robust"))
    return (
        grid.with_columns(_segment_cum_sum(grid.get_column("_robust"),
                                           grid.get_column("period_index")).alias("_cs"))
        .with_columns(((upper - lower) / length).clip(lower_bound=0.0)
                      .alias("volume_smoothed"))
        .drop("_cs")
        # robust peak: the running maximum of the level held two periods (the smoothed
        # volume and the next period's, where there is one): one period's bump sets no peak
        .with_columns(pl.when(pl.col("_left") > 0).then(
            pl.min_horizontal("volume_smoothed", pl.col("volume_smoothed").shift(-1)))
            .otherwise(pl.col("volume_smoothed")).alias("_held"))
        .pipe(_running_peak, "_held", "peak_volume")
        .drop("_held")
    )


def _robust(grid: pl.DataFrame, cfg: CrmConfig) -> pl.Series:
    """Volume with one-off spikes capped: at most `peak_spike_multiple` x the median volume
    of the customer's periods with volume (a single big order or a holiday month must not
    set a peak that makes every later month look like a decline)."""
    vol = grid.get_column("volume")
    if cfg.peak_spike_multiple <= 0 or grid.height == 0:
        return vol
    med = (
        grid.lazy().select(pl.col("c").set_sorted(), "volume")
        .filter(pl.col("volume") > 0)
        .group_by("c").agg(pl.col("volume").median().alias("_m"))
        .collect()
    )
    n = int(grid.get_column("c").max() or 0) + 1  # type: ignore[arg-type]
    per_c = np.full(n, np.inf)
    per_c[med.get_column("c").to_numpy()] = med.get_column("_m").to_numpy()
    cap = per_c[grid.get_column("c").to_numpy()] * cfg.peak_spike_multiple
    return pl.Series(np.minimum(vol.to_numpy(), cap), dtype=pl.Float64)


def _segment_cum_sum(values: pl.Series, period_index: pl.Series) -> pl.Series:
    """Each customer's own cumulative sum of `values` on the sorted grid.

    A doubling scan (like `_running_peak`): after the steps 1, 2, 4, ... every row holds the
    sum over the last 2^k rows of its own customer, so only the customer's own amounts are
    ever added together (a difference of one global cumulative sum would not be exact).
    """
    total = values.cast(pl.Float64).to_numpy().copy()
    back = period_index.to_numpy()
    longest = int(back.max()) + 1 if back.size else 0
    step = 1
    while step < longest:
        earlier = total[:-step].copy()
        np.add(total[step:], earlier, out=total[step:], where=back[step:] >= step)
        step *= 2
    return pl.Series(total, dtype=pl.Float64)


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


def _at_customer_start(expr: pl.Expr) -> pl.Expr:
    """`expr`'s value at the first row of each row's customer, on the sorted grid (`c` numbers
    the customers 0, 1, ... in grid order, each starting at period_index 0): one value per
    customer, gathered back (sequential, unlike a forward fill over masked rows)."""
    return expr.filter(pl.col("period_index") == 0).gather(pl.col("c"))


def _per_customer_cum_sum(expr: pl.Expr) -> pl.Expr:
    """Cumulative sum within each customer on the sorted grid, without a window group-by."""
    total = expr.cum_sum()
    return total - _at_customer_start(total - expr)
