"""Churn early warning on hand-built histories with hand-computed answers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from crm_logic import churn
from crm_logic.config import CrmConfig
from crm_logic.store import CrmData, empty_frame

D = dt.date
AS_OF = D(2024, 6, 30)  # recent window (90 days): 2024-04-01 exclusive .. 2024-06-30


def _frame(table: str, rows: list[dict]) -> pl.DataFrame:
    base = empty_frame(table)
    if not rows:
        return base
    df = pl.DataFrame(rows)
    return pl.concat([base, df], how="diagonal_relaxed").select(base.columns).cast(
        dict(base.schema)
    )


def _data(orders: list[dict], complaints: list[dict] | None = None,
          customers: list[dict] | None = None) -> CrmData:
    return CrmData(
        customers=_frame("customers", customers or []),
        orders=_frame("orders", orders),
        complaints=_frame("complaints", complaints or []),
        interactions=empty_frame("interactions"),
    )


def _o(cid: str, day: dt.date, amount: float) -> dict:
    return {"customer_id": cid, "order_date": day, "amount": amount}


HAND_ORDERS = [
    # a: four purchase occasions, one with a refund line on the same day; one after as_of
    _o("a", D(2024, 1, 1), 100.0), _o("a", D(2024, 1, 31), 100.0),
    _o("a", D(2024, 3, 1), 100.0), _o("a", D(2024, 3, 1), -20.0),
    _o("a", D(2024, 5, 1), 50.0), _o("a", D(2024, 7, 5), 999.0),
    # b: one purchase 10 days before as_of
    _o("b", D(2024, 6, 20), 30.0),
    # c: two purchases half a year apart
    _o("c", D(2023, 12, 1), 10.0), _o("c", D(2024, 6, 1), 10.0),
    # d: bought every 10 days in January, then stopped
    _o("d", D(2024, 1, 1), 20.0), _o("d", D(2024, 1, 11), 20.0), _o("d", D(2024, 1, 21), 20.0),
]
HAND_COMPLAINTS = [
    # a: one resolved within the SLA, one resolved only after as_of (open, late on as_of)
    {"complaint_id": "k1", "customer_id": "a", "received_date": D(2024, 6, 1),
     "resolved_date": D(2024, 6, 5), "status": "resolved"},
    {"complaint_id": "k2", "customer_id": "a", "received_date": D(2024, 6, 10),
     "resolved_date": D(2024, 7, 10), "status": "resolved"},
    # b: resolved by status word, no date; and one received after as_of
    {"complaint_id": "k3", "customer_id": "b", "received_date": D(2024, 6, 25),
     "status": "已解决"},
    {"complaint_id": "k4", "customer_id": "b", "received_date": D(2024, 7, 2), "status": "open"},
    # c: late, but long ago and resolved
    {"complaint_id": "k5", "customer_id": "c", "received_date": D(2023, 12, 5),
     "resolved_date": D(2024, 1, 20), "status": "closed"},
]


def test_order_features_hand_computed() -> None:
    f = churn.customer_features(_data(HAND_ORDERS, HAND_COMPLAINTS), CrmConfig(), AS_OF)
    got = f.collect().sort("customer_id")
    pop_gap = 121 / 3  # median mean gap of repeat buyers a (121/3), c (183), d (10)
    expected = pl.DataFrame({
        "customer_id": ["a", "b", "c", "d"],
        "first_date": [D(2024, 1, 1), D(2024, 6, 20), D(2023, 12, 1), D(2024, 1, 1)],
        "last_date": [D(2024, 5, 1), D(2024, 6, 20), D(2024, 6, 1), D(2024, 1, 21)],
        "occasions": [4, 1, 2, 3],
        "recent_occasions": [1, 1, 1, 0],
        "revenue": [330.0, 30.0, 20.0, 60.0],
        "tenure_days": [181.0, 10.0, 212.0, 181.0],
        "days_since_last": [60.0, 10.0, 29.0, 161.0],
        "mean_gap": [121 / 3, None, 183.0, 10.0],
        "expected_gap": [(121 + pop_gap) / 4, pop_gap, (183 + pop_gap) / 2, (20 + pop_gap) / 3],
        "baseline_ok": [True, False, False, True],
        "frequency_ratio": [(1 / 90) / (3 / 92), None, None, 0.0],
        "spend_ratio": [(50 / 90) / (280 / 92), None, None, 0.0],
        "complaints_open": [1, 0, 0, 0],
        "complaints_late": [1, 0, 0, 0],
        "complaints_recent": [2, 1, 0, 0],
    })
    assert_frame_equal(got.select(expected.columns), expected, check_dtypes=False)


def test_flags_hand_computed() -> None:
    feats = churn.customer_features(_data(HAND_ORDERS, HAND_COMPLAINTS), CrmConfig(), AS_OF)
    feats = feats.collect().sort("customer_id").with_columns(
        p_alive=pl.Series([0.9, None, 0.2, 0.5]),
        lifecycle_stage=pl.Series(["decline", "exploration", None, "stability"]),
    )
    got = feats.select("customer_id", *churn.churn_flags(CrmConfig()))
    expected = pl.DataFrame({
        "customer_id": ["a", "b", "c", "d"],
        "flag_inactive": [False, False, False, True],
        "flag_frequency_drop": [True, False, False, True],
        "flag_spend_drop": [True, False, False, True],
        "flag_complaint_open": [True, False, False, False],
        "flag_complaint_late": [True, False, False, False],
        "flag_complaint_repeat": [True, False, False, False],
        "flag_low_p_alive": [False, False, True, False],
        "flag_decline": [True, False, False, False],
    })
    assert_frame_equal(got, expected)
    # thresholds are what-if: a lower share turns a's frequency flag off (ratio 0.34)
    cfg = dataclasses.replace(CrmConfig(), frequency_drop_share=0.3, repeat_complaints_min=3)
    got2 = feats.select("customer_id", *churn.churn_flags(cfg))
    assert got2.get_column("flag_frequency_drop").to_list() == [False, False, False, True]
    assert got2.get_column("flag_complaint_repeat").to_list() == [False] * 4


def test_scores_on_hand_history_use_rules_and_nothing_after_as_of() -> None:
    data = _data(HAND_ORDERS, HAND_COMPLAINTS)
    s = churn.churn_scores(data, CrmConfig(), AS_OF)
    assert s.get_column("customer_id").to_list() == ["a", "b", "c", "d"]
    assert s.get_column("model").unique().to_list() == ["rules"]  # 4 customers: no training
    assert s.get_column("churn_risk").is_between(0.0, 1.0).all()
    by = dict(zip(s["customer_id"], s["churn_risk"], strict=True))
    assert by["d"] > by["c"] and by["d"] > by["b"]  # d stopped: highest risk
    # rule: 1 - exp(-g/2), b has no flag: g = 10 / pop_gap
    assert by["b"] == pytest.approx(1 - math.exp(-(10 / (121 / 3)) / 2))
    flags = dict(zip(s["customer_id"], s["risk_flags"].to_list(), strict=True))
    assert flags["d"][:3] == ["inactive", "frequency_drop", "spend_drop"]
    assert flags["b"] == []
    # nothing after as_of: dropping every later row changes nothing
    cut = _data([o for o in HAND_ORDERS if o["order_date"] <= AS_OF],
                [c for c in HAND_COMPLAINTS if c["received_date"] <= AS_OF])
    later = pl.col("resolved_date") > AS_OF  # on as_of these were still open
    cut_complaints = cut.complaints.with_columns(
        pl.when(later).then(None).otherwise(pl.col("resolved_date")).alias("resolved_date"),
        pl.when(later).then(pl.lit("open")).otherwise(pl.col("status")).alias("status"),
    )
    cut = dataclasses.replace(cut, complaints=cut_complaints)
    assert_frame_equal(churn.churn_scores(cut, CrmConfig(), AS_OF), s)


def _synthetic(n: int = 400, seed: int = 3) -> tuple[CrmData, dt.date]:
    """Customers buying at their own rhythm until they leave at a random day."""
    rng = np.random.default_rng(seed)
    start = D(2022, 1, 1)
    end_day = 730
    rows_c, rows_d, rows_a = [], [], []
    for i in range(n):
        first = int(rng.integers(0, 400))
        gap = float(rng.choice([7, 14, 30, 60]))
        leave = first + rng.exponential(300.0)
        day = float(first)
        while day < min(leave, end_day):
            rows_c.append(f"c{i:04d}")
            rows_d.append(start + dt.timedelta(days=int(day)))
            rows_a.append(float(rng.lognormal(3.0, 0.5)))
            day += rng.exponential(gap) + 1
    orders = pl.DataFrame({"customer_id": rows_c, "order_date": rows_d, "amount": rows_a})
    return _data(orders.to_dicts()), start + dt.timedelta(days=end_day - 1)


def test_no_leakage_with_model_and_later_records() -> None:
    data, last = _synthetic()
    as_of = last - dt.timedelta(days=200)
    customers = pl.DataFrame({
        "customer_id": ["c0001", "c0002"], "churn_date": [as_of + dt.timedelta(days=5)] * 2,
        "churn_reason": ["price", "service"], "churn_type": ["active", "passive"],
    })
    with_future = dataclasses.replace(data, customers=_frame("customers", customers.to_dicts()))
    cut = dataclasses.replace(data, orders=data.orders.filter(pl.col("order_date") <= as_of))
    a = churn.churn_scores(with_future, CrmConfig(), as_of)
    b = churn.churn_scores(cut, CrmConfig(), as_of)
    assert a.get_column("model")[0] == "logistic"
    assert_frame_equal(a, b)
    assert {"c0001", "c0002"} <= set(a.get_column("customer_id").to_list())


def test_every_customer_is_scored_lost_ones_included() -> None:
    """Issue 11.7: lost is a label, not certainty: the lost get a churn_risk too (1 - risk is
    the chance to win them back) and a win-back action."""
    data = _data(
        HAND_ORDERS, HAND_COMPLAINTS,
        customers=[
            {"customer_id": "c", "churn_date": D(2024, 6, 10), "churn_reason": "price"},
            # d's recorded churn is followed by nothing: lost; a came back after its date
            {"customer_id": "d", "churn_date": D(2024, 2, 1)},
            {"customer_id": "a", "churn_date": D(2024, 2, 1)},
        ],
    )
    s = churn.churn_scores(data, CrmConfig(), AS_OF)
    assert s.get_column("customer_id").to_list() == ["a", "b", "c", "d"]
    assert s.get_column("churned").to_list() == [False, False, True, True]
    assert s.get_column("churn_risk").null_count() == 0
    assert s.get_column("risk_level").null_count() == 0
    actions = s.get_column("recommended_action").to_list()
    assert actions[2:] == ["learn_why_lost", "learn_why_lost"]
    assert not set(actions[:2]) & {"learn_why_lost", "win_back_lost"}
    # a lifecycle table, when given, is the one rule (here it calls b lost as well)
    life = pl.DataFrame({"customer_id": ["a", "b", "c", "d"],
                         "churned": [False, True, True, True], "lifecycle_stage": ["x"] * 4})
    s2 = churn.churn_scores(data, CrmConfig(), AS_OF, lifecycle=life)
    assert s2.get_column("churned").to_list() == [False, True, True, True]
    assert_frame_equal(s2.select("customer_id", "churn_risk"), s.select("customer_id",
                                                                        "churn_risk"))


def test_risk_levels_and_model_on_synthetic() -> None:
    data, last = _synthetic()
    as_of = last - dt.timedelta(days=180)
    cfg = dataclasses.replace(CrmConfig(), risk_high=0.7, risk_medium=0.4)
    s = churn.churn_scores(data, cfg, as_of)
    r = s.get_column("churn_risk")
    lvl = s.get_column("risk_level")
    assert ((r >= 0.7) == (lvl == "high")).all()
    assert (((r >= 0.4) & (r < 0.7)) == (lvl == "medium")).all()
    assert ((r < 0.4) == (lvl == "low")).all()
    counts = churn.at_risk_counts(s)
    assert sum(counts.values()) == s.height and set(counts) == {"high", "medium", "low"}


def test_backtest_on_synthetic() -> None:
    data, last = _synthetic()
    cutoff = last - dt.timedelta(days=180)
    res = churn.backtest(data, CrmConfig(), cutoff, 180)
    assert res.complete and res.horizon_days == 180
    gone = churn.lost_before(data, CrmConfig(), cutoff)
    assert gone.get_column("churned").any()  # some left long before: not scored
    scores = churn.churn_scores(data, CrmConfig(), cutoff).filter(~pl.col("churned"))
    bought = set(data.orders.filter(pl.col("order_date") > cutoff)["customer_id"].to_list())
    lost = ~scores.get_column("customer_id").is_in(pl.Series(sorted(bought)).implode())
    high = scores.get_column("risk_level") == "high"
    assert res.customers == scores.height and res.lost == int(lost.sum())
    assert res.high == int(high.sum())
    assert res.precision_high == pytest.approx((lost & high).sum() / high.sum())
    assert res.recall_high == pytest.approx((lost & high).sum() / lost.sum())
    assert res.auc == pytest.approx(churn.roc_auc(lost.to_numpy(), scores["churn_risk"]))
    assert res.auc > 0.75  # leaving customers stop buying: the warning must see it
    assert res.lift.get_column("customers").sum() == res.customers
    assert res.lift.get_column("cum_share_lost")[-1] == pytest.approx(1.0)


def test_roc_auc_ranks_and_ties() -> None:
    assert churn.roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == pytest.approx(0.75)
    assert churn.roc_auc([1, 0], [0.5, 0.5]) == pytest.approx(0.5)
    assert churn.roc_auc([0, 1, 0, 1], [1, 2, 2, 3]) == pytest.approx(3.5 / 4)
    assert churn.roc_auc([0, 1], [2.0, 1.0]) == 0.0
    assert math.isnan(churn.roc_auc([1, 1], [0.1, 0.2]))


def test_lift_table_hand_computed() -> None:
    got = churn.lift_table(np.array([1, 0, 1, 0]), np.array([0.9, 0.8, 0.7, 0.1]), groups=2)
    expected = pl.DataFrame({
        "decile": [1, 2], "customers": [2, 2], "lost": [1, 1], "lost_rate": [0.5, 0.5],
        "lift": [1.0, 1.0], "cum_share_lost": [0.5, 1.0],
    })
    assert_frame_equal(got, expected)


RATE_ORDERS = [
    _o("x", D(2024, 1, 10), 100.0), _o("x", D(2024, 2, 10), 50.0),
    _o("y", D(2024, 1, 20), 10.0), _o("y", D(2024, 4, 20), 10.0),
    _o("z", D(2024, 2, 5), 20.0), _o("z", D(2024, 3, 1), 30.0),
]
RATE_CUSTOMERS = [
    {"customer_id": "x", "churn_date": D(2024, 3, 15), "churn_reason": "price",
     "churn_type": "active"},
    {"customer_id": "y"},
    {"customer_id": "z", "churn_date": D(2024, 3, 20)},
]
RATE_TIERS = pl.DataFrame({"customer_id": ["x", "y", "z"], "value_tier": ["gold", "gold", "lead"]})


def test_churn_rate_by_month_hand_computed() -> None:
    cfg = dataclasses.replace(CrmConfig(), churn_gap_floor_days=30)
    data = _data(RATE_ORDERS, customers=RATE_CUSTOMERS)
    got = churn.churn_rate_by_month(data, cfg, D(2024, 4, 30), tiers=RATE_TIERS)
    months = [D(2024, m, 1) for m in (1, 2, 3, 4)]
    expected = pl.DataFrame({
        "month": months * 3,
        "value_tier": ["all"] * 4 + ["gold"] * 4 + ["lead"] * 4,
        "active_start": [0, 2, 3, 1, 0, 2, 2, 1, 0, 0, 1, 0],
        "churned": [0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 0],
        "churn_rate": [None, 0.0, 2 / 3, 0.0, None, 0.0, 0.5, 0.0, None, None, 1.0, None],
        "above_max": [False, False, True, False, False, False, True, False,
                      False, False, True, False],
        "below_min": [False] * 12,
        "provisional": [False, False, False, True] * 3,
        "churned_new": [0] * 12,
    })
    assert_frame_equal(got.sort("value_tier", "month"), expected)
    alerts = churn.churn_alerts(got)
    assert alerts.get_column("month").to_list() == [D(2024, 3, 1)]


def test_churn_rate_never_above_100_percent() -> None:
    """Issue 11.8: q1 and q2 buy for the first time in February and are lost that month; p
    alone was active at February's start. Before: 2 lost / 1 active = 200%."""
    cfg = dataclasses.replace(CrmConfig(), churn_gap_floor_days=30)
    orders = [_o("p", D(2024, 1, 5), 10.0), _o("p", D(2024, 3, 28), 10.0),
              _o("q1", D(2024, 2, 3), 10.0), _o("q2", D(2024, 2, 4), 10.0)]
    customers = [{"customer_id": "q1", "churn_date": D(2024, 2, 20)},
                 {"customer_id": "q2", "churn_date": D(2024, 2, 25)}]
    got = churn.churn_rate_by_month(_data(orders, customers=customers), cfg, D(2024, 3, 31))
    feb = got.filter(pl.col("value_tier") == "all", pl.col("month") == D(2024, 2, 1)).row(
        0, named=True)
    assert (feb["active_start"], feb["churned"], feb["churned_new"]) == (1, 0, 2)
    assert feb["churn_rate"] == 0.0
    mar = got.filter(pl.col("value_tier") == "all", pl.col("month") == D(2024, 3, 1))
    assert mar.get_column("active_start").item() == 1  # p; q1, q2 never counted as active
    assert (got.get_column("churn_rate").drop_nulls() <= 1.0).all()


def test_churn_causes_hand_computed() -> None:
    cfg = dataclasses.replace(CrmConfig(), churn_gap_floor_days=30)
    data = _data(RATE_ORDERS, customers=RATE_CUSTOMERS)
    lost = churn.lost_customers(data, cfg, D(2024, 4, 30))
    assert lost.get_column("customer_id").to_list() == ["x", "z"]
    assert lost.get_column("churn_source").to_list() == ["recorded", "recorded"]
    assert lost.get_column("lost_value").to_list() == [150.0, 50.0]
    life = pl.DataFrame({"customer_id": ["x", "z"], "lifecycle_pattern": ["early_abort", None]})
    causes = churn.churn_causes(lost, RATE_TIERS, life)
    expected = pl.DataFrame({
        "churn_reason": ["price", "unknown"], "churn_type": ["active", "unknown"],
        "value_tier": ["gold", "lead"], "lifecycle_pattern": ["early_abort", "unknown"],
        "customers": [1, 1], "lost_value": [150.0, 50.0],
    })
    assert_frame_equal(causes, expected)
    by_reason = churn.causes_by(causes, "churn_reason")
    assert by_reason.height == 10  # nine causes + not recorded
    assert by_reason.filter(pl.col("churn_reason") == "unknown")["customers"].item() == 1
    # before the recorded churn dates nobody is lost by record; reasons are not seen early
    early = churn.lost_customers(data, cfg, D(2024, 3, 16))
    assert early.filter(pl.col("customer_id") == "x")["churn_reason"].item() == "price"
    assert "z" not in early.get_column("customer_id").to_list()


def test_retention_whatif_hand_computed() -> None:
    scores = pl.DataFrame({
        "churn_risk": [0.8, 0.5, 0.9], "risk_level": ["high", "medium", "high"],
        "value_tier": ["gold", "iron", "lead"], "lifecycle_stage": ["stability"] * 3,
        "value_at_stake": [1000.0, 200.0, 100.0],
    })
    w = churn.retention_whatif(scores, ["high"], None, None, cost_per_contact=20, save_rate=0.2)
    assert w.contacted == 2
    assert w.expected_churners == pytest.approx(1.7)
    assert w.saved == pytest.approx(0.34)
    assert w.value_saved == pytest.approx(0.2 * (800 + 90))
    assert w.cost == 40.0 and w.net == pytest.approx(138.0) and w.roi == pytest.approx(3.45)
    w2 = churn.retention_whatif(scores, [], ["iron"], ["stability"], 0.0, 0.5)
    assert w2.contacted == 1 and w2.roi is None and w2.value_saved == pytest.approx(50.0)


def test_actions_and_big_customers_first() -> None:
    base = {f"flag_{f}": False for f in churn.FLAGS}
    rows = [
        {"customer_id": "p", "risk_level": "high", "value_tier": "platinum", **base},
        {"customer_id": "q", "risk_level": "high", "value_tier": "iron", **base,
         "flag_complaint_open": True},
        {"customer_id": "r", "risk_level": "medium", "value_tier": "iron", **base,
         "flag_decline": True},
        {"customer_id": "s", "risk_level": "high", "value_tier": "lead", **base},
        {"customer_id": "t", "risk_level": "high", "value_tier": None, **base},
        {"customer_id": "u", "risk_level": "medium", "value_tier": "gold", **base},
        {"customer_id": "v", "risk_level": "low", "value_tier": "gold", **base,
         "flag_complaint_open": True},
    ]
    df = pl.DataFrame(rows).with_columns(churn.action_expr())
    assert df.get_column("recommended_action").to_list() == [
        "win_back_big", "resolve_complaint", "recover_or_terminate", "review_value",
        "personal_offer", "care_contact", "maintain",
    ]
    ranked = churn.big_customers_first(pl.DataFrame({
        "customer_id": ["i", "g", "p", "m"],
        "risk_level": ["high", "high", "high", "medium"],
        "value_tier": ["iron", "gold", "platinum", "platinum"],
        "churn_risk": [0.9, 0.7, 0.65, 0.5],
        "value_at_stake": [5000.0, 100.0, 300.0, 9000.0],
    }))
    assert ranked.get_column("customer_id").to_list() == ["p", "g", "i", "m"]
    assert ranked.get_column("expected_loss").to_list()[0] == pytest.approx(195.0)


def test_readable_texts() -> None:
    assert churn.flags_text(["inactive", "decline"], "en") == (
        "Inactive beyond own rhythm; Lifecycle stage: decline"
    )
    assert churn.flags_text([], "zh") == ""
    df = pl.DataFrame({"risk_flags": [["spend_drop"]], "recommended_action": ["maintain"]})
    out = df.with_columns(churn.readable_flags_expr("zh"), churn.action_text_expr("zh"))
    assert out.row(0) == ("消费金额下降", "维持：持续优质服务，邀请参与客户社区活动")
    texts = churn.flag_explanations(CrmConfig(), "en")
    assert len(texts) == len(churn.FLAGS) and "90 days" in texts[1][1]


def test_empty_tables() -> None:
    data = _data([], complaints=HAND_COMPLAINTS)
    s = churn.churn_scores(data, CrmConfig(), AS_OF)
    assert s.height == 0 and "churn_risk" in s.columns
    assert churn.churn_rate_by_month(data, CrmConfig(), AS_OF).height == 0
    lost = churn.lost_customers(data, CrmConfig(), AS_OF)
    assert lost.height == 0
    assert churn.churn_causes(lost).height == 0
    assert churn.retention_whatif(s).contacted == 0
    res = churn.backtest(data, CrmConfig(), AS_OF, 90)
    assert res.customers == 0 and math.isnan(res.auc)
