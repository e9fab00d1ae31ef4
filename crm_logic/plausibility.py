"""Amounts too large to be believed: a bound from the data itself, flagged as warnings.

One absurd amount (a typo, 1e20) must never move other customers' results (the lifecycle's
per-customer arithmetic sees to that); it is also named, so that a person can look at it.
The bound is `implausible_amount_multiple` x the `implausible_amount_quantile` quantile of
the absolute amounts (defaults 1,000 x the 99.9th percentile).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import polars as pl

from crm_logic.config import CrmConfig

if TYPE_CHECKING:
    from crm_logic.store import CrmData


def plausibility_bound(amounts: pl.Series, cfg: CrmConfig) -> float | None:
    """The largest believable absolute amount, or None without amounts."""
    finite = amounts.cast(pl.Float64).drop_nulls().abs()
    finite = finite.filter(finite.is_finite())
    if finite.len() == 0:
        return None
    q = finite.quantile(cfg.implausible_amount_quantile, interpolation="higher")
    return float(q or 0.0) * cfg.implausible_amount_multiple


def implausible_lines(orders: pl.DataFrame, cfg: CrmConfig) -> pl.DataFrame:
    """Order lines whose absolute amount is beyond the bound (or not finite)."""
    if orders.height == 0 or "amount" not in orders.columns:
        return orders.head(0)
    bound = plausibility_bound(orders.get_column("amount"), cfg)
    amount = pl.col("amount").cast(pl.Float64)
    beyond = ~amount.abs().is_finite() if bound is None else (
        (amount.abs() > bound) | ~amount.is_finite())
    return orders.filter(beyond.fill_null(False))


def implausible_warning(orders: pl.DataFrame, cfg: CrmConfig) -> dict[str, object] | None:
    """A warning naming the implausible lines (count, bound, first customers), or None."""
    bound = plausibility_bound(orders.get_column("amount"), cfg) if orders.height else None
    return warning_of(implausible_lines(orders, cfg), bound)


def stored_implausible_warning(data: CrmData, cfg: CrmConfig,
                               as_of: dt.date) -> dict[str, object] | None:
    """`implausible_warning` of the lines up to as_of wherever they are (`crm_logic.lines`):
    the bound from their amounts, the lines beyond it fetched, nothing else read."""
    from crm_logic import lines

    bound = plausibility_bound(lines.amounts(data, as_of), cfg)
    beyond = lines.lines_beyond(data, bound if bound is not None else float("inf"), as_of)
    return warning_of(beyond, bound)


def warning_of(bad: pl.DataFrame, bound: float | None) -> dict[str, object] | None:
    """The warning for lines found beyond `bound` (None when there are none)."""
    if bad.height == 0:
        return None
    customers = bad.get_column("customer_id").cast(pl.String).unique(maintain_order=True)
    return {"code": "implausible_amount", "rows": bad.height, "bound": bound,
            "customers": customers.head(5).to_list(), "customers_total": customers.len()}
