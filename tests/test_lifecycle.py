"""Lifecycle rules on small hand-built histories with hand-computed answers."""

from __future__ import annotations

import dataclasses
import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from crm_logic import lifecycle as lc
from crm_logic import store
from crm_logic.config import CrmConfig

# the data of each test starts with its first customer: starts known unless a test says so
CFG = CrmConfig(unknown_start_days=0, unknown_start_gaps=0.0)
AS_OF = dt.date(2022, 12, 31)


def _orders(rows: list[tuple[str, dt.date, float]]) -> pl.DataFrame:
    """An orders frame with the canonical schema from (customer_id, order_date, amount)."""
    frame = pl.DataFrame(
        rows, schema={"customer_id": pl.String, "order_date": pl.Date, "amount": pl.Float64},
        orient="row",
    )
    return pl.concat([store.empty_frame("orders"), frame], how="diagonal")


def _data(rows: list[tuple[str, dt.date, float]],
          customers: pl.DataFrame | None = None) -> store.CrmData:
    return store.CrmData(
        customers=customers if customers is not None else store.empty_frame("customers"),
        orders=_orders(rows),
        complaints=store.empty_frame("complaints"),
        interactions=store.empty_frame("interactions"),
    )


def _month(start: dt.date, k: int, day: int = 15) -> dt.date:
    """The `day` of the month k months after `start`'s month."""
    m = start.year * 12 + start.month - 1 + k
    return dt.date(m // 12, m % 12 + 1, day)


def _monthly(cid: str, start: dt.date, amounts: list[float]) -> list[tuple[str, dt.date, float]]:
    """One purchase a month, the 15th, with these amounts (0 = no purchase that month)."""
    return [(cid, _month(start, k), a) for k, a in enumerate(amounts) if a]


def _one(data: store.CrmData, cid: str, cfg: CrmConfig = CFG,
         as_of: dt.date = AS_OF) -> dict[str, object]:
    frame = lc.customer_lifecycle(data, cfg, as_of).filter(pl.col("customer_id") == cid)
    assert frame.height == 1
    return frame.row(0, named=True)


# --- the plain cases of the issue ------------------------------------------------------------


def test_one_trial_purchase_then_gone_is_early_abort() -> None:
    row = _one(_data([("A", dt.date(2020, 3, 10), 80.0)]), "A")
    assert row["churned"] is True
    assert row["churn_source"] == "inactivity"
    assert row["churn_date"] == dt.date(2020, 3, 10)  # dated at the last purchase
    assert row["lifecycle_pattern"] == "early_abort"
    assert row["peak_stage"] == "exploration"
    assert row["lifecycle_stage"] == "exploration"
    assert row["lifetime_days"] == 0


def test_two_trial_purchases_then_gone_is_early_abort() -> None:
    rows = [("A", dt.date(2020, 3, 10), 80.0), ("A", dt.date(2020, 5, 2), 60.0)]
    row = _one(_data(rows), "A")
    assert (row["lifecycle_pattern"], row["lifetime_days"]) == ("early_abort", 53)


def test_lost_while_rising_is_mid_term_abort() -> None:
    rows = _monthly("B", dt.date(2020, 1, 1), [100, 200, 300, 400, 500, 600, 700, 800])
    row = _one(_data(rows), "B")
    assert row["churned"] is True
    assert row["lifecycle_pattern"] == "mid_term_abort"  # a rising series is not a plateau
    assert row["peak_stage"] == "formation"
    assert row["lifecycle_stage"] == "formation"
    assert row["stability_periods"] == 0


def test_noisy_rise_is_still_mid_term_abort() -> None:
    rows = _monthly("B", dt.date(2020, 1, 1), [100, 150, 130, 260, 240, 420, 380, 650, 600, 950])
    assert _one(_data(rows), "B")["lifecycle_pattern"] == "mid_term_abort"


def test_short_plateau_then_lost_is_early_exit() -> None:
    rows = _monthly("C", dt.date(2020, 1, 1), [100, 200, 300] + [300] * 5)
    row = _one(_data(rows), "C")
    assert row["lifecycle_pattern"] == "early_exit"
    assert row["peak_stage"] == "stability"
    assert row["lifecycle_stage"] == "stability"
    # centred 3-month mean: 100, 200, 266.7, 300, 300, 300, 300, 300 (last: 2 months).
    # The peak grows < 20% over 3 months from month 4 on: a plateau (months 4-7), reaching
    # back to month 3, the first past exploration (which lasts `exploration_min_months`, 3)
    # within 70% of the plateau: 5 months.
    assert row["stability_periods"] == 5
    assert row["stability_months"] == pytest.approx(5.0)


def test_long_plateau_then_lost_is_long_term_with_or_without_decline() -> None:
    rise = [100, 200, 300]
    plain = _monthly("L1", dt.date(2018, 1, 1), rise + [300] * 20)
    declined = _monthly("L2", dt.date(2018, 1, 1), rise + [300] * 20 + [100] * 6)
    frame = lc.customer_lifecycle(_data(plain + declined), CFG, AS_OF)
    got = {r["customer_id"]: r for r in frame.iter_rows(named=True)}
    assert got["L1"]["lifecycle_pattern"] == "long_term"
    assert got["L1"]["lifecycle_stage"] == "stability"
    assert got["L2"]["lifecycle_pattern"] == "long_term"
    assert got["L2"]["lifecycle_stage"] == "decline"  # the stage when lost
    # smoothed 100, 200, 266.7, 300...: stability from month 3 (exploration lasts 3 months)
    # to the end (month 22): 20. L2's smoothed volume at the turn, 233 and 167, is still
    # above 50% of the peak (300).
    assert got["L1"]["stability_periods"] == 20
    assert got["L2"]["stability_periods"] == 21


def test_long_term_threshold_is_a_what_if() -> None:
    rows = _monthly("C", dt.date(2018, 1, 1), [100, 200, 300] + [300] * 10)
    assert _one(_data(rows), "C")["lifecycle_pattern"] == "early_exit"  # 10 < 12 months
    shorter = dataclasses.replace(CFG, long_term_min_months=6)
    assert _one(_data(rows), "C", shorter)["lifecycle_pattern"] == "long_term"


def test_active_customers_have_a_stage_and_no_pattern() -> None:
    start = dt.date(2021, 1, 1)
    rows = (
        [("N", dt.date(2022, 12, 5), 90.0)]  # new: exploration
        + _monthly("F", dt.date(2022, 6, 1), [100, 150, 200, 300, 400, 550, 700])  # rising
        + _monthly("S", start, [300] * 24)  # stable
        + _monthly("D", start, [300] * 18 + [100] * 6)  # well below its peak, staying there
    )
    frame = lc.customer_lifecycle(_data(rows), CFG, AS_OF)
    got = {r["customer_id"]: r for r in frame.iter_rows(named=True)}
    assert {k: v["lifecycle_stage"] for k, v in got.items()} == {
        "N": "exploration", "F": "formation", "S": "stability", "D": "decline",
    }
    assert all(v["churned"] is False and v["lifecycle_pattern"] is None for v in got.values())
    assert all(v["churn_date"] is None for v in got.values())
    assert got["S"]["lifetime_days"] == (AS_OF - dt.date(2021, 1, 15)).days


# --- end of a relationship -------------------------------------------------------------------


def test_churn_gap_respects_the_customers_rhythm() -> None:
    # every 100 days: typical gap 100, threshold max(180, 3 x 100) = 300 days
    slow = [("S", dt.date(2020, 1, 1) + dt.timedelta(days=100 * k), 100.0) for k in range(6)]
    last_slow = slow[-1][1]
    as_of = last_slow + dt.timedelta(days=250)
    row = _one(_data(slow), "S", as_of=as_of)
    assert (row["typical_gap_days"], row["churn_gap_days"]) == (100.0, 300.0)
    assert row["churned"] is False
    assert _one(_data(slow), "S", as_of=last_slow + dt.timedelta(days=301))["churned"] is True
    # monthly buyer: threshold is the floor, 180 days
    fast = _monthly("F", dt.date(2020, 1, 1), [100] * 6)
    as_of = fast[-1][1] + dt.timedelta(days=181)
    row = _one(_data(fast), "F", as_of=as_of)
    assert (row["churn_gap_days"], row["churned"]) == (180.0, True)
    assert _one(_data(fast), "F", as_of=as_of - dt.timedelta(days=1))["churned"] is False


def test_recorded_churn_date_is_used_where_the_data_has_it() -> None:
    rows = _monthly("R", dt.date(2022, 1, 1), [100] * 11)  # last purchase 2022-11-15
    customers = pl.DataFrame({"customer_id": ["R"], "churn_date": [dt.date(2022, 12, 1)]}).join(
        store.empty_frame("customers").drop("churn_date"), on="customer_id", how="left"
    ).select(store.empty_frame("customers").columns)
    row = _one(_data(rows, customers), "R")
    assert (row["churned"], row["churn_source"]) == (True, "recorded")
    assert row["churn_date"] == dt.date(2022, 12, 1)
    assert row["lifetime_days"] == (dt.date(2022, 12, 1) - dt.date(2022, 1, 15)).days
    # as of a day before the recorded date the customer is still active
    assert _one(_data(rows, customers), "R", as_of=dt.date(2022, 11, 30))["churned"] is False


def test_purchase_after_recorded_churn_means_the_customer_came_back() -> None:
    rows = _monthly("R", dt.date(2022, 1, 1), [100] * 12)  # buys until 2022-12-15
    customers = pl.DataFrame(
        {"customer_id": ["R"], "churn_date": [dt.date(2022, 6, 1)]}
    ).with_columns(pl.col("churn_date").cast(pl.Date))
    assert _one(_data(rows, customers), "R")["churned"] is False


def test_only_data_up_to_as_of_is_used() -> None:
    rows = _monthly("X", dt.date(2022, 1, 1), [100, 200]) + [("X", dt.date(2030, 1, 1), 1e6)]
    row = _one(_data(rows), "X", as_of=dt.date(2022, 3, 1))
    assert (row["occasions"], row["revenue"]) == (2, 300.0)
    assert row["last_purchase"] == dt.date(2022, 2, 15)


# --- the volume series -----------------------------------------------------------------------


def test_volume_series_is_dense_smoothed_and_counts_occasions_per_day() -> None:
    rows = [
        ("A", dt.date(2022, 1, 3), 10.0), ("A", dt.date(2022, 1, 3), 20.0),  # one occasion
        ("A", dt.date(2022, 1, 20), 30.0),
        ("A", dt.date(2022, 3, 9), 90.0),  # February has no purchase
        ("A", dt.date(2022, 4, 1), -30.0),  # a refund
    ]
    got = lc.volume_series(_orders(rows), CFG, dt.date(2022, 4, 30))
    # typical gap: median of 17 and 48 days = 32.5 -> 2 x 32.5 / 30.4 -> 2 periods < 3
    expected = pl.DataFrame(
        {
            "customer_id": ["A"] * 4,
            "period_start": [dt.date(2022, m, 1) for m in (1, 2, 3, 4)],
            "period_index": [0, 1, 2, 3],
            "occasions": [2, 0, 1, 0],  # a refund-only day is no purchase
            "revenue": [60.0, 0.0, 90.0, -30.0],
            "volume": [60.0, 0.0, 90.0, -30.0],
            # centred 3-month mean; the month before the start counts as 0, the last
            # month has no month after it: (90 - 30) / 2
            "volume_smoothed": [20.0, 50.0, 20.0, 30.0],
            # robust peak: running max of the level held two periods, min(20, 50), min(50,
            # 20), min(20, 30), and the last period alone (30)
            "peak_volume": [20.0, 20.0, 20.0, 30.0],
            "smoothing_window": [3, 3, 3, 3],
        },
        schema=lc.SERIES_SCHEMA,
    )
    assert_frame_equal(got, expected)


def test_smoothing_window_widens_for_slow_buyers() -> None:
    # every second month, same amount: a 3-month mean would swing between 1/3 and 2/3;
    # the window covers two typical gaps (61 days: 4 months) so the series stays flat
    rows = _monthly("B", dt.date(2020, 1, 1), [120, 0] * 12)
    series = lc.volume_series(_orders(rows), CFG, dt.date(2021, 11, 30))
    assert series.get_column("smoothing_window").unique().to_list() == [4]
    tail = series.filter(pl.col("period_index") >= 5).get_column("volume_smoothed")
    assert tail.min() >= 0.4 * tail.max()
    row = _one(_data(rows), "B", as_of=dt.date(2021, 11, 30))
    assert row["lifecycle_stage"] == "stability"


def test_active_series_runs_to_the_last_complete_period() -> None:
    rows = _monthly("A", dt.date(2022, 1, 1), [100] * 8)  # last purchase 2022-08-15
    series = lc.volume_series(_orders(rows), CFG, dt.date(2022, 11, 20))
    assert series.get_column("period_start").max() == dt.date(2022, 10, 1)
    series = lc.volume_series(_orders(rows), CFG, dt.date(2022, 11, 30))
    assert series.get_column("period_start").max() == dt.date(2022, 11, 1)


def test_lost_customers_series_ends_at_the_last_purchase() -> None:
    rows = _monthly("A", dt.date(2019, 1, 1), [100] * 5)
    series = lc.volume_series(_orders(rows), CFG, AS_OF)
    assert series.height == 5
    assert series.get_column("period_start").max() == dt.date(2019, 5, 1)


@pytest.mark.parametrize("period", ["week", "month", "quarter"])
def test_periods_are_selectable(period: str) -> None:
    # 15 months rising: five full quarters
    rows = _monthly("B", dt.date(2020, 1, 1), [100.0 * (i + 1) for i in range(15)])
    rows += _monthly("L", dt.date(2018, 1, 1), [100, 200, 300] + [300] * 24)
    rows += [("A", dt.date(2020, 3, 10), 80.0)]
    cfg = dataclasses.replace(CFG, lifecycle_period=period)
    frame = lc.customer_lifecycle(_data(rows), cfg, AS_OF)
    got = dict(frame.select("customer_id", "lifecycle_pattern").iter_rows())
    assert got == {"A": "early_abort", "B": "mid_term_abort", "L": "long_term"}
    series = lc.volume_series(_orders(rows), cfg, AS_OF)
    starts = series.filter(pl.col("customer_id") == "L").get_column("period_start")
    assert starts.is_sorted() and starts.n_unique() == starts.len()


def test_months_to_periods() -> None:
    assert lc.months_to_periods(3, "month") == 3
    assert lc.months_to_periods(3, "quarter") == 1
    assert lc.months_to_periods(1, "quarter") == 1  # at least one period
    assert lc.months_to_periods(12, "week") == 52
    assert lc.months_to_periods(2, "week") == 9


def test_period_index_and_start_are_inverse() -> None:
    days = pl.Series("d", [dt.date(2021, 1, 1), dt.date(2021, 5, 31), dt.date(2024, 12, 30)])
    for period, starts in {
        "month": [dt.date(2021, 1, 1), dt.date(2021, 5, 1), dt.date(2024, 12, 1)],
        "quarter": [dt.date(2021, 1, 1), dt.date(2021, 4, 1), dt.date(2024, 10, 1)],
        "week": [dt.date(2020, 12, 28), dt.date(2021, 5, 31), dt.date(2024, 12, 30)],
    }.items():
        out = pl.DataFrame(days).select(
            lc.period_start(lc.period_index(pl.col("d"), period), period).alias("s")
        )
        assert out.get_column("s").to_list() == starts


def test_occasions_volume_counts_purchase_days() -> None:
    rows = _monthly("A", dt.date(2022, 1, 1), [500, 10, 10])
    cfg = dataclasses.replace(CFG, lifecycle_volume="occasions")
    series = lc.volume_series(_orders(rows), cfg, dt.date(2022, 3, 31))
    assert series.get_column("volume").to_list() == [1.0, 1.0, 1.0]


def test_bad_config_is_refused() -> None:
    with pytest.raises(ValueError, match="lifecycle_period"):
        lc.volume_series(_orders([]), dataclasses.replace(CFG, lifecycle_period="day"), AS_OF)


# --- empty and odd data ----------------------------------------------------------------------


def test_empty_tables_give_empty_frames_with_the_schema() -> None:
    data = store.CrmData(*(store.empty_frame(t) for t in store.TABLES))
    life = lc.customer_lifecycle(data, CFG, AS_OF)
    assert life.height == 0 and life.schema == pl.Schema(lc.LIFECYCLE_SCHEMA)
    hist = lc.stage_history(data, CFG, AS_OF)
    assert hist.height == 0 and "stage" in hist.columns
    assert lc.lifecycle_counts(life)["customers"] == {"active": 0, "churned": 0}
    assert lc.pattern_summary(life).get_column("customers").to_list() == [0, 0, 0, 0, 0]
    assert lc.stage_transitions(hist).height == 0
    assert lc.cohort_retention(hist).height == 0
    assert lc.stage_mix(hist).height == 0
    assert lc.life_curves(hist, life).height == 0


def test_customers_without_orders_and_null_ids_are_left_out() -> None:
    rows = [("A", dt.date(2022, 1, 1), 10.0), (None, dt.date(2022, 1, 1), 10.0)]
    customers = pl.DataFrame({"customer_id": ["A", "B"]}).with_columns(
        pl.lit(None, pl.Date).alias("churn_date"))
    frame = lc.customer_lifecycle(_data(rows, customers), CFG, AS_OF)  # type: ignore[arg-type]
    assert frame.get_column("customer_id").to_list() == ["A"]


# --- summaries -------------------------------------------------------------------------------


def _mixed() -> store.CrmData:
    rows = (
        [("A", dt.date(2020, 3, 10), 80.0)]
        + _monthly("B", dt.date(2020, 1, 1), [100, 200, 300, 400, 500, 600, 700, 800])
        + _monthly("L", dt.date(2018, 1, 1), [100, 200, 300] + [300] * 20)
        + _monthly("S", dt.date(2021, 1, 1), [300] * 24)
        + [("N", dt.date(2022, 12, 5), 90.0)]
    )
    return _data(rows)


def test_lifecycle_counts_for_the_report() -> None:
    life = lc.customer_lifecycle(_mixed(), CFG, AS_OF)
    assert lc.lifecycle_counts(life) == {
        "customers": {"active": 2, "churned": 3},
        "stages": {"exploration": 1, "formation": 0, "stability": 1, "decline": 0},
        "patterns": {"early_abort": 1, "mid_term_abort": 1, "early_exit": 0, "long_term": 1,
                     "unknown_start": 0},
    }


def test_pattern_summary() -> None:
    life = lc.customer_lifecycle(_mixed(), CFG, AS_OF)
    got = lc.pattern_summary(life)
    assert got.get_column("lifecycle_pattern").to_list() == list(lc.PATTERN_CODES)
    assert got.get_column("customers").to_list() == [1, 1, 0, 1, 0]
    assert got.get_column("avg_value").to_list()[:2] == [80.0, 3600.0]
    assert got.get_column("avg_value")[3] == 600.0 + 300.0 * 20
    assert got.get_column("share").to_list()[0] == pytest.approx(1 / 3)
    assert got.get_column("avg_lifetime_days")[0] == 0.0


def test_stage_mix_counts_running_relationships() -> None:
    hist = lc.stage_history(_mixed(), CFG, AS_OF)
    mix = lc.stage_mix(hist, periods=1)
    assert mix.get_column("period_start").unique().to_list() == [dt.date(2022, 12, 1)]
    assert dict(mix.select("stage", "customers").iter_rows()) == {
        "exploration": 1, "stability": 1,
    }
    assert mix.get_column("share").sum() == pytest.approx(1.0)


def test_stage_transitions_over_the_window() -> None:
    hist = lc.stage_history(_mixed(), CFG, AS_OF)
    got = lc.stage_transitions(hist, periods=12)  # from 2021-12 to 2022-12
    assert dict(((a, b), n) for a, b, n in got.iter_rows()) == {
        ("stability", "stability"): 1,  # S
        ("new", "exploration"): 1,  # N
    }
    got = lc.stage_transitions(hist, periods=60)
    pairs = {(a, b): n for a, b, n in got.iter_rows()}
    assert pairs[("new", "lost")] == 2  # A and B started and were lost within the window
    assert pairs[("exploration", "lost")] == 1  # L was in its first month 60 months ago


def test_cohort_retention() -> None:
    rows = (
        _monthly("A", dt.date(2022, 1, 1), [10, 10, 0, 10])
        + _monthly("B", dt.date(2022, 1, 1), [10])
        + _monthly("C", dt.date(2022, 2, 1), [10, 10])
    )
    hist = lc.stage_history(_data(rows), CFG, dt.date(2022, 4, 30))
    got = lc.cohort_retention(hist)
    expected = pl.DataFrame(
        {
            "cohort": [dt.date(2022, 1, 1)] * 3 + [dt.date(2022, 2, 1)] * 2,
            "cohort_size": [2, 2, 2, 1, 1],
            "period_index": [0, 1, 3, 0, 1],
            "customers": [2, 1, 1, 1, 1],
            "retention": [1.0, 0.5, 0.5, 1.0, 1.0],
        },
        schema={"cohort": pl.Date, "cohort_size": pl.Int64, "period_index": pl.Int32,
                "customers": pl.Int64, "retention": pl.Float64},
    )
    assert_frame_equal(got, expected)


def test_life_curves_normalised_to_the_peak() -> None:
    rows = []
    for k in range(5):
        rows += _monthly(f"B{k}", dt.date(2020, 1, 1), [100 * (k + 1) * (i + 1) for i in range(6)])
    life = lc.customer_lifecycle(_data(rows), CFG, AS_OF)
    hist = lc.stage_history(_data(rows), CFG, AS_OF)
    raw = lc.life_curves(hist, life, normalise=False)
    norm = lc.life_curves(hist, life, normalise=True)
    assert raw.get_column("lifecycle_pattern").unique().to_list() == ["mid_term_abort"]
    assert raw.get_column("customers").to_list() == [5] * 6
    assert raw.get_column("mean")[0] == pytest.approx(300.0)  # (0 + 100 + 200) / 3 x 1..5
    assert norm.get_column("mean").to_list()[-1] == pytest.approx(1.0)
    assert norm.get_column("mean")[0] == pytest.approx(100 / 550)  # peak: (500 + 600) / 2
    assert lc.life_curves(hist, life, min_customers=6).height == 0


def test_stage_periods_for_stage_bands() -> None:
    rows = _monthly("C", dt.date(2020, 1, 1), [100, 200, 300] + [300] * 5)
    hist = lc.stage_history(_data(rows), CFG, AS_OF)
    got = lc.stage_periods(hist, "C")
    assert got.rows() == [
        ("exploration", dt.date(2020, 1, 1), dt.date(2020, 3, 1)),
        ("stability", dt.date(2020, 4, 1), dt.date(2020, 8, 1)),
    ]
    rows = _monthly("B", dt.date(2020, 1, 1), [100, 200, 300, 400, 500, 600, 700, 800])
    got = lc.stage_periods(lc.stage_history(_data(rows), CFG, AS_OF), "B")
    assert got.get_column("stage").to_list() == ["exploration", "formation"]


def test_filter_lifecycle() -> None:
    life = lc.customer_lifecycle(_mixed(), CFG, AS_OF)
    assert lc.filter_lifecycle(life, patterns=["long_term"]).get_column(
        "customer_id").to_list() == ["L"]
    assert lc.filter_lifecycle(life, stages=["stability"], churned=False).get_column(
        "customer_id").to_list() == ["S"]
    assert lc.filter_lifecycle(life).height == life.height
