"""The rules of issue 17, each on hand-built histories with hand-computed answers."""

from __future__ import annotations

import dataclasses
import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from crm_logic import lifecycle as lc
from crm_logic import sample, store
from crm_logic.config import CrmConfig
from crm_logic.plausibility import implausible_lines, implausible_warning

AS_OF = dt.date(2022, 12, 31)
KNOWN = CrmConfig(unknown_start_days=0, unknown_start_gaps=0.0)  # starts known


def _data(rows: list[tuple[str, dt.date, float]]) -> store.CrmData:
    frame = pl.DataFrame(
        rows, schema={"customer_id": pl.String, "order_date": pl.Date, "amount": pl.Float64},
        orient="row")
    orders = pl.concat([store.empty_frame("orders"), frame], how="diagonal")
    return store.CrmData(store.empty_frame("customers"), orders,
                         store.empty_frame("complaints"), store.empty_frame("interactions"))


def _month(start: dt.date, k: int, day: int = 15) -> dt.date:
    m = start.year * 12 + start.month - 1 + k
    return dt.date(m // 12, m % 12 + 1, day)


def _monthly(cid: str, start: dt.date, amounts: list[float]) -> list[tuple[str, dt.date, float]]:
    return [(cid, _month(start, k), a) for k, a in enumerate(amounts) if a]


def _life(rows: list[tuple[str, dt.date, float]], cfg: CrmConfig = KNOWN,
          as_of: dt.date = AS_OF) -> dict[str, dict[str, object]]:
    frame = lc.customer_lifecycle(_data(rows), cfg, as_of)
    return {r["customer_id"]: r for r in frame.iter_rows(named=True)}


def _stages(rows: list[tuple[str, dt.date, float]], cid: str, cfg: CrmConfig = KNOWN,
            as_of: dt.date = AS_OF) -> str:
    """One letter per period: E, F, S, D."""
    hist = lc.stage_history(_data(rows), cfg, as_of).filter(pl.col("customer_id") == cid)
    return "".join(s[0].upper() for s in hist.sort("period_index").get_column("stage"))


# --- unknown start and the observable window ---------------------------------------------------


def test_relationship_older_than_the_data_has_no_exploration_and_no_pattern() -> None:
    anchor = [("Z", dt.date(2018, 1, 10), 50.0)]  # the data starts 2018-01-10
    steady = [300.0] * 8
    rows = anchor + _monthly("U", dt.date(2018, 1, 1), steady) \
        + _monthly("K", dt.date(2019, 1, 1), steady)
    got = _life(rows, CrmConfig())
    # U bought 5 days after the data's first day (< 31): its start is unknown
    assert got["U"]["unknown_start"] is True and got["K"]["unknown_start"] is False
    assert got["U"]["lifecycle_pattern"] == "unknown_start"  # history before the data
    assert got["K"]["lifecycle_pattern"] == "early_exit"  # trials, then a short plateau
    assert _stages(rows, "U", CrmConfig())[0] != "E"  # no exploration
    assert _stages(rows, "K", CrmConfig())[:3] == "EEE"
    # long observed stability is long-term whatever came before
    long_rows = anchor + _monthly("U", dt.date(2018, 1, 1), [300.0] * 20)
    assert _life(long_rows, CrmConfig())["U"]["lifecycle_pattern"] == "long_term"


def test_unknown_start_reaches_two_typical_gaps_into_the_data() -> None:
    anchor = [("Z", dt.date(2020, 1, 1), 50.0)]
    # every 60 days, four gaps: own typical gap 60, reach 2 x 60 = 120 days
    near = [("N", dt.date(2020, 1, 1) + dt.timedelta(days=100 + 60 * k), 200.0)
            for k in range(5)]
    far = [("F", dt.date(2020, 1, 1) + dt.timedelta(days=130 + 60 * k), 200.0)
           for k in range(5)]
    got = _life(anchor + near + far, CrmConfig(), dt.date(2020, 12, 31))
    assert got["N"]["unknown_start"] is True  # 100 days < 120
    assert got["F"]["unknown_start"] is False  # 130 days >= 120
    assert _life(anchor + near, dataclasses.replace(CrmConfig(), unknown_start_gaps=1.0),
                 dt.date(2020, 12, 31))["N"]["unknown_start"] is False  # what-if: 60 days


def test_observable_window_warns_when_too_short_for_long_term() -> None:
    short = lc.observable_window(dt.date(2010, 12, 1), dt.date(2011, 12, 9), CrmConfig())
    # 374 days = 12.3 months; minus 180 days (5.9 months) = 6.4 months to watch < 3 + 12
    assert short["months"] == pytest.approx(374 / 30.436875)
    assert short["watch"] == pytest.approx((374 - 180) / 30.436875)
    assert short["too_short"] is True
    long = lc.observable_window(dt.date(2018, 1, 1), dt.date(2021, 12, 31), CrmConfig())
    assert long["too_short"] is False  # 48 - 5.9 = 42 months >= 15


# --- exploration, formation ---------------------------------------------------------------------


def test_exploration_ends_by_purchases_and_by_tenure() -> None:
    # four purchases in the first six weeks, then monthly: three trials are quickly made,
    # but exploration lasts `exploration_min_months` (3) all the same
    fast = [("A", dt.date(2022, 1, d), 100.0) for d in (3, 10, 17, 24)] + \
        [("A", dt.date(2022, 2, 7), 100.0)] + _monthly("A", dt.date(2022, 3, 1), [200.0] * 10)
    assert _stages(fast, "A").startswith("EEE")
    assert not _stages(fast, "A").startswith("EEEE")
    one_month = dataclasses.replace(KNOWN, exploration_min_months=1)
    assert _stages(fast, "A", one_month)[:2] == "ES"  # purchases alone: 1 period, then steady


def test_shrinking_trial_orders_are_an_early_abort_not_a_mid_term_abort() -> None:
    rows = _monthly("A", dt.date(2020, 1, 1), [300.0, 250.0, 200.0, 150.0])
    got = _life(rows)["A"]
    # never rose above the trials' level (mean 250 x 1.2): exploration to the end
    assert got["lifecycle_pattern"] == "early_abort"
    assert _stages(rows, "A") == "EEEE"


def test_rise_above_the_trial_level_is_formation() -> None:
    rows = _monthly("A", dt.date(2020, 1, 1), [100.0, 100.0, 100.0, 300.0, 500.0, 700.0])
    assert _life(rows)["A"]["lifecycle_pattern"] == "mid_term_abort"
    assert _stages(rows, "A") == "EEEFFF"
    # what-if: the rise must exceed 10x the trial level: still exploration
    assert _life(rows, dataclasses.replace(KNOWN, formation_min_growth=10.0))["A"][
        "lifecycle_pattern"] == "early_abort"


# --- re-trials, plateaus, peaks, declines --------------------------------------------------------


def test_long_silence_then_purchase_starts_a_new_relationship() -> None:
    rows = _monthly("A", dt.date(2020, 1, 1), [300.0] * 12) \
        + [("A", dt.date(2022, 6, 15), 80.0), ("A", dt.date(2022, 8, 15), 90.0)]
    got = _life(rows)["A"]
    # gaps of ~30 days: lost after 180 days of silence; 17 months later a new trial
    assert got["relationships"] == 2
    assert got["first_purchase"] == dt.date(2022, 6, 15)
    assert got["churned"] is False and got["lifecycle_stage"] == "exploration"
    assert got["revenue"] == pytest.approx(300.0 * 12 + 170.0)  # all relationships


def test_plateau_ending_a_lost_series_is_early_exit_not_rising() -> None:
    # issue 17 case 3: five months at a steady 300-380 (the peak), then gone
    rows = _monthly("A", dt.date(2020, 1, 1), [320.0, 300.0, 380.0, 340.0, 360.0, 330.0,
                                               350.0])
    got = _life(rows)["A"]
    assert got["lifecycle_pattern"] == "early_exit"
    assert _stages(rows, "A") == "EEESSSS"


def test_one_off_spike_sets_no_permanent_peak() -> None:
    amounts = [300.0] * 24
    amounts[10] = 3000.0  # one big order
    rows = _monthly("A", dt.date(2021, 1, 1), amounts)
    assert _life(rows)["A"]["lifecycle_stage"] == "stability"
    # capped at 2 x the median month (600): a smoothed bump of 400, 300 is 75% of it; without
    # the cap, the spike's smoothed level (1,200) sets the peak: 300 < 50% of it
    uncapped = dataclasses.replace(KNOWN, peak_spike_multiple=0.0)
    assert _life(rows, uncapped)["A"]["lifecycle_stage"] == "decline"


def test_decline_is_judged_against_the_same_months_a_year_earlier() -> None:
    # a seasonal buyer: 1,000 in November and December, 200 in other months, two years
    amounts = [1000.0 if _month(dt.date(2020, 1, 1), k).month in (11, 12) else 200.0
               for k in range(27)]
    rows = _monthly("A", dt.date(2020, 1, 1), amounts)
    as_of = dt.date(2022, 3, 31)
    no_cap = dataclasses.replace(KNOWN, peak_spike_multiple=0.0)  # the season sets the peak
    # February and March 2022 are below half the season's held level (733), but as high as a
    # year earlier: the season ended, no decline
    assert _life(rows, no_cap, as_of)["A"]["lifecycle_stage"] != "decline"
    # what-if: compared with 10x a year earlier, February is "below": a decline
    strict = dataclasses.replace(no_cap, decline_yoy_share=10.0)
    assert _life(rows, strict, as_of)["A"]["lifecycle_stage"] == "decline"


def test_stability_after_a_decline_needs_a_new_plateau() -> None:
    base = [100.0, 200.0, 300.0] + [300.0] * 8 + [100.0] * 4
    short = _monthly("A", dt.date(2020, 1, 1), base + [300.0])
    long = _monthly("A", dt.date(2020, 1, 1), base + [300.0] * 4)
    # the decline (smoothed 100 < 50% of 300 for two months), then one month back at 300:
    # recovering, not yet a plateau: formation (before: stability again at once)
    assert _stages(short, "A", KNOWN, dt.date(2021, 4, 30)) == "EEE" + "S" * 9 + "DDFF"
    # back for four months: a new plateau, stability again
    assert _stages(long, "A", KNOWN, dt.date(2021, 7, 31)).endswith("SSS")


# --- the lost threshold, the partial last period, refund-only customers --------------------------


def test_lost_threshold_pulled_toward_the_population_and_capped() -> None:
    rows: list[tuple[str, dt.date, float]] = []
    for k in range(5):  # the population buys every 30 days (many gaps)
        rows += [(f"P{k}", dt.date(2022, 1, 1) + dt.timedelta(days=30 * i), 100.0)
                 for i in range(12)]
    rows += [("X", dt.date(2021, 1, 1), 100.0), ("X", dt.date(2021, 10, 28), 100.0)]  # 300 d
    rows += [("Y", dt.date(2020, 6, 1), 100.0), ("Y", dt.date(2021, 5, 7), 100.0)]  # 340 d
    rows += [("W", dt.date(2020, 1, 1), 100.0), ("W", dt.date(2021, 8, 23), 100.0)]  # 600 d
    got = _life(rows)
    # X: (1 x 300 + 2 x 30) / 3 = 120 days, x 3 = 360 (own gap alone: 900)
    assert got["X"]["churn_gap_days"] == pytest.approx(360.0)
    # Y: (340 + 60) / 3 = 133.3, x 3 = 400, capped at 365
    assert got["Y"]["churn_gap_days"] == pytest.approx(365.0)
    assert got["Y"]["churned"] is True  # silent 603 days > 365 (was: 1,020 days needed)
    assert got["P0"]["churn_gap_days"] == pytest.approx(180.0)  # 11 gaps: own rhythm, floor
    assert _life(rows, dataclasses.replace(KNOWN, churn_gap_cap_days=1000))["Y"][
        "churn_gap_days"] == pytest.approx(400.0)
    # W: 600 silent days > its threshold (365): the purchase after them is a new relationship,
    # with no gap of its own: the population's 30 days x 3 = 90, floor 180
    assert (got["W"]["relationships"], got["W"]["churn_gap_days"]) == (2, 180.0)


def test_partial_last_period_counts_by_its_length() -> None:
    rows = _monthly("A", dt.date(2022, 1, 1), [300.0] * 11) + [("A", dt.date(2022, 12, 5),
                                                                 100.0)]
    as_of = dt.date(2022, 12, 10)
    hist = lc.stage_history(_data(rows), KNOWN, as_of)
    last = hist.sort("period_index").tail(1).row(0, named=True)
    # centred window at the last month: November and 10/31 of December
    assert last["volume_smoothed"] == pytest.approx((300.0 + 100.0) / (1.0 + 10 / 31))


def test_refund_only_customer_has_no_relationship() -> None:
    rows = _monthly("A", dt.date(2022, 1, 1), [300.0] * 6) + [("R", dt.date(2022, 3, 1), -50.0)]
    life = lc.customer_lifecycle(_data(rows), KNOWN, AS_OF)
    assert life.get_column("customer_id").to_list() == ["A"]  # R: no stage, not active
    assert lc.lifecycle_counts(life)["customers"] == {"active": 0, "churned": 1}


# --- issue 11 item 4: one absurd amount moves no other customer ----------------------------------


def test_one_absurd_amount_changes_no_other_customer() -> None:
    g = sample.generate(2_000, seed=7)
    as_of = g["orders"].get_column("order_date").max()
    assert isinstance(as_of, dt.date)
    victim = "C000010"
    bad_line = g["orders"].filter(pl.col("customer_id") == victim).head(1).with_columns(
        pl.lit(1e20).alias("amount"))
    before = lc.customer_lifecycle(store.CrmData(g["customers"], g["orders"], g["complaints"],
                                                 g["interactions"]), CrmConfig(), as_of)
    after = lc.customer_lifecycle(store.CrmData(
        g["customers"], pl.concat([g["orders"], bad_line]), g["complaints"],
        g["interactions"]), CrmConfig(), as_of)
    both = before.join(after, on="customer_id", suffix="_b").filter(
        pl.col("customer_id") != victim)
    assert both.height == before.height - 1
    for col in ("lifecycle_stage", "lifecycle_pattern", "churned", "peak_volume"):
        assert both.filter(~pl.col(col).eq_missing(pl.col(f"{col}_b"))).height == 0, col
    # and the line is flagged: beyond 1,000 x the 99.9th percentile of |amount|
    orders = pl.concat([g["orders"], bad_line])
    assert implausible_lines(orders, CrmConfig()).get_column("customer_id").to_list() == [victim]
    warning = implausible_warning(orders, CrmConfig())
    assert warning is not None and warning["rows"] == 1 and warning["customers"] == [victim]
    assert implausible_warning(g["orders"], CrmConfig()) is None


def test_lifecycle_from_the_store_occasion_table_equals_the_lines_path() -> None:
    g = sample.generate(1_500, seed=3)
    con = store.connect(":memory:")
    store.create_schema(con)
    for table in store.TABLES:
        con.register("_t", g[table])
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _t")
        con.unregister("_t")
    held = store.load_data(con)
    assert held.occasions is not None  # the store's one occasion table
    as_of = dt.date(2026, 3, 31)
    lines = dataclasses.replace(held, occasions=None)
    # the same answers; sums differ only in the last bits (another order of addition)
    assert_frame_equal(lc.customer_lifecycle(held, CrmConfig(), as_of),
                       lc.customer_lifecycle(lines, CrmConfig(), as_of),
                       check_exact=False, rel_tol=1e-9)


def test_a_gap_seen_twice_is_rhythm_not_loss() -> None:
    # a seasonal buyer: 10, 25 November and 10 December, three years; then 202 quiet days
    rows = [("A", dt.date(y, m, d), 200.0) for y in (2019, 2020, 2021)
            for m, d in ((11, 10), (11, 25), (12, 10))]
    as_of = dt.date(2022, 6, 30)
    got = _life(rows, KNOWN, as_of)["A"]
    # gaps 15, 15, 335, 15, 15, 335, 15, 15: median 15 (x 3 < 180 floor); the second-longest
    # gap, 335 days, x 1.1 = 368.5: the quiet half-year is the customer's rhythm
    assert got["churn_gap_days"] == pytest.approx(368.5)
    assert (got["churned"], got["relationships"]) == (False, 1)
    plain = dataclasses.replace(KNOWN, churn_repeat_gap_multiple=0.0)
    got = _life(rows, plain, as_of)["A"]
    assert (got["churned"], got["relationships"]) == (True, 3)  # each season a new trial


def test_plateau_needs_purchases_in_its_periods() -> None:
    # three orders in March, one in August: the 10-month smoothing window is flat, but
    # the months between hold no purchase: no plateau to confirm (issue 17 review: 15030)
    rows = [("A", dt.date(2022, 3, d), 50.0) for d in (2, 9, 16)] + [
        ("A", dt.date(2022, 8, 20), 360.0)]
    assert "S" not in _stages(rows, "A")
    one = dataclasses.replace(KNOWN, stability_min_purchase_periods=1)
    assert "S" in _stages(rows, "A", one)


def test_config_fields_list_every_field_the_lifecycle_reads() -> None:
    """The UI caches the lifecycle per `CONFIG_FIELDS`: a field missing there would show a
    stale result after a what-if change. Every field in it exists; every rule field of this
    issue is in it."""
    fields = set(CrmConfig().to_dict())
    assert set(lc.CONFIG_FIELDS) <= fields
    for name in ("churn_prior_gaps", "churn_gap_cap_days", "churn_repeat_gap_multiple",
                 "unknown_start_days", "unknown_start_gaps", "exploration_min_months",
                 "formation_min_growth", "peak_spike_multiple", "decline_yoy_share",
                 "stability_min_purchase_periods"):
        assert name in lc.CONFIG_FIELDS
