"""Period-over-period only between complete, equal periods (hand-computed answers)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from crm_logic import periods as p

D = dt.date


def test_trailing_periods_are_equal_and_adjacent() -> None:
    cur, prev = p.trailing_periods(D(2024, 12, 31), 365)
    assert cur == p.Period(D(2024, 1, 2), D(2024, 12, 31))
    assert prev == p.Period(D(2023, 1, 2), D(2024, 1, 1))
    assert cur.days == prev.days == 365
    with pytest.raises(ValueError):
        p.trailing_periods(D(2024, 1, 1), 0)


def test_incomplete_previous_period_is_not_compared() -> None:
    # Online Retail: data from 2010-12-01 to 2011-12-09; the previous 12 months start
    # 2009-12-10, a year before the data: not enough history.
    assert p.comparable_periods(D(2011, 12, 9), 365, D(2010, 12, 1), D(2011, 12, 9)) is None
    # 91-day periods fit: previous 2011-06-11 .. 2011-09-09
    cur, prev = p.comparable_periods(D(2011, 12, 9), 91, D(2010, 12, 1), D(2011, 12, 9))
    assert prev == p.Period(D(2011, 6, 11), D(2011, 9, 9))
    assert cur.start == D(2011, 9, 10)
    # data ending before the current period's end: incomplete too
    assert p.comparable_periods(D(2012, 1, 31), 30, D(2010, 1, 1), D(2012, 1, 15)) is None
    assert not p.is_complete(cur, None, D(2012, 1, 1))


def test_compare_sum_hand_computed() -> None:
    orders = pl.DataFrame({
        "order_date": [D(2024, 1, 1), D(2024, 1, 10), D(2024, 1, 11), D(2024, 1, 20),
                       D(2024, 1, 25)],
        "amount": [5.0, 100.0, 30.0, 120.0, 999.0],
    })
    # as_of 2024-01-20, 10-day periods: current 01-11..01-20 = 30+120 = 150,
    # previous 01-01..01-10 = 5+100 = 105; change 150/105-1
    c = p.compare_sum(orders, "order_date", "amount", D(2024, 1, 20), 10)
    assert c.value == 150.0
    assert c.previous == 105.0
    assert c.change == pytest.approx(150 / 105 - 1)
    # 11-day periods: current 01-10..01-20 = 100+30+120 = 250; the previous one would start
    # 2023-12-30, before the data: no comparison
    c = p.compare_sum(orders, "order_date", "amount", D(2024, 1, 20), 11)
    assert c.value == 250.0 and c.previous is None and c.change is None
    # the data start can be given (e.g. the first order of all tables)
    c = p.compare_sum(orders, "order_date", "amount", D(2024, 1, 20), 11,
                      data_start=D(2023, 1, 1))
    assert c.previous == 5.0 and c.change == pytest.approx(250 / 5 - 1)


def test_change_without_base() -> None:
    assert p.change(10.0, 0.0) is None
    assert p.change(10.0, None) is None
    assert p.change(15.0, 10.0) == pytest.approx(0.5)
