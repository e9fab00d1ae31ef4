"""The value backtest: a hand-built store with a known answer, and the CDNOW anchor.

CDNOW anchor (issue 18, measured with lifetimes 0.11.3 on the CDNOW master log, calibrated
to 1997-09-30, 273 days holdout): BG/NBD predicts 16,874 purchase occasions, 19,684
happened (-14.3%); customers with 1 repeat purchase: 0.52 predicted vs 0.78 actual, with 2:
1.04 vs 1.40.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from crm_logic import models
from crm_logic import segmentation as seg
from crm_logic.config import CrmConfig
from crm_logic.store import CrmData, empty_frame
from crm_logic.value.backtest import value_backtest

CDNOW = Path(importlib.util.find_spec("lifetimes").origin).parent / "datasets" / \
    "CDNOW_master.txt"
D0 = dt.date(2024, 1, 1)


def _data(rows: list[tuple[str, int, float]]) -> CrmData:
    """Orders (customer, day offset from D0, amount), one line each."""
    base = empty_frame("orders")
    orders = pl.DataFrame({
        "customer_id": [r[0] for r in rows],
        "order_date": [D0 + dt.timedelta(days=r[1]) for r in rows],
        "amount": [r[2] for r in rows],
    })
    orders = pl.concat([base, orders], how="diagonal_relaxed").select(base.columns)
    return CrmData(empty_frame("customers"), orders, empty_frame("complaints"),
                   empty_frame("interactions"))


def _hand_store() -> tuple[CrmData, dict[str, tuple[float, float, float]]]:
    """Eight customers bought before the cut-off (day 100), each with amounts on its own
    scale (10^k), so the pyramid at the cut-off ranks them by k; the holdout (days 101..190)
    is written out line by line. Returns the data and each customer's (x, t_x, T) at day 100.
    """
    rows: list[tuple[str, int, float]] = []
    calib: dict[str, tuple[float, float, float]] = {}
    for k in range(8):
        cid = f"c{k}"
        scale = 10.0**k
        days = [10, 40, 70] if k % 2 else [20, 60]
        rows += [(cid, d, scale * (1 + 0.1 * j)) for j, d in enumerate(days)]
        calib[cid] = (len(days) - 1.0, float(days[-1] - days[0]), float(100 - days[0]))
    rows += [("c0", 100, 5.0)]  # on the cut-off day: calibration, not holdout
    calib["c0"] = (2.0, 80.0, 80.0)
    # holdout: c7 and c6 swap places (c6 spends most), c5 keeps its place
    rows += [("c7", 120, 1e6), ("c7", 120, 1e6),  # two lines on one day: one occasion
             ("c6", 130, 5e6), ("c6", 160, 1e6),
             ("c5", 150, 1e5), ("c5", 170, -2e4),  # a refund-only day: no purchase
             ("c1", 190, 3.0),  # on the last holdout day
             ("new", 150, 77.0),  # first bought after the cut-off
             ("c2", 191, 999.0)]  # after as_of: never read
    return _data(rows), calib


def test_hand_built_store_known_answer() -> None:
    data, calib = _hand_store()
    cfg = dataclasses.replace(CrmConfig(), horizon_days=90, tier_platinum_share=0.25,
                              tier_gold_share=0.25, tier_iron_share=0.25)
    out = value_backtest(data, cfg, dt.date(2024, 1, 1) + dt.timedelta(days=190))
    assert out["cutoff"] == (D0 + dt.timedelta(days=100)).isoformat()
    assert out["horizon_days"] == 90 and out["customers"] == 8
    # purchase occasions: c7 1, c6 2, c5 1 (the refund day is none), c1 1
    assert out["actual_purchases"] == 5.0
    assert out["actual_revenue"] == pytest.approx(2e6 + 6e6 + 1e5 - 2e4 + 3.0)
    assert out["new_customer_revenue"] == 77.0
    # predicted: the fitted model's expected purchases over 90 days, customer by customer
    fit = models.fit_bgnbd(*np.array(list(calib.values())).T)
    assert fit is not None
    x, t_x, T = np.array(list(calib.values())).T
    want = models.bgnbd_expected_purchases(fit, 90.0, x, t_x, T).sum()
    assert out["predicted_purchases"] == pytest.approx(want, rel=1e-9)
    rows = {r["repeat_purchases"]: r for r in out["by_repeat_purchases"]}
    # one repeat purchase: c2, c4, c6; two: c1, c3, c5, c7 and c0 (days 20, 60 and 100)
    assert [rows[i]["customers"] for i in range(8)] == [0, 3, 5, 0, 0, 0, 0, 0]
    assert rows[1]["actual_purchases"] == pytest.approx((0 + 0 + 2) / 3)
    assert rows[2]["actual_purchases"] == pytest.approx((0 + 1 + 0 + 1 + 1) / 5)
    assert rows[0]["actual_purchases"] is None
    assert rows[7]["label"] == "7+"
    tiers = {r["tier"]: r for r in out["by_tier"]}
    assert [tiers[t]["customers"] for t in ("platinum", "gold", "iron", "lead")] == [2, 2, 2, 2]
    # the pyramid as it stood at the cut-off (a 90-day horizon), and by holdout revenue:
    # c6 (6e6), c7 (2e6) platinum; c5 (8e4), c1 (3.0) gold; the rest bought nothing: lead
    table, _ = seg.value_table(data, dataclasses.replace(cfg, horizon_days=90),
                               D0 + dt.timedelta(days=100))
    then = dict(zip(table["customer_id"], table["value_tier"], strict=True))
    realised = {"c6": "platinum", "c7": "platinum", "c5": "gold", "c1": "gold"}
    holdout_rev = {"c7": 2e6, "c6": 6e6, "c5": 8e4, "c1": 3.0}
    for tier in ("platinum", "gold", "iron", "lead"):
        members = [c for c, v in then.items() if v == tier]
        stayed = np.mean([realised.get(c, "lead") == tier for c in members])
        assert tiers[tier]["stayed_share"] == pytest.approx(stayed), tier
        rev = sum(holdout_rev.get(c, 0.0) for c in members)
        assert tiers[tier]["actual_revenue"] == pytest.approx(rev), tier
    total = out["actual_revenue"]
    for tier in ("platinum", "gold", "iron", "lead"):
        assert tiers[tier]["revenue_share"] == pytest.approx(tiers[tier]["actual_revenue"]
                                                             / total)
    assert sum(r["revenue_share"] for r in out["by_tier"]) == pytest.approx(1.0)
    assert set(out["models"]) == {"bgnbd", "mbgnbd"}


def test_no_customer_before_the_cutoff_is_an_empty_backtest() -> None:
    data = _data([("a", 300, 10.0), ("b", 310, 20.0)])
    out = value_backtest(data, CrmConfig(), D0 + dt.timedelta(days=320))
    assert out["customers"] == 0 and out["by_tier"] == [] and out["predicted_purchases"] is None


def _cdnow() -> CrmData:
    raw = pl.read_csv(CDNOW, has_header=False, new_columns=["line"], separator="\t")
    pattern = r"^\s*(?<id>\d+)\s+(?<day>\d{8})\s+(?<n>\d+)\s+(?<amount>[\d.]+)\s*$"
    body = raw.select(pl.col("line").str.extract_groups(pattern)).unnest("line")
    body = body.filter(pl.col("id").is_not_null()).select(
        customer_id=pl.col("id"), order_date=pl.col("day").str.to_date("%Y%m%d"),
        amount=pl.col("amount").cast(pl.Float64))
    base = empty_frame("orders")
    orders = pl.concat([base, body], how="diagonal_relaxed").select(base.columns)
    return CrmData(empty_frame("customers"), orders, empty_frame("complaints"),
                   empty_frame("interactions"))


def test_cdnow_matches_the_lifetimes_anchor() -> None:
    cfg = dataclasses.replace(CrmConfig(), horizon_days=273)
    out = value_backtest(_cdnow(), cfg, dt.date(1998, 6, 30))
    assert out["cutoff"] == "1997-09-30" and out["customers"] == 23_570
    assert out["actual_purchases"] == 19_684
    assert out["predicted_purchases"] == pytest.approx(16_874, rel=0.002)
    rows = {r["repeat_purchases"]: r for r in out["by_repeat_purchases"]}
    assert rows[1]["predicted_purchases"] == pytest.approx(0.52, abs=0.01)
    assert rows[1]["actual_purchases"] == pytest.approx(0.78, abs=0.01)
    assert rows[2]["predicted_purchases"] == pytest.approx(1.04, abs=0.01)
    assert rows[2]["actual_purchases"] == pytest.approx(1.40, abs=0.01)
    # the README's figures: both models side by side, coverage of the 90% intervals
    for name in ("bgnbd", "mbgnbd"):
        s = out["models"][name]
        assert 0.7 < s["purchases_ratio"] < 0.95 and 0.3 < s["spearman"] < 0.6
    # intervals for the model in use (BG/NBD by default); the other is scored by points
    assert 0.85 < out["models"]["bgnbd"]["coverage"] < 0.97
    assert out["models"]["mbgnbd"]["coverage"] is None
    assert out["coverage"] == out["models"]["bgnbd"]["coverage"]
    assert out["revenue_low"] < out["predicted_revenue"] < out["revenue_high"]
    assert out["better_model"] in ("bgnbd", "mbgnbd")
