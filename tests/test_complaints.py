"""Complaint statistics on hand-built records with hand-computed answers.

The eight complaints of `_complaints()` (as of 2024-03-31, SLA 7 days):

| id | received | cust | status text | resolved | days | age | SLA breach |
|----|----------|------|-------------|----------|------|-----|------------|
| k1 | 01-02 | A | resolved | 01-05 | 3 | 89 | no |
| k2 | 01-10 | A | closed | 01-17 | 7 | 81 | no (edge: exactly 7) |
| k3 | 01-20 | B | 已解决 | 01-28 | 8 | 71 | yes |
| k4 | 02-05 | C | 已关闭 | 03-06 | 30 | 55 | yes |
| k5 | 02-15 | D | 已解决 | — | ? | 45 | unknown (left out) |
| k6 | 03-01 | E | 处理中 | — | — | 30 | yes (open, older than SLA) |
| k7 | 03-28 | B | pending | — | — | 3 | no (open, young) |
| k8 | 03-20 | F | resolved | 04-05 (after as_of) | — | 11 | yes (open on as_of) |
| k9 | 04-02 | A | resolved | 04-03 | — | — | received after as_of: absent |
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal
from scipy.stats import binomtest

from crm_logic import complaints as cl
from crm_logic.config import CrmConfig
from crm_logic.store import SCHEMA, empty_frame, polars_schema

D = dt.date
AS_OF = D(2024, 3, 31)
CFG = CrmConfig()


def _frame(table: str, rows: list[dict]) -> pl.DataFrame:
    """Canonical-schema frame from partial row dicts (missing columns null)."""
    cols = list(SCHEMA[table])
    return pl.DataFrame([{c: r.get(c) for c in cols} for r in rows],
                        schema=polars_schema(table), orient="row")


def _complaints() -> pl.DataFrame:
    rows = [
        ("k1", D(2024, 1, 2), "A", "P1", "quality", "phone", "r1", "resolved", D(2024, 1, 5),
         5.0, True, "refund"),
        ("k2", D(2024, 1, 10), "A", "P2", "delivery", "email", "r1", "closed", D(2024, 1, 17),
         4.0, True, "replacement"),
        ("k3", D(2024, 1, 20), "B", "P1", "quality", "authority", "r2", "已解决",
         D(2024, 1, 28), 2.0, False, "compensation"),
        ("k4", D(2024, 2, 5), "C", "P1", "service", "legal", "r2", "已关闭", D(2024, 3, 6),
         1.0, None, "apology"),
        ("k5", D(2024, 2, 15), "D", "P2", "price", "phone", "r1", "已解决", None, 3.0, True,
         "refund"),
        ("k6", D(2024, 3, 1), "E", "P1", "quality", "online", "r2", "处理中", None, None,
         False, "refund"),
        ("k7", D(2024, 3, 28), "B", "P2", "billing", "phone", "r1", "pending", None, None,
         True, None),
        ("k8", D(2024, 3, 20), "F", None, None, "store", None, "resolved", D(2024, 4, 5),
         None, None, "repair"),
        ("k9", D(2024, 4, 2), "A", "P1", "quality", "phone", "r1", "resolved", D(2024, 4, 3),
         5.0, True, "refund"),
    ]
    keys = ("complaint_id", "received_date", "customer_id", "product", "category", "channel",
            "sales_rep", "status", "resolved_date", "satisfaction", "reasonable",
            "desired_resolution")
    return _frame("complaints", [dict(zip(keys, r, strict=True)) for r in rows])


def _orders() -> pl.DataFrame:
    rows = [
        ("A", D(2023, 6, 1), 100.0, "o1", "P1"),
        ("A", D(2023, 6, 1), 50.0, "o1", "P2"),  # same order, second line
        ("B", D(2023, 12, 1), 80.0, "o2", "P1"),
        ("C", D(2023, 9, 1), 20.0, "o3", "P1"),
        ("C", D(2024, 2, 1), -20.0, "o4", "P1"),  # refund: not an order
        ("E", D(2024, 3, 5), 30.0, None, "P1"),  # no order id: one occasion, two products
        ("E", D(2024, 3, 5), 10.0, None, "P2"),
        ("A", D(2024, 4, 10), 70.0, "o5", "P1"),  # after as_of
    ]
    keys = ("customer_id", "order_date", "amount", "order_id", "product")
    return _frame("orders", [dict(zip(keys, r, strict=True)) for r in rows])


def _customers() -> pl.DataFrame:
    return _frame("customers", [
        {"customer_id": "A", "sales_rep": "r1"},
        {"customer_id": "B", "sales_rep": "r2"},
        {"customer_id": "C", "sales_rep": "r2", "signup_date": D(2023, 1, 1)},
        {"customer_id": "E", "sales_rep": "r1"},
    ])


@pytest.fixture()
def facts() -> pl.DataFrame:
    return cl.complaint_facts(_complaints(), CFG, AS_OF, orders=_orders(),
                              customers=_customers())


# ---- status words ---------------------------------------------------------------------------

@pytest.mark.parametrize(("word", "code"), [
    ("已解决", "resolved"), ("已处理", "resolved"), ("已关闭", "resolved"), ("Closed", "resolved"),
    (" RESOLVED ", "resolved"), ("处理中", "in_progress"), ("In Progress", "in_progress"),
    ("in-progress", "in_progress"), ("待处理", "open"), ("未处理", "open"), ("未解决", "open"),
    ("pending", "open"), ("open", "open"), ("Not resolved", "open"),
    # catch-all: unseen words
    ("问题已妥善解决", "resolved"), ("正在跟进处理中", "in_progress"), ("尚未回复", "open"),
    ("Resolved - refund issued", "resolved"), ("???", "open"), (None, "open"), ("", "open"),
])
def test_status_words(word: str | None, code: str) -> None:
    out = pl.DataFrame({"status": [word]}, schema={"status": pl.String}).select(
        cl.status_code_expr()
    )
    assert out.item() == code


# ---- one row per complaint ------------------------------------------------------------------

def test_facts_per_complaint(facts: pl.DataFrame) -> None:
    got = facts.select("complaint_id", "status_code", "days_to_resolve", "age_days",
                       "sla_breached", "escalated", "age_bucket")
    expected = pl.DataFrame({
        "complaint_id": ["k1", "k2", "k3", "k4", "k5", "k6", "k8", "k7"],
        "status_code": ["resolved"] * 5 + ["in_progress", "open", "open"],
        "days_to_resolve": [3, 7, 8, 30, None, None, None, None],
        "age_days": [None] * 5 + [30, 11, 3],  # open ones only: a resolved one has no age
        "sla_breached": [False, False, True, True, None, True, True, False],
        "escalated": [False, False, True, True, False, False, False, False],
        "age_bucket": [None, None, None, None, None, "8-30", "8-30", "0-7"],
    }, schema_overrides={"days_to_resolve": pl.Int64, "age_days": pl.Int64})
    assert_frame_equal(got, expected)


def test_tenure_new_and_old(facts: pl.DataFrame) -> None:
    got = facts.select("complaint_id", "tenure_days_at_complaint", "customer_kind")
    expected = pl.DataFrame({
        "complaint_id": ["k1", "k2", "k3", "k4", "k5", "k6", "k8", "k7"],
        # A: first order 2023-06-01; B: 2023-12-01; C: signup 2023-01-01 (before its first
        # order); D, F: nothing known; E: first order after the complaint -> 0
        "tenure_days_at_complaint": [215, 223, 50, 400, None, 0, None, 118],
        "customer_kind": ["old", "old", "new", "old", "unknown", "new", "unknown", "new"],
    }, schema_overrides={"tenure_days_at_complaint": pl.Int64})
    assert_frame_equal(got, expected)
    # the threshold is strict: tenure exactly new_customer_days is old
    edge = cl.complaint_facts(_complaints(), dataclasses.replace(CFG, new_customer_days=50),
                              AS_OF, orders=_orders(), customers=_customers())
    assert edge.filter(pl.col("complaint_id") == "k3")["customer_kind"].item() == "old"


def test_rep_falls_back_to_customer_rep() -> None:
    c = _complaints().with_columns(pl.lit(None, dtype=pl.String).alias("sales_rep"))
    f = cl.complaint_facts(c, CFG, AS_OF, customers=_customers())
    got = dict(f.select("complaint_id", "sales_rep").iter_rows())
    assert got == {"k1": "r1", "k2": "r1", "k3": "r2", "k4": "r2", "k5": None, "k6": "r1",
                   "k7": "r2", "k8": None}


# ---- report (contract shape) ----------------------------------------------------------------

def test_report_hand_computed() -> None:
    rep = cl.complaint_report(_complaints(), CFG, AS_OF)
    assert rep == {
        "total": 8,
        "open": 3,
        "resolved": 5,
        "median_days_to_resolve": 7.5,  # days 3, 7, 8, 30
        "sla_breach_rate": pytest.approx(4 / 7),  # k3 k4 k6 k8 of 7 known outcomes
        "by_category": {"quality": 3, "billing": 1, "delivery": 1, "price": 1, "service": 1,
                        "unknown": 1},
    }
    assert list(rep["by_category"]) == ["quality", "billing", "delivery", "price", "service",
                                        "unknown"]


def test_sla_edge_moves_with_sla_days() -> None:
    """SLA 8: k3 (8 days) is on the edge, now within; k4, k6 (age 30), k8 (age 11) breach."""
    rep = cl.complaint_report(_complaints(), dataclasses.replace(CFG, sla_days=8), AS_OF)
    assert rep["sla_breach_rate"] == pytest.approx(3 / 7)
    rep = cl.complaint_report(_complaints(), dataclasses.replace(CFG, sla_days=30), AS_OF)
    assert rep["sla_breach_rate"] == pytest.approx(0 / 7)


def test_report_as_of_cuts_received_and_resolved() -> None:
    """On 2024-01-31 only k1..k3 exist; k3 (resolved 01-28) resolved, median of 3, 7, 8."""
    rep = cl.complaint_report(_complaints(), CFG, D(2024, 1, 31))
    assert (rep["total"], rep["open"], rep["resolved"]) == (3, 0, 3)
    assert rep["median_days_to_resolve"] == 7.0
    # on 2024-01-25 k3 is still open (age 5: within the SLA)
    rep = cl.complaint_report(_complaints(), CFG, D(2024, 1, 25))
    assert (rep["total"], rep["open"], rep["resolved"]) == (3, 1, 2)
    assert rep["sla_breach_rate"] == 0.0


def test_report_empty() -> None:
    rep = cl.complaint_report(empty_frame("complaints"), CFG, AS_OF)
    assert rep == {"total": 0, "open": 0, "resolved": 0, "median_days_to_resolve": None,
                   "sla_breach_rate": None, "by_category": {}}


def test_summary_quantiles_and_rates(facts: pl.DataFrame) -> None:
    s = cl.resolution_summary(facts)
    assert s["resolution_rate"] == 5 / 8
    assert s["p90_days_to_resolve"] == pytest.approx(23.4)  # 8 + 0.7 * (30 - 8)
    assert (s["sla_breached"], s["sla_known"], s["resolved_days_unknown"]) == (4, 7, 1)
    assert (s["escalated"], s["escalation_rate"]) == (2, 2 / 8)
    assert s["satisfaction_mean"] == 3.0 and s["satisfaction_rated"] == 5
    assert s["reasonable_share"] == 4 / 6


# ---- aggregates -----------------------------------------------------------------------------

def test_volume_by_month_fills_gaps() -> None:
    c = _complaints().filter(pl.col("complaint_id").is_in(["k1", "k6", "k8"]))
    got = cl.volume_by_month(cl.complaint_facts(c, CFG, AS_OF))
    expected = pl.DataFrame({
        "month": [D(2024, 1, 1), D(2024, 2, 1), D(2024, 3, 1)],
        "complaints": [1, 0, 2], "escalated": [0, 0, 0], "sla_breached": [0, 0, 2],
    }, schema_overrides={c: pl.Int64 for c in ("complaints", "escalated", "sla_breached")})
    assert_frame_equal(got, expected)


def test_volume_by_channel(facts: pl.DataFrame) -> None:
    got = cl.volume_by(facts, "channel")
    expected = pl.DataFrame({
        "channel": ["phone", "authority", "email", "legal", "online", "store"],
        "complaints": [3, 1, 1, 1, 1, 1],
        "share": [3 / 8, 1 / 8, 1 / 8, 1 / 8, 1 / 8, 1 / 8],
        "open": [1, 0, 0, 0, 1, 1],
        "escalated": [0, 1, 0, 1, 0, 0],
    }, schema_overrides={c: pl.Int64 for c in ("complaints", "open", "escalated")})
    assert_frame_equal(got, expected)


def test_rate_per_100_orders_by_product(facts: pl.DataFrame) -> None:
    """P1: orders o1, o2, o3 and E's occasion = 4 (refund o4 and o5 after as_of out);
    complaints k1 k3 k4 k6 = 4 -> 100. P2: o1 and E's occasion = 2; k2 k5 k7 = 3 -> 150."""
    got = cl.complaint_rate_per_100_orders(facts, _orders(), "product", AS_OF)
    expected = pl.DataFrame({"product": ["P2", "P1"], "complaints": [3, 4], "orders": [2, 4],
                             "rate_per_100": [150.0, 100.0]},
                            schema_overrides={"complaints": pl.Int64, "orders": pl.Int64})
    assert_frame_equal(got, expected)
    # a window starting 2023-10-01 keeps only o2 (P1) and E's occasion (P1, P2), and the
    # complaints received from then on: all of k1..k8
    got = cl.complaint_rate_per_100_orders(facts, _orders(), "product", AS_OF,
                                           start=D(2023, 10, 1))
    assert got.rows() == [("P2", 3, 1, 300.0), ("P1", 4, 2, 200.0)]


def test_rate_per_100_orders_by_rep(facts: pl.DataFrame) -> None:
    """r1: A's o1 + E's occasion = 2 orders, complaints k1 k2 k5 k7 = 4 -> 200;
    r2: o2 (B) + o3 (C) = 2 orders, k3 k4 k6 = 3 -> 150."""
    got = cl.complaint_rate_per_100_orders(facts, _orders(), "sales_rep", AS_OF,
                                           customers=_customers())
    assert got.rows() == [("r1", 4, 2, 200.0), ("r2", 3, 2, 150.0)]
    none = cl.complaint_rate_per_100_orders(facts, _orders(), "sales_rep", AS_OF)
    assert none.is_empty()
    assert cl.complaint_rate_per_100_orders(facts, empty_frame("orders"), "product",
                                            AS_OF).is_empty()


def test_backlog_by_age(facts: pl.DataFrame) -> None:
    got = cl.backlog_by_age(facts, CFG)
    expected = pl.DataFrame({"age_bucket": ["0-7", "8-30", "31-90", ">90"],
                             "complaints": [1, 2, 0, 0], "escalated": [0, 0, 0, 0]},
                            schema_overrides={"complaints": pl.Int64, "escalated": pl.Int64})
    assert_frame_equal(got, expected)
    # buckets follow the config: 0-10, 11-29, 30-60, >60 moves k6 (age 30) up a bucket
    cfg = dataclasses.replace(CFG, backlog_age_1_days=10, backlog_age_2_days=29,
                              backlog_age_3_days=60)
    f = cl.complaint_facts(_complaints(), cfg, AS_OF)
    assert cl.backlog_by_age(f, cfg).rows() == [("0-10", 1, 0), ("11-29", 1, 0),
                                               ("30-60", 1, 0), (">60", 0, 0)]


def test_mixes(facts: pl.DataFrame) -> None:
    assert cl.reasonable_mix(facts).rows() == [("yes", 4, 0.5), ("no", 2, 0.25),
                                               ("unknown", 2, 0.25)]
    kinds = cl.customer_kind_mix(facts)
    assert kinds.select("customer_kind", "complaints").rows() == [
        ("new", 3, ), ("old", 3), ("unknown", 2)]
    # old: k1 (sat 5, in SLA), k2 (4, in SLA), k4 (1, late)
    old = kinds.filter(pl.col("customer_kind") == "old").row(0, named=True)
    assert old["satisfaction_mean"] == pytest.approx(10 / 3)
    assert old["sla_breach_rate"] == pytest.approx(1 / 3)
    desired = cl.volume_by(facts, "desired_resolution")
    assert desired.select("desired_resolution", "complaints").rows() == [
        ("refund", 3), ("apology", 1), ("compensation", 1), ("repair", 1), ("replacement", 1),
        ("unknown", 1)]


def test_repeat_complainers(facts: pl.DataFrame) -> None:
    got = cl.repeat_complainers(facts, CFG)
    assert got.select("customer_id", "complaints", "open", "sla_breached", "escalated",
                      "first_received", "last_received", "categories").rows() == [
        ("B", 2, 1, 1, 1, D(2024, 1, 20), D(2024, 3, 28), "billing; quality"),
        ("A", 2, 0, 0, 0, D(2024, 1, 2), D(2024, 1, 10), "delivery; quality"),
    ]
    assert cl.repeat_complainers(facts, dataclasses.replace(CFG, repeat_complainer_min=3)
                                 ).is_empty()


def test_satisfaction(facts: pl.DataFrame) -> None:
    got = cl.satisfaction_distribution(facts)
    assert got.rows() == [(1.0, 1), (2.0, 1), (3.0, 1), (4.0, 1), (5.0, 1)]
    by_sla = cl.satisfaction_by(facts, "sla_breached")
    # in SLA: k1 5, k2 4 -> 4.5; late: k3 2, k4 1 -> 1.5; unknown days: k5 3
    assert by_sla.rows() == [("false", 2, 4.5), ("true", 2, 1.5), ("unknown", 1, 3.0)]


def test_quantiles_by_category(facts: pl.DataFrame) -> None:
    got = cl.days_to_resolve_quantiles(facts, "category")
    q = got.filter(pl.col("category") == "quality").row(0, named=True)
    # quality: k1 3 days, k3 8 days (k6 open): p50 5.5, p90 3 + 0.9 * 5 = 7.5
    assert (q["complaints"], q["resolved_known"]) == (3, 2)
    assert q["p50_days"] == pytest.approx(5.5) and q["p90_days"] == pytest.approx(7.5)
    assert q["sla_breach_rate"] == pytest.approx(2 / 3)  # k3, k6 of k1 k3 k6


def test_filter_and_drill(facts: pl.DataFrame) -> None:
    f = cl.filter_facts(facts, start=D(2024, 2, 1), categories=["quality", "unknown"])
    assert f["complaint_id"].to_list() == ["k6", "k8"]
    f = cl.filter_facts(facts, statuses=["open"], reps=["r1"])
    assert f["complaint_id"].to_list() == ["k7"]
    assert cl.drill_rows(facts, "month", ["2024-02-01"])["complaint_id"].to_list() == ["k4",
                                                                                       "k5"]
    assert cl.drill_rows(facts, "category", ["unknown"])["complaint_id"].to_list() == ["k8"]
    assert cl.drill_rows(facts, "age_bucket", ["8-30"])["complaint_id"].to_list() == ["k6",
                                                                                      "k8"]
    assert cl.drill_rows(facts, "days_to_resolve", [7])["complaint_id"].to_list() == ["k2"]
    assert cl.drill_rows(facts, "satisfaction", [5.0])["complaint_id"].to_list() == ["k1"]


def test_escalation_words_configurable() -> None:
    c = _complaints().with_columns(
        pl.Series("channel", ["12315热线", "向消协投诉", "Legal", "律师函", "phone", None, "x", "y",
                              "z"])
    )
    f = cl.complaint_facts(c, CFG, AS_OF)
    assert f.sort("complaint_id")["escalated"].to_list() == [True, True, True, True, False,
                                                            False, False, False]
    f = cl.complaint_facts(c, dataclasses.replace(CFG, escalation_channels=""), AS_OF)
    assert not f["escalated"].any()


# ---- complaints and churn -------------------------------------------------------------------

def test_complaints_vs_churn(facts: pl.DataFrame) -> None:
    churned = pl.DataFrame({
        "customer_id": ["A", "B", "C", "D", "E", "G", "H"],
        "churned": [False, True, True, False, True, False, True],
    })
    got = cl.complaints_vs_churn(facts, churned, CFG)
    # A: all in SLA; B: k7 open -> unresolved; C: k4 late; D: days unknown; E: open;
    # F is not in the population; G, H: no complaint
    assert got.select("group", "customers", "churned", "churn_rate").rows() == [
        ("no_complaint", 2, 1, 0.5),
        ("resolved_in_sla", 1, 0, 0.0),
        ("resolved_late", 1, 1, 1.0),
        ("unresolved", 2, 2, 1.0),
        ("resolved_days_unknown", 1, 0, 0.0),
    ]
    for row in got.iter_rows(named=True):
        ci = binomtest(row["churned"], row["customers"]).proportion_ci(0.95, method="wilson")
        assert row["ci_low"] == pytest.approx(ci.low, abs=1e-9)
        assert row["ci_high"] == pytest.approx(ci.high, abs=1e-9)


def test_complaints_vs_churn_empty_groups_listed() -> None:
    facts = cl.complaint_facts(empty_frame("complaints"), CFG, AS_OF)
    churned = pl.DataFrame({"customer_id": ["A", "B", "C"], "churned": [True, False, False]})
    got = cl.complaints_vs_churn(facts, churned, CFG)
    expected = pl.DataFrame({
        "group": ["no_complaint", "resolved_in_sla", "resolved_late", "unresolved"],
        "customers": [3, 0, 0, 0], "churned": [1, 0, 0, 0],
        "churn_rate": [1 / 3, None, None, None],
    }, schema_overrides={"customers": pl.Int64, "churned": pl.Int64})
    assert_frame_equal(got.drop("ci_low", "ci_high"), expected)
    ci = binomtest(1, 3).proportion_ci(0.95, method="wilson")
    assert got["ci_low"][0] == pytest.approx(ci.low) and got["ci_high"][0] == pytest.approx(ci.high)
    assert got["ci_low"][1:].is_null().all()


def test_churned_is_the_lifecycle_rule() -> None:
    """Issue 11.8: one lost rule. W's recorded churn (June) is followed by a purchase in
    December: W came back (the removed fallback called W lost). Floor 180 days, 3 x the
    median gap; as of 2024-12-31."""
    from crm_logic.store import CrmData

    as_of = D(2024, 12, 31)
    orders = _frame("orders", [
        # X: gaps 31, 29 -> median 30 -> max(180, 90) = 180; last order 305 days ago: lost
        {"customer_id": "X", "order_date": D(2024, 1, 1), "amount": 1.0},
        {"customer_id": "X", "order_date": D(2024, 2, 1), "amount": 1.0},
        {"customer_id": "X", "order_date": D(2024, 3, 1), "amount": 1.0},
        {"customer_id": "X", "order_date": D(2024, 3, 1), "amount": 2.0},  # same occasion
        # Y: gap 182 -> 546; last order 183 days ago: active
        {"customer_id": "Y", "order_date": D(2024, 1, 1), "amount": 1.0},
        {"customer_id": "Y", "order_date": D(2024, 7, 1), "amount": 1.0},
        # Z: one order 152 days ago (floor 180): active; the 2025 order does not exist yet
        {"customer_id": "Z", "order_date": D(2024, 8, 1), "amount": 1.0},
        {"customer_id": "Z", "order_date": D(2025, 2, 1), "amount": 1.0},
        # W: a recorded churn date, then a purchase after it: came back, active
        {"customer_id": "W", "order_date": D(2024, 12, 1), "amount": 1.0},
        # T: a recorded churn date after its last purchase: lost
        {"customer_id": "T", "order_date": D(2024, 11, 1), "amount": 1.0},
    ])
    customers = _frame("customers", [
        {"customer_id": "W", "churn_date": D(2024, 6, 1)},
        {"customer_id": "T", "churn_date": D(2024, 12, 1)},
        {"customer_id": "V", "churn_date": D(2025, 1, 10)},  # churns after as_of
        {"customer_id": "U"},
    ])
    data = CrmData(customers, orders, empty_frame("complaints"), empty_frame("interactions"))
    got, source = cl.churned_frame(data, CFG, as_of)
    assert source == "lifecycle"
    assert got.rows() == [("T", True), ("W", False), ("X", True), ("Y", False), ("Z", False)]


# ---- export ---------------------------------------------------------------------------------

def test_export_frame() -> None:
    got = cl.complaints_export_frame(_complaints(), CFG, AS_OF)
    assert got.columns == [*SCHEMA["complaints"], "status_code", "days_to_resolve",
                           "sla_breached", "age_days"]
    assert got.height == 8 and "k9" not in got["complaint_id"].to_list()
    row = got.filter(pl.col("complaint_id") == "k2").row(0, named=True)
    assert (row["status_code"], row["days_to_resolve"], row["sla_breached"], row["age_days"]) \
        == ("resolved", 7, False, None)


# ---- properties -----------------------------------------------------------------------------

_STATUSES = ["已解决", "处理中", "待处理", "closed", "open", None, "whatever"]


@st.composite
def _random_complaints(draw: st.DrawFn) -> pl.DataFrame:
    n = draw(st.integers(0, 25))
    rows = []
    for i in range(n):
        received = D(2024, 1, 1) + dt.timedelta(days=draw(st.integers(0, 120)))
        lag = draw(st.one_of(st.none(), st.integers(-3, 60)))
        rows.append({
            "complaint_id": f"k{i}",
            "received_date": received,
            "customer_id": draw(st.sampled_from(["A", "B", "C", None])),
            "category": draw(st.sampled_from(["quality", "price", None])),
            "status": draw(st.sampled_from(_STATUSES)),
            "resolved_date": None if lag is None else received + dt.timedelta(days=lag),
        })
    return _frame("complaints", rows)


@settings(max_examples=60, deadline=None)
@given(_random_complaints(), st.integers(1, 30), st.integers(0, 30))
def test_report_invariants(c: pl.DataFrame, sla: int, extra: int) -> None:
    """open + resolved = total = sum(by_category); a longer SLA never raises the breach rate."""
    as_of = D(2024, 3, 1)
    short = cl.complaint_report(c, dataclasses.replace(CFG, sla_days=sla), as_of)
    long = cl.complaint_report(c, dataclasses.replace(CFG, sla_days=sla + extra), as_of)
    assert short["open"] + short["resolved"] == short["total"]
    assert sum(short["by_category"].values()) == short["total"]
    assert short["total"] == c.filter(pl.col("received_date") <= as_of).height
    if short["sla_breach_rate"] is not None:
        assert 0 <= long["sla_breach_rate"] <= short["sla_breach_rate"] <= 1
    med = short["median_days_to_resolve"]
    assert med is None or med >= 0


def test_churned_frame_population() -> None:
    """Customers with a purchase; without purchases nobody can be called lost."""
    from crm_logic.store import CrmData

    data = CrmData(customers=_customers(), orders=_orders(), complaints=_complaints(),
                   interactions=empty_frame("interactions"))
    frame, source = cl.churned_frame(data, CFG, AS_OF)
    assert source == "lifecycle"
    assert frame.columns == ["customer_id", "churned"] and frame.schema["churned"] == pl.Boolean
    assert set(frame["customer_id"]) == {"A", "B", "C", "E"}  # customers with orders
    only = CrmData(customers=_frame("customers", [{"customer_id": "A",
                                                    "churn_date": D(2024, 2, 1)}]),
                   orders=empty_frame("orders"), complaints=_complaints(),
                   interactions=empty_frame("interactions"))
    assert cl.churned_frame(only, CFG, AS_OF)[0].is_empty()


def test_lost_value_and_yearly_revenue(facts: pl.DataFrame) -> None:
    """What unhandled complaints cost: the yearly revenue of the lost customers per group."""
    churned = pl.DataFrame({
        "customer_id": ["A", "B", "C", "D", "E", "G", "H"],
        "churned": [False, True, True, False, True, False, True],
        "value": [10.0, 20.0, 30.0, 40.0, 50.0, 1.0, 2.0],
    })
    got = cl.complaints_vs_churn(facts, churned, CFG)
    assert got.select("group", "lost_value").rows() == [
        ("no_complaint", 2.0), ("resolved_in_sla", 0.0), ("resolved_late", 30.0),
        ("unresolved", 70.0), ("resolved_days_unknown", 0.0)]
    assert "lost_value" not in cl.complaints_vs_churn(facts, churned.drop("value"), CFG).columns
    orders = _frame("orders", [
        {"customer_id": "A", "order_date": D(2023, 1, 1), "amount": 100.0},  # > 365 days before
        {"customer_id": "A", "order_date": D(2023, 6, 1), "amount": 50.0},
        {"customer_id": "A", "order_date": D(2024, 2, 1), "amount": -10.0},  # refund counts
        {"customer_id": "A", "order_date": D(2024, 3, 1), "amount": 30.0},  # last purchase
        {"customer_id": "A", "order_date": D(2024, 4, 2), "amount": 99.0},  # after as_of
        {"customer_id": "B", "order_date": D(2022, 5, 5), "amount": 7.0},
        # C (issue 11.8): the year ends at the last purchase, not at a later refund line
        {"customer_id": "C", "order_date": D(2023, 1, 10), "amount": 40.0},
        {"customer_id": "C", "order_date": D(2023, 6, 1), "amount": 50.0},
        {"customer_id": "C", "order_date": D(2024, 3, 15), "amount": -5.0},
    ])
    assert cl.yearly_revenue(orders, AS_OF).rows() == [("A", 70.0), ("B", 7.0), ("C", 90.0)]
