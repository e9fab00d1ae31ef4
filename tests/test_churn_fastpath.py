"""The fast path of the churn warning gives the same answers as the plain definitions.

Purchase days (one hash-keyed sort of the order lines), features at an earlier cut-off from
the same days, the collision fallback, flag lists by bit mask, the id sort by byte words.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from crm_logic import churn, sample
from crm_logic.config import CrmConfig
from crm_logic.store import CrmData, empty_frame

D = dt.date


def _orders(rows: list[tuple[str, dt.date, float | None]]) -> pl.DataFrame:
    base = empty_frame("orders")
    df = pl.DataFrame(rows, schema={"customer_id": pl.String, "order_date": pl.Date,
                                    "amount": pl.Float64}, orient="row")
    return pl.concat([base, df], how="diagonal_relaxed").select(base.columns)


def test_purchase_days_hand_computed() -> None:
    orders = _orders([
        ("b", D(2024, 1, 2), 5.0), ("a", D(2024, 1, 3), -30.0), ("a", D(2024, 1, 1), 10.0),
        ("a", D(2024, 1, 3), 12.0), ("b", D(2024, 1, 2), None), ("a", D(2024, 1, 2), -5.0),
        ("a", D(2024, 2, 1), 99.0),  # after as_of: not read
        (None, D(2024, 1, 1), 1.0),  # no customer: not read
    ])
    days = churn.purchase_days(orders, D(2024, 1, 31))
    got = pl.DataFrame({
        "customer_id": days.customer_id.gather(days.cust),
        "day": pl.Series(days.day).cast(pl.Int32).cast(pl.Date),
        "spend": days.spend,
        "buy": days.buy,
    }).sort("customer_id", "day")
    expected = pl.DataFrame({
        "customer_id": ["a", "a", "a", "b"],
        "day": [D(2024, 1, 1), D(2024, 1, 2), D(2024, 1, 3), D(2024, 1, 2)],
        "spend": [10.0, -5.0, -18.0, 5.0],
        # a refund-only day is no purchase; a missing amount counts as 0 (a purchase line)
        "buy": [True, False, True, True],
    })
    assert_frame_equal(got, expected)
    assert days.customers == 2
    # every customer's days are contiguous, in day order; starts point at each first day
    assert np.all(np.diff(days.cust) >= 0)
    assert list(days.cust[days.starts]) == [0, 1]
    empty = churn.purchase_days(orders, D(2023, 1, 1))
    assert empty.customers == 0 and empty.day.size == 0


@pytest.fixture(scope="module")
def sample_data() -> CrmData:
    f = sample.generate(3000, seed=7)
    return CrmData(f["customers"], f["orders"], f["complaints"], f["interactions"])


def test_cutoff_features_from_later_days_equal_direct(sample_data: CrmData) -> None:
    """The training cut-off's features come from the as_of day table: same as computing them
    from the order lines cut at the cut-off."""
    cfg = CrmConfig()
    as_of = sample_data.orders.get_column("order_date").max()
    cutoff = as_of - dt.timedelta(days=90)
    days = churn.purchase_days(sample_data.orders, as_of)
    got = churn._features_at(days, sample_data.complaints, cfg, cutoff).drop("_cust")
    direct = churn.customer_features(sample_data, cfg, cutoff).collect()
    assert got.height > 100
    assert_frame_equal(got.sort("customer_id"), direct.sort("customer_id"), rel_tol=1e-9)


def test_scores_do_not_depend_on_row_order(sample_data: CrmData) -> None:
    cfg = CrmConfig()
    as_of = dt.date(2025, 12, 31)
    shuffled = CrmData(sample_data.customers,
                       sample_data.orders.sample(fraction=1.0, shuffle=True, seed=1),
                       sample_data.complaints, sample_data.interactions)
    a = churn.churn_scores(sample_data, cfg, as_of)
    b = churn.churn_scores(shuffled, cfg, as_of)
    assert a.height > 100 and a.get_column("model")[0] == "logistic"
    assert_frame_equal(a, b, rel_tol=1e-9)


def test_risk_flags_by_mask_hand_computed() -> None:
    flags = {f"flag_{f}": [False, False, None] for f in churn.FLAGS}
    flags["flag_inactive"] = [True, False, True]
    flags["flag_decline"] = [True, False, None]
    flags["flag_complaint_open"] = [False, True, False]
    got = pl.DataFrame(flags).select(churn.risk_flags_expr())
    expected = pl.DataFrame({"risk_flags": [["inactive", "decline"], ["complaint_open"],
                                            ["inactive"]]})
    assert_frame_equal(got, expected)


@pytest.mark.parametrize("ids", [
    ["b", "a", "ab", "", "B", "a b", "中文", "中", "é", "z", "10", "9", "𝄞", "\x7f"],
    ["CUST-000000010", "CUST-000000009", "CUST-00000001", "CUST-0000000100"],
])
def test_scores_come_in_string_order(ids: list[str]) -> None:
    """The occasion table's order (DuckDB) is Polars' string order: no sort needed."""
    orders = pl.DataFrame({"customer_id": ids, "order_date": [D(2024, 1, 1)] * len(ids),
                           "amount": [1.0] * len(ids)})
    data = CrmData(empty_frame("customers"),
                   pl.concat([empty_frame("orders"), orders], how="diagonal_relaxed"),
                   empty_frame("complaints"), empty_frame("interactions"))
    got = churn.churn_scores(data, CrmConfig(), D(2024, 1, 31)).get_column("customer_id")
    assert got.to_list() == sorted(ids) and got.is_sorted()
