"""KPIs over complete, equal periods against hand-computed values on a small store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from crm_logic import kpis, periods, store
from crm_logic.config import CrmConfig
from crm_logic.report import build_report

D = dt.date


def small_store(path: Path) -> store.CrmData:
    """Eight customers, Jan-Mar 2024; E, H, F recorded lost on 2/15, 2/25, 3/10."""
    orders = [("A", D(2024, 1, 5), 100.0), ("A", D(2024, 2, 10), 50.0),
              ("A", D(2024, 3, 15), 30.0), ("B", D(2024, 1, 10), 200.0),
              ("B", D(2024, 2, 20), -20.0), ("C", D(2024, 2, 5), 80.0),
              ("D", D(2024, 3, 2), 40.0), ("E", D(2024, 1, 3), 60.0),
              ("F", D(2024, 1, 4), 70.0), ("F", D(2024, 2, 1), 10.0),
              ("G", D(2024, 1, 20), 90.0), ("H", D(2024, 2, 12), 25.0)]
    churn = {"E": D(2024, 2, 15), "H": D(2024, 2, 25), "F": D(2024, 3, 10)}
    customers = pl.DataFrame({"customer_id": list("ABCDEFGH"),
                              "churn_date": [churn.get(c) for c in "ABCDEFGH"]})
    complaints = pl.DataFrame(
        [("K1", D(2024, 2, 3), "A", D(2024, 2, 6)), ("K2", D(2024, 2, 20), "H", D(2024, 3, 5)),
         ("K3", D(2024, 3, 25), "B", None), ("K4", D(2024, 3, 1), "F", D(2024, 3, 20)),
         ("K5", D(2024, 3, 5), "C", D(2024, 3, 6))],
        schema=["complaint_id", "received_date", "customer_id", "resolved_date"], orient="row")
    frames = {"orders": pl.DataFrame(orders, schema=["customer_id", "order_date", "amount"],
                                     orient="row"),
              "customers": customers, "complaints": complaints}
    con = store.connect(path)
    for name, df in frames.items():
        con.register("src", df.to_arrow())
        con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM src")
        con.unregister("src")
    data = store.load_data(con)
    con.close()
    return data


def P(a: dt.date, b: dt.date) -> periods.Period:  # noqa: N802
    return periods.Period(a, b)


def test_periods() -> None:
    assert kpis.period_of(D(2024, 2, 10), "month") == P(D(2024, 2, 1), D(2024, 2, 29))
    assert kpis.period_of(D(2024, 2, 10), "quarter") == P(D(2024, 1, 1), D(2024, 3, 31))
    assert kpis.period_of(D(2024, 12, 31), "quarter") == P(D(2024, 10, 1), D(2024, 12, 31))
    assert kpis.period_of(D(2024, 7, 1), "year") == P(D(2024, 1, 1), D(2024, 12, 31))
    # as_of on a period's last day: that period is complete; otherwise the one before
    assert kpis.complete_periods(D(2024, 3, 31), "month") == (
        P(D(2024, 3, 1), D(2024, 3, 31)), P(D(2024, 2, 1), D(2024, 2, 29)))
    assert kpis.complete_periods(D(2024, 3, 30), "month")[0] == P(D(2024, 2, 1), D(2024, 2, 29))
    assert kpis.complete_periods(D(2024, 1, 15), "year") == (
        P(D(2023, 1, 1), D(2023, 12, 31)), P(D(2022, 1, 1), D(2022, 12, 31)))
    with pytest.raises(ValueError, match="kpi_period"):
        kpis.complete_periods(D(2024, 1, 15), "week")


def test_churn_range_compounds_the_monthly_range() -> None:
    cfg = CrmConfig(kpi_period="quarter", churn_rate_acceptable_max=0.1)
    assert kpis.churn_range(cfg)[1] == pytest.approx(1 - 0.9 ** 3)
    assert kpis.churn_range(CrmConfig())[1] == pytest.approx(0.05)


def test_kpis_on_a_small_store(tmp_path: Path) -> None:
    data = small_store(tmp_path / "k.duckdb")
    rep = build_report(data, CrmConfig(), D(2024, 3, 31))
    k = rep["kpis"]
    assert rep["kpi_period"]["current"] == ["2024-03-01", "2024-03-31"]
    # March: start A,B,C,F,G (E, H lost in Feb); F lost; D new; active at the end A,B,C,D,G
    # Feb: start A,B,E,F,G; E and H lost; C and H new; active at the end A,B,C,F,G
    expect = {"active_customers": (5, 5, 0.0), "new_customers": (1, 2, -0.5),
              "lost_customers": (1, 2, -0.5), "churn_rate": (0.2, 0.4, -0.2),
              "retention_rate": (0.8, 0.8, 0.0),
              "revenue": (70.0, 145.0, 70 / 145 - 1),  # A 30 + D 40; A 50 B -20 C 80 F 10 H 25
              "open_complaints": (1, 1, 0.0),  # K3 at 3/31; K2 at 2/29
              "sla_breach_rate": (1 / 3, 0.5, 1 / 3 - 0.5),  # K4 of K3-K5; K2 (open, 9 d) of K1-K2
              "complaint_to_churn_rate": (1 / 3, 0.5, 1 / 3 - 0.5)}  # F of B,C,F; H of A,H
    for name, (v, p, c) in expect.items():
        got = k[name]
        assert (got["value"], got["previous"], got["change"]) == pytest.approx((v, p, c)), name
        assert got["reason"] is None, name
    assert k["churn_rate"]["alert"] is True  # 0.2 > 0.05
    assert k["churn_rate"]["unit"] == "rate" and k["revenue"]["unit"] == "money"
    assert set(k) == set(kpis.KPIS)


def test_previous_period_not_covered(tmp_path: Path) -> None:
    data = small_store(tmp_path / "k.duckdb")
    rep = build_report(data, CrmConfig(), D(2024, 2, 29))  # Jan starts before the data (1/3)
    rev = rep["kpis"]["revenue"]
    assert rev["value"] == pytest.approx(145.0)
    assert (rev["previous"], rev["change"], rev["reason"]) == (None, None, "previous_not_covered")
    q = build_report(data, CrmConfig(kpi_period="quarter"), D(2024, 3, 31))["kpis"]["revenue"]
    assert (q["value"], q["previous"], q["reason"]) == (None, None, "no_complete_period")


def test_value_snapshots() -> None:
    """Average CLV of active customers, big tiers' value share, big tiers at high risk."""
    snap = pl.DataFrame({
        "customer_id": ["a", "b", "c", "d"],
        "lifetime_value": [600.0, 300.0, 100.0, 0.0],
        "value_tier": ["platinum", "gold", "iron", "lead"],
        "churned": [False, False, False, True],
        "risk_level": ["high", "low", "high", None],
    })
    got = kpis._snapshot(snap)
    assert got == {"avg_lifetime_value": pytest.approx(1000 / 3),
                   "big_tier_value_share": pytest.approx(0.9), "big_tier_high_risk": 1}


def test_inactive_customers_count_as_lost_when_recognised() -> None:
    """An inactive customer is lost the day after its silence exceeds its churn gap."""
    table = pl.DataFrame({
        "customer_id": ["x", "y", "z"],
        "first_order_date": [D(2023, 1, 1)] * 3,
        "churned": [True, True, False],
        "churn_date": [D(2023, 8, 20), D(2024, 3, 5), None],  # x: last purchase; y: recorded
        "churn_source": ["inactivity", "recorded", None],
        "churn_gap_days": [180.0, 180.0, 180.0],
    })
    # x: 2023-08-20 + 181 days = 2024-02-17 (Feb); y: 2024-03-05 (Mar)
    feb = kpis._flows(table, D(2024, 2, 1), D(2024, 2, 29))
    mar = kpis._flows(table, D(2024, 3, 1), D(2024, 3, 31))
    assert (feb["lost_customers"], feb["active_customers"], feb["churn_rate"]) == (1, 2, 1 / 3)
    assert (mar["lost_customers"], mar["active_customers"], mar["churn_rate"]) == (1, 1, 0.5)


def test_action_names_in_both_languages() -> None:
    from crm_logic.actions import ACTIONS
    from crm_logic.i18n import TEXTS

    missing = [k for a in ACTIONS for k in (f"action.{a}", f"action.{a}.what")
               if k not in TEXTS]
    assert missing == []


def test_report_snapshot_equals_the_full_analysis(sample_db: Path) -> None:
    """The report's cheaper past-period snapshot (no life curves, no intervals) gives the
    value KPIs the full analysis gives, at both compared period ends."""
    from crm_logic import pipeline

    con = store.connect(sample_db, read_only=True)
    data = store.load_data(con)
    con.close()
    cfg = CrmConfig()
    day = pipeline.resolve_as_of(data, None)
    for period in kpis.complete_periods(day, cfg.kpi_period):
        full = pipeline.analyse(data, cfg, period.end).customers
        snap = pipeline.snapshot(data, cfg, period.end)
        assert kpis._snapshot(snap) == kpis._snapshot(full)
        assert kpis._snapshot(snap)["big_tier_high_risk"] > 0


def test_snapshot_relabelled_equals_the_snapshot_under_new_labels(sample_db: Path) -> None:
    """The app holds a past period's snapshot per features stage and re-labels it for tier
    shares and risk levels: the same table the snapshot gives under those labels."""
    from polars.testing import assert_frame_equal

    from crm_logic import pipeline

    con = store.connect(sample_db, read_only=True)
    data = store.load_data(con, lines=False)
    con.close()
    day = kpis.complete_periods(pipeline.resolve_as_of(data, None), "month")[1].end
    base = pipeline.snapshot(data, CrmConfig(), day)
    for labels in ({"tier_platinum_share": 0.2, "tier_gold_share": 0.3},
                   {"risk_high": 0.3, "risk_medium": 0.1}):
        cfg = CrmConfig(**labels)
        assert_frame_equal(pipeline.relabel_snapshot(base, cfg),
                           pipeline.snapshot(data, cfg, day))
