"""Stage per period: exploration, formation, stability, decline (rules 4-8)."""

from __future__ import annotations

import numpy as np
import polars as pl

from crm_logic.config import CrmConfig
from crm_logic.lifecycle.periods import months_to_periods
from crm_logic.lifecycle.series import _per_customer_cum_sum

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
    return _run_count(flag, run) > 0


def _run_count(flag: str, run: str) -> pl.Expr:
    """Rows with `flag` true in the run each row belongs to (`run` from `_run_id`); integer
    sums, exact."""
    r = pl.col(run)
    length = r.rle().struct.field("len").cast(pl.Int64)
    last = length.cum_sum() - 1  # each run's last row
    first = last - length + 1
    flag_n = pl.col(flag).cast(pl.Int64)
    count = flag_n.cum_sum()
    in_run = count.gather(last) - count.gather(first) + flag_n.gather(first)
    return in_run.gather(r - 1)


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
    tenure = months_to_periods(cfg.exploration_min_months, period)
    # trials end by purchases and by tenure; a relationship older than the data has none
    exploration = ~pl.col("_unknown") & (
        (pidx == 0) | (pidx < tenure) | (occasions_so_far <= cfg.exploration_max_occasions))
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
    # with a year behind (past the trials), a decline is also judged against the same
    # period a year earlier (a season's end is no decline when the customer buys as much as
    # a year ago)
    year = months_to_periods(12, cfg.lifecycle_period)
    row = pl.int_range(pl.len(), dtype=pl.Int64)
    ago = (row - year).clip(0)
    below_last_year = pl.when((pl.col("period_index") >= year)
                              & ~pl.col("_exploration").gather(ago)).then(
        smoothed < smoothed.gather(ago) * cfg.decline_yoy_share).otherwise(True)
    return [
        ((smoothed >= peak * cfg.stability_peak_share) & (peak > 0) & ~pl.col("_rising")
         & explored).alias("_plateau"),
        ((smoothed < peak * cfg.decline_peak_share) & below_last_year & explored)
        .alias("_low"),
    ]


def stage_expr(cfg: CrmConfig) -> list[pl.Expr]:
    """Plateaus and declines that lasted long enough (rules 6 and 7); needs runs `_rp`, `_rl`."""
    period = cfg.lifecycle_period
    stab_min = months_to_periods(cfg.stability_min_months, period)
    decl_min = months_to_periods(cfg.decline_min_months, period)
    return [
        # a plateau is confirmed on the level held, with purchases in enough of its periods
        # (a wide smoothing window alone makes two purchases a year look flat)
        (pl.col("_plateau") & (_run_len("_rp") >= stab_min)
         & (_run_count("_bought", "_rp") >= cfg.stability_min_purchase_periods))
        .alias("_stable_run"),
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
        .with_columns(_run_id("_plateau").alias("_rp"), _run_id("_low").alias("_rl"),
                      (pl.col("occasions") > 0).alias("_bought"))
        .with_columns(stage_expr(cfg))
        .drop("_rp", "_rl", "_plateau", "_low", "_rising", "_bought")
        .with_columns((pl.col("_stable_run") | near).alias("_ext"))
        .with_columns(_run_id("_ext").alias("_re"))
        .with_columns((pl.col("_ext") & _run_any("_stable_run", "_re")).alias("_stable"))
        .with_columns(reached.alias("_reached"))
    )
    grid = grid.with_columns(_risen(grid, cfg).alias("_risen"))
    # the latest confirmed event of the customer's own series: stability (a plateau) or a
    # decline. Stability lasts through dips until a decline; after a decline, stability
    # needs a new plateau (until then a recovering customer is in formation)
    event = (pl.when(pl.col("_decline")).then(pl.lit(_DECLINE, pl.UInt8))
             .when(pl.col("_stable")).then(pl.lit(_STABILITY, pl.UInt8)))
    owner = pl.when(pl.col("_decline") | pl.col("_stable")).then(pl.col("c")).forward_fill()
    last_event = pl.when(owner == pl.col("c")).then(event.forward_fill())
    # trials go on until the volume rose above their level or a plateau is confirmed
    exploring = pl.col("_exploration") | (~pl.col("_unknown") & ~pl.col("_risen")
                                          & ~pl.col("_reached"))
    return grid.with_columns(exploring.alias("_exploration")).with_columns(
        pl.when(pl.col("_exploration")).then(pl.lit(_EXPLORATION, pl.UInt8))
        .when(pl.col("_decline")).then(pl.lit(_DECLINE, pl.UInt8))
        .when(pl.col("_stable")).then(pl.lit(_STABILITY, pl.UInt8))
        .when(last_event == _STABILITY).then(pl.lit(_STABILITY, pl.UInt8))
        .otherwise(pl.lit(_FORMATION, pl.UInt8)).alias("_stage")
    ).drop("_stable_run", "_ext", "_re", "_stable", "_decline", "_risen")


def _risen(grid: pl.DataFrame, cfg: CrmConfig) -> pl.Series:
    """Has the smoothed volume risen above the trials' level by more than
    `formation_min_growth` (by each period)? The trials' level is the mean (spike-capped)
    volume of the exploration periods, a prefix of the series; each customer's own sums
    (`np.bincount` adds each customer's values alone), counts by integer cumulative sums."""
    trial = grid.get_column("_exploration").to_numpy()
    c = grid.get_column("c").to_numpy()
    n = int(c[-1]) + 1 if c.size else 0
    total = np.bincount(c, weights=np.where(trial, grid.get_column("_robust").to_numpy(), 0.0),
                        minlength=n).astype(np.float64)
    count = np.bincount(c, weights=trial.astype(np.float64), minlength=n).astype(np.float64)
    level = np.divide(total, count, out=np.zeros_like(total), where=count > 0)[c]
    above = (~trial) & (grid.get_column("volume_smoothed").to_numpy()
                        > level * (1.0 + cfg.formation_min_growth))
    so_far = grid.select(_per_customer_cum_sum(pl.lit(pl.Series(above.astype(np.int64))))
                         ).to_series()
    return so_far > 0
