"""customer_summary's fast plan: same answer as the exact plan, whatever the row order."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from crm_logic import segmentation as seg
from crm_logic.store import empty_frame

D = dt.date
pytestmark = pytest.mark.filterwarnings("error")


def _orders(n_lines: int, n_customers: int, seed: int) -> pl.DataFrame:
    """Random line items: ids with a shared prefix, refunds, missing order ids and margins."""
    rng = np.random.default_rng(seed)
    cust = rng.integers(0, n_customers, n_lines)
    day = rng.integers(0, 400, n_lines)
    amount = np.round(rng.gamma(2.0, 30.0, n_lines) * np.where(rng.random(n_lines) < 0.1, -1, 1),
                      2)
    order = np.where(rng.random(n_lines) < 0.2, None,
                     [f"o{c}-{d // 3}" for c, d in zip(cust, day, strict=True)])
    margin = np.where(rng.random(n_lines) < 0.5, None, amount * 0.3)
    df = pl.DataFrame({
        "customer_id": [f"CUST{c:06d}" for c in cust],
        "order_date": pl.Series(day + 19_000, dtype=pl.Int32).cast(pl.Date),
        "amount": amount,
        "order_id": pl.Series(order.tolist(), dtype=pl.String),
        "margin": pl.Series(margin.tolist(), dtype=pl.Float64),
    })
    return pl.concat([empty_frame("orders"), df], how="diagonal_relaxed")


AS_OF = D(2022, 1, 15)  # inside the 400 days: later lines are left out


@pytest.mark.parametrize("seed", [1, 2])
def test_hashed_plan_equals_exact_plan(seed: int) -> None:
    orders = _orders(5_000, 700, seed)
    fast = seg._summary_plan(orders, AS_OF, 0.8, 1)
    exact = seg._summary_plan(orders, AS_OF, 0.8, None)
    assert fast is not None and exact is not None
    assert_frame_equal(fast.sort("customer_id"), exact.sort("customer_id"), abs_tol=1e-9)


def test_row_order_does_not_matter() -> None:
    orders = _orders(5_000, 700, 3)
    a = seg.customer_summary(orders, AS_OF)
    b = seg.customer_summary(orders.sample(fraction=1.0, shuffle=True, seed=9), AS_OF)
    assert_frame_equal(a, b, abs_tol=1e-9)


def test_a_colliding_hash_is_detected() -> None:
    """Two customers that share the key hash: the second hash tells them apart, the plan
    returns None (the caller retries), never a merged customer."""
    orders = _orders(300, 40, 4)
    real_hash = pl.Expr.hash

    def weak(self: pl.Expr, seed: int = 0, *args: object) -> pl.Expr:
        h = real_hash(self, seed)
        return h // 2**60 if seed == 1 else h  # the key hash: 16 values for 40 customers

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pl.Expr, "hash", weak)
        assert seg._summary_plan(orders, AS_OF, 1.0, 1) is None
    assert_frame_equal(seg.customer_summary(orders, AS_OF).sort("customer_id"),
                       seg._summary_plan(orders, AS_OF, 1.0, None).sort("customer_id"))


def test_dates_over_centuries_take_the_exact_path() -> None:
    orders = pl.concat([
        _orders(50, 5, 5),
        pl.concat([empty_frame("orders"), pl.DataFrame({
            "customer_id": ["OLD"], "order_date": [D(1800, 1, 1)], "amount": [5.0]})],
            how="diagonal_relaxed"),
    ])
    assert seg._summary_plan(orders, AS_OF, 1.0, 1) is None
    got = seg.customer_summary(orders, AS_OF)
    old = got.filter(pl.col("customer_id") == "OLD")
    assert old.get_column("T_days").item() == (AS_OF - D(1800, 1, 1)).days


def test_refund_day_before_the_first_purchase() -> None:
    """A refund-only day is no occasion, even when it comes first; monetary_value is the mean
    of the repeat purchase days (their refunds included)."""
    df = pl.DataFrame({
        "customer_id": ["A"] * 5,
        "order_date": [D(2024, 1, 1), D(2024, 1, 5), D(2024, 2, 1), D(2024, 2, 1),
                       D(2024, 3, 1)],
        "amount": [-10.0, 40.0, 30.0, -5.0, 60.0],
    })
    orders = pl.concat([empty_frame("orders"), df], how="diagonal_relaxed")
    s = seg.customer_summary(orders, D(2024, 3, 31)).row(0, named=True)
    assert s["occasions"] == 3 and s["frequency"] == 2
    assert s["first_order_date"] == D(2024, 1, 5) and s["last_order_date"] == D(2024, 3, 1)
    assert s["recency_days"] == 56 and s["T_days"] == 86 and s["tenure_days"] == 90
    assert s["monetary_value"] == pytest.approx((25.0 + 60.0) / 2)
    assert s["revenue"] == pytest.approx(115.0) and s["orders"] == 4
    assert s["margin_total"] is None


# --- lines in the store's order (by customer, then date): the run-based plan ---------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sorted_plan_equals_exact_plan(seed: int) -> None:
    """The store's layout takes `_summary_sorted`; it agrees with the exact hash plan,
    including orders split into several runs (ids missing in between, ids on days three
    apart) and lines after as_of."""
    orders = _orders(5_000, 700, seed).sort("customer_id", "order_date")
    fast = seg._summary_sorted(orders, AS_OF, 0.8)
    exact = seg._summary_plan(orders, AS_OF, 0.8, None)
    assert fast is not None and exact is not None
    assert_frame_equal(fast, exact.sort("customer_id"), abs_tol=1e-9)


def test_sorted_plan_counts_an_order_split_over_runs_once() -> None:
    """Order o1 has lines on two days with o2 between them: two runs, one order."""
    df = pl.DataFrame({
        "customer_id": ["A"] * 4 + ["B"],
        "order_date": [D(2024, 1, 1), D(2024, 1, 2), D(2024, 1, 3), D(2024, 1, 3),
                       D(2024, 1, 3)],
        "amount": [10.0, 20.0, 30.0, -5.0, 7.0],
        "order_id": ["o1", "o2", "o1", None, "o1"],
    })
    orders = pl.concat([empty_frame("orders"), df], how="diagonal_relaxed")
    got = seg._summary_sorted(orders, D(2024, 1, 31), 1.0)
    assert got is not None
    # A: o1, o2, and a day with a line without id (one more order); B: its own o1
    assert got.select("customer_id", "orders", "occasions").rows() == [("A", 3, 3), ("B", 1, 1)]


def test_lines_in_another_order_take_the_hash_plan() -> None:
    orders = _orders(2_000, 300, 4)
    by_customer = orders.sort("customer_id", "order_date")
    assert seg._summary_sorted(orders, AS_OF, 1.0) is None  # random order
    assert seg._summary_sorted(by_customer.sort("customer_id", "amount"), AS_OF, 1.0) is None
    assert_frame_equal(seg.customer_summary(orders, AS_OF),
                       seg.customer_summary(by_customer, AS_OF), abs_tol=1e-9)
