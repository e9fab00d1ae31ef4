"""The fast paths of the lifecycle: the shared purchase rule, line order, hash collisions,
the doubling running peak and the run helpers, each against a plain (slow) oracle."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from crm_logic import lifecycle as lc
from crm_logic import sample, store
from crm_logic.config import CrmConfig

# the data of each test starts with its first customer: starts known unless a test says so
CFG = CrmConfig(unknown_start_days=0, unknown_start_gaps=0.0)


def _orders(rows: list[tuple[str, dt.date, float | None]]) -> pl.DataFrame:
    frame = pl.DataFrame(
        rows, schema={"customer_id": pl.String, "order_date": pl.Date, "amount": pl.Float64},
        orient="row",
    )
    return pl.concat([store.empty_frame("orders"), frame], how="diagonal")


def _oracle_occasions(orders: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """purchase_occasions the obvious way: a hashed group-by and a sort on text."""
    days = (
        orders.filter(pl.col("customer_id").is_not_null() & pl.col("order_date").is_not_null()
                      & (pl.col("order_date") <= as_of))
        .group_by("customer_id", "order_date")
        .agg(pl.col("amount").fill_null(0.0).sum().alias("revenue"),
             (pl.col("amount").fill_null(0.0) >= 0).any().alias("purchase"))
        .sort("customer_id", "order_date")
    )
    c = (pl.col("customer_id").rank("dense") - 1).cast(pl.UInt32)
    return days.select(c.alias("c"), "customer_id", "order_date", "revenue", "purchase")


@pytest.fixture(scope="module")
def sample_orders() -> tuple[store.CrmData, dt.date]:
    g = sample.generate(1_500, seed=11)
    data = store.CrmData(g["customers"], g["orders"], g["complaints"], g["interactions"])
    as_of = g["orders"].get_column("order_date").max()
    assert isinstance(as_of, dt.date)
    return data, as_of


# --- the shared purchase rule (crm_logic.occasions) ------------------------------------------


def test_a_day_with_a_purchase_line_is_an_occasion_even_if_refunds_outweigh_it() -> None:
    rows = [
        ("A", dt.date(2022, 1, 10), 50.0), ("A", dt.date(2022, 1, 10), -80.0),  # net -30
        ("A", dt.date(2022, 2, 10), -20.0),  # refunds only: no purchase
        ("A", dt.date(2022, 3, 10), 0.0),  # a free item is a purchase
        ("A", dt.date(2022, 3, 11), None),  # an amount left empty counts as 0: a purchase
    ]
    got = lc.purchase_occasions(_orders(rows), dt.date(2022, 12, 31))
    assert got.get_column("purchase").to_list() == [True, False, True, True]
    assert got.get_column("revenue").to_list() == [-30.0, -20.0, 0.0, 0.0]
    series = lc.volume_series(_orders(rows), CFG, dt.date(2022, 3, 31))
    assert series.get_column("occasions").to_list() == [1, 0, 2]
    assert series.get_column("revenue").to_list() == [-30.0, -20.0, 0.0]


# --- line order and hash collisions never change answers --------------------------------------


@pytest.mark.parametrize(
    "order", ["as_generated", "by_customer", "by_customer_not_day", "shuffled", "reversed"])
def test_occasions_match_the_plain_group_by_whatever_the_line_order(
    sample_orders: tuple[store.CrmData, dt.date], order: str,
) -> None:
    data, as_of = sample_orders
    orders = data.orders
    if order == "by_customer":
        orders = orders.sort("customer_id", "order_date", maintain_order=True)
    elif order == "by_customer_not_day":  # grouped by customer, days in random order
        orders = orders.sample(fraction=1.0, shuffle=True, seed=4).sort(
            "customer_id", maintain_order=True)
    elif order == "shuffled":
        orders = orders.sample(fraction=1.0, shuffle=True, seed=3)
    elif order == "reversed":
        orders = orders.reverse()
    assert_frame_equal(lc.purchase_occasions(orders, as_of), _oracle_occasions(orders, as_of))


def test_lifecycle_does_not_depend_on_the_line_order(
    sample_orders: tuple[store.CrmData, dt.date],
) -> None:
    data, as_of = sample_orders
    shuffled = store.CrmData(data.customers, data.orders.sample(fraction=1.0, shuffle=True,
                                                                seed=9),
                             data.complaints, data.interactions)
    cfg = CrmConfig(lifecycle_period="week")
    assert_frame_equal(lc.customer_lifecycle(shuffled, cfg, as_of),
                       lc.customer_lifecycle(data, cfg, as_of))
    assert_frame_equal(lc.stage_history(shuffled, CFG, as_of),
                       lc.stage_history(data, CFG, as_of))


# --- grid helpers against their window (.over) definitions ------------------------------------


def _random_grid(seed: int) -> pl.DataFrame:
    """A sorted grid: customers with 1..40 periods, random values and flags."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, 41, 300)
    c = np.repeat(np.arange(lengths.size), lengths)
    pidx = np.concatenate([np.arange(n) for n in lengths])
    return pl.DataFrame({
        "c": c.astype(np.uint32),
        "period_index": pidx.astype(np.int32),
        "v": np.where(rng.random(c.size) < 0.3, 0.0, rng.random(c.size) * 100),
        "f": rng.random(c.size) < 0.5,
        "g": rng.random(c.size) < 0.1,
    })


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_running_peak_equals_cum_max_per_customer(seed: int) -> None:
    grid = _random_grid(seed)
    got = lc._running_peak(grid, "v", "peak").get_column("peak")
    want = grid.select(pl.col("v").cum_max().over("c").alias("peak")).to_series()
    assert_frame_equal(got.to_frame(), want.to_frame(), check_exact=True)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_per_customer_cum_sum_equals_its_window_definition(seed: int) -> None:
    grid = _random_grid(seed)
    for col in (pl.col("f").cast(pl.Int64), pl.col("v")):
        got = grid.select(lc._per_customer_cum_sum(col).alias("s"))
        want = grid.select(col.cum_sum().over("c").alias("s"))
        assert_frame_equal(got, want, check_exact=False, abs_tol=1e-6)


def test_running_peak_of_an_empty_grid() -> None:
    grid = _random_grid(1).head(0)
    assert lc._running_peak(grid, "v", "peak").height == 0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_run_helpers_equal_their_window_definitions(seed: int) -> None:
    grid = _random_grid(seed).with_columns(lc._run_id("f").alias("_r"))
    got = grid.select(lc._run_len("_r").alias("n"), lc._run_any("g", "_r").alias("any"))
    want = grid.select(pl.len().over("_r").alias("n").cast(got.schema["n"]),
                       pl.col("g").any().over("_r").alias("any"))
    assert_frame_equal(got, want, check_exact=True)
    # runs never cross customers
    assert grid.group_by("_r").agg(pl.col("c").n_unique()).get_column("c").max() == 1


def test_recorded_churn_lookup_matches_a_join() -> None:
    ids = pl.Series("customer_id", ["A", "B", "C", "E"])  # sorted, as `ends` holds them
    customers = pl.DataFrame({
        "customer_id": ["C", "A", "A", "D", None, "E", "0"],
        "churn_date": [dt.date(2022, 1, 1), dt.date(2022, 3, 1), dt.date(2022, 5, 1),
                       dt.date(2022, 2, 1), dt.date(2022, 2, 2), None, dt.date(2022, 6, 1)],
    })
    got = lc._recorded_churn_of(customers, ids)
    assert got.to_list() == [dt.date(2022, 5, 1), None, dt.date(2022, 1, 1), None]
    assert lc._recorded_churn_of(customers, ids.head(0)).len() == 0
    assert lc._recorded_churn_of(None, ids).null_count() == 4


def test_a_refund_before_the_first_purchase_stays_out_of_every_series() -> None:
    # B's refund-only day (February) comes before B's first purchase (May). It is no period
    # of B's series, and must not land in A's (the customer before B on the grid).
    rows = [
        ("A", dt.date(2022, 1, 15), 100.0), ("A", dt.date(2022, 2, 15), 100.0),
        ("A", dt.date(2022, 3, 15), 100.0),
        ("B", dt.date(2022, 2, 10), -40.0),
        ("B", dt.date(2022, 5, 15), 50.0), ("B", dt.date(2022, 6, 15), 70.0),
    ]
    series = lc.volume_series(_orders(rows), CFG, dt.date(2022, 6, 30))
    a = series.filter(pl.col("customer_id") == "A")
    b = series.filter(pl.col("customer_id") == "B")
    assert a.get_column("revenue").to_list() == [100.0, 100.0, 100.0, 0.0, 0.0, 0.0]
    assert b.get_column("revenue").to_list() == [50.0, 70.0]
    assert b.get_column("period_start").to_list() == [dt.date(2022, 5, 1), dt.date(2022, 6, 1)]
    life = lc.customer_lifecycle(
        store.CrmData(store.empty_frame("customers"), _orders(rows),
                      store.empty_frame("complaints"), store.empty_frame("interactions")),
        CFG, dt.date(2022, 6, 30))
    revenue = dict(life.select("customer_id", "revenue").iter_rows())
    assert revenue == {"A": 300.0, "B": 80.0}  # the customer's total keeps the refund
