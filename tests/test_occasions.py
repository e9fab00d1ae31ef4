"""One purchase-occasion rule shared by value, lifecycle and churn."""

from __future__ import annotations

import datetime as dt

import polars as pl
from polars.testing import assert_frame_equal

from crm_logic.occasions import in_customer_order, is_purchase_day

D1, D2, D3 = dt.date(2024, 1, 1), dt.date(2024, 1, 2), dt.date(2024, 1, 3)


def test_purchase_days() -> None:
    lines = pl.DataFrame(
        {
            "customer_id": ["a", "a", "a", "a", "b"],
            "order_date": [D1, D1, D2, D3, D1],
            "amount": [10.0, -30.0, -5.0, 0.0, None],
        }
    )
    got = lines.group_by("customer_id", "order_date").agg(purchase=is_purchase_day()).sort(
        "customer_id", "order_date"
    )
    expected = pl.DataFrame(
        {
            "customer_id": ["a", "a", "a", "b"],
            "order_date": [D1, D2, D3, D1],
            # D1: a purchase and a larger refund is still a purchase day; D2 refund only;
            # D3 a free item; a missing amount counts as 0
            "purchase": [True, False, True, True],
        }
    )
    assert_frame_equal(got, expected)


def test_in_customer_order() -> None:
    lines = pl.DataFrame({"customer_id": ["A", "A", "B", "B"],
                          "order_date": [dt.date(2024, 1, 2), dt.date(2024, 1, 1),
                                         dt.date(2024, 1, 1), dt.date(2024, 1, 3)]})
    assert in_customer_order(lines)  # grouped, ids ascending
    assert not in_customer_order(lines, "order_date")  # A's dates are not in order
    assert in_customer_order(lines.sort("customer_id", "order_date"), "order_date")
    assert not in_customer_order(lines.reverse())
    # beyond the prefix checked first: one line out of order among many
    many = pl.DataFrame({"customer_id": [f"C{i:06d}" for i in range(10_000)]})
    assert in_customer_order(many)
    assert not in_customer_order(pl.concat([many, many.head(1)]))
