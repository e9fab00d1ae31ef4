"""Honest period-over-period comparisons: only between complete, equal periods.

A trailing period of `length_days` ends on `as_of` (inclusive) and starts `length_days - 1`
days before; the previous period is the same length just before it. A comparison is made
only when the data covers both periods completely: the first dated row is on or before the
previous period's first day, and the data reaches the current period's last day. Otherwise
there is "not enough history" (`comparable_periods` returns None), never a "+2,528.6%"
computed against a previous year that held 9 days of data.

Used by the Overview's revenue comparison and by the KPIs (`actions`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Period:
    """Days `start` .. `end`, both inclusive."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        """Length in days."""
        return (self.end - self.start).days + 1

    def mask(self, col: str) -> pl.Expr:
        """Polars filter: the date column `col` falls in this period."""
        return pl.col(col).is_between(self.start, self.end, closed="both")


def trailing_periods(as_of: dt.date, length_days: int) -> tuple[Period, Period]:
    """(current, previous): two equal periods of `length_days`, the current ending on as_of."""
    if length_days < 1:
        raise ValueError("a period needs at least one day")
    current = Period(as_of - dt.timedelta(days=length_days - 1), as_of)
    end_prev = current.start - dt.timedelta(days=1)
    previous = Period(end_prev - dt.timedelta(days=length_days - 1), end_prev)
    return current, previous


def is_complete(period: Period, data_start: dt.date | None, data_end: dt.date | None) -> bool:
    """The data covers the whole period (first date on or before its start, last on or after
    its end)."""
    if data_start is None or data_end is None:
        return False
    return data_start <= period.start and data_end >= period.end


def comparable_periods(as_of: dt.date, length_days: int, data_start: dt.date | None,
                       data_end: dt.date | None) -> tuple[Period, Period] | None:
    """The current and previous trailing periods if both are complete, else None."""
    current, previous = trailing_periods(as_of, length_days)
    if is_complete(previous, data_start, data_end) and is_complete(current, data_start,
                                                                    data_end):
        return current, previous
    return None


def data_span(dates: pl.Series, as_of: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """(first, last) date of a date column, counting only dates up to as_of."""
    kept = dates.filter(dates <= as_of)
    if kept.is_empty():
        return None, None
    return kept.min(), kept.max()  # type: ignore[return-value]


def change(current: float | None, previous: float | None) -> float | None:
    """Relative change current / previous - 1; None when previous is zero or missing."""
    if current is None or previous is None or previous == 0:
        return None
    return current / previous - 1


@dataclass(frozen=True)
class Comparison:
    """A value, its previous-period value and the relative change (None: not comparable)."""

    value: float
    previous: float | None
    change: float | None


def compare_sum(frame: pl.DataFrame, date_col: str, value_col: str, as_of: dt.date,
                length_days: int, data_start: dt.date | None = None,
                data_end: dt.date | None = None) -> Comparison:
    """Sum of `value_col` over the trailing period, and against the previous one when both
    periods are complete (data span from `frame` unless given)."""
    first, last = data_span(frame.get_column(date_col), as_of)
    data_start = data_start if data_start is not None else first
    data_end = as_of if data_end is None and last is not None else data_end
    current, previous = trailing_periods(as_of, length_days)
    value = float(frame.filter(current.mask(date_col)).get_column(value_col).sum() or 0.0)
    if comparable_periods(as_of, length_days, data_start, data_end) is None:
        return Comparison(value, None, None)
    prev = float(frame.filter(previous.mask(date_col)).get_column(value_col).sum() or 0.0)
    return Comparison(value, prev, change(value, prev))
