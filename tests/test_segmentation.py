"""Customer summary, lifetime value, value pyramid and RFM on hand-built frames."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from crm_logic import segmentation as seg
from crm_logic.config import CrmConfig
from crm_logic.store import CrmData, empty_frame

D = dt.date
AS_OF = D(2024, 3, 31)

pytestmark = pytest.mark.filterwarnings("error")  # no numerical warning may pass unnoticed


def _orders(rows: list[tuple]) -> pl.DataFrame:
    """rows: (customer_id, order_date, amount, order_id, margin) -> canonical orders frame."""
    base = empty_frame("orders")
    df = pl.DataFrame(rows, schema=["customer_id", "order_date", "amount", "order_id", "margin"],
                      orient="row")
    return pl.concat([base, df.cast({"amount": pl.Float64, "margin": pl.Float64})],
                     how="diagonal_relaxed").select(base.columns)


def _data(orders: pl.DataFrame, complaints: pl.DataFrame | None = None) -> CrmData:
    return CrmData(customers=empty_frame("customers"), orders=orders,
                   complaints=complaints if complaints is not None else empty_frame("complaints"),
                   interactions=empty_frame("interactions"))


ORDERS = _orders([
    # A: line items of o1, a second order the same day, a margin line, a refund-only day,
    #    and an order after as_of (ignored)
    ("A", D(2024, 1, 1), 100.0, "o1", None),
    ("A", D(2024, 1, 1), 50.0, "o1", None),
    ("A", D(2024, 1, 1), 30.0, "o2", None),
    ("A", D(2024, 2, 1), 80.0, "o3", 20.0),
    ("A", D(2024, 2, 10), -40.0, "o4", None),
    ("A", D(2024, 4, 5), 999.0, "o5", None),
    # B: no order ids: one order per day
    ("B", D(2024, 3, 1), 10.0, None, None),
    ("B", D(2024, 3, 1), 20.0, None, None),
    ("B", D(2024, 3, 5), 5.0, None, None),
    # C: a refund only
    ("C", D(2024, 3, 10), -25.0, "r1", None),
    # D: only after as_of; no customer id: both absent
    ("D", D(2024, 4, 1), 10.0, "d1", None),
    (None, D(2024, 3, 1), 10.0, "x1", None),
])


def test_customer_summary_hand_computed() -> None:
    got = seg.customer_summary(ORDERS, AS_OF, margin_share=0.5).sort("customer_id")
    want = pl.DataFrame({
        "customer_id": ["A", "B", "C"],
        "first_order_date": [D(2024, 1, 1), D(2024, 3, 1), D(2024, 3, 10)],
        "last_order_date": [D(2024, 2, 1), D(2024, 3, 5), D(2024, 3, 10)],
        "orders": [4, 2, 1],
        "occasions": [2, 2, 0],
        "frequency": [1, 1, None],
        "recency_days": [31, 4, None],
        "T_days": [90, 30, None],
        "tenure_days": [90, 30, 21],
        "days_since_last": [59, 26, 21],
        "revenue": [220.0, 35.0, -25.0],
        "margin_total": [20.0, None, None],
        # lines without margin x 0.5, margin where given: (100+50+30-40)*0.5 + 20
        "historic_value": [90.0, 17.5, -12.5],
        "monetary_value": [80.0, 5.0, None],
    }, schema_overrides={"orders": pl.Int64, "occasions": pl.Int64, "frequency": pl.Int64,
                         "recency_days": pl.Int64, "T_days": pl.Int64, "tenure_days": pl.Int64,
                         "days_since_last": pl.Int64})
    assert_frame_equal(got, want)


def test_customer_summary_lazy_input_and_empty() -> None:
    lazy = seg.customer_summary(ORDERS.lazy(), AS_OF).sort("customer_id")
    # margin_share 1: the margin line counts its margin (20), the others their amount
    assert lazy.get_column("historic_value").to_list() == [160.0, 35.0, -25.0]
    empty = seg.customer_summary(empty_frame("orders"), AS_OF)
    assert empty.height == 0 and empty.columns == list(seg.SUMMARY_COLUMNS)


# --- value pyramid -------------------------------------------------------------------------------


def _tiers(ltv: list[float], cfg: CrmConfig, ids: list[str] | None = None) -> pl.DataFrame:
    ids = ids or [f"c{i:02d}" for i in range(len(ltv))]
    df = pl.DataFrame({"customer_id": ids, "lifetime_value": ltv})
    return df.with_columns(seg.value_tier_expr(cfg, df.height))


def test_tier_counts_follow_cutoffs_exactly() -> None:
    rng = np.random.default_rng(1)
    ltv = rng.permutation(np.arange(1, 21)).astype(float).tolist()
    got = _tiers(ltv, CrmConfig())
    counts = got.get_column("value_tier").value_counts().sort("value_tier")
    assert dict(counts.iter_rows()) == {"platinum": 1, "gold": 3, "iron": 6, "lead": 10}
    # largest first
    top = got.sort("lifetime_value", descending=True).get_column("value_tier").to_list()
    assert top == ["platinum"] + ["gold"] * 3 + ["iron"] * 6 + ["lead"] * 10
    # edited cut-offs
    cfg = dataclasses.replace(CrmConfig(), tier_platinum_share=0.1, tier_gold_share=0.2,
                              tier_iron_share=0.2)
    counts = _tiers(ltv, cfg).get_column("value_tier").value_counts()
    assert dict(counts.iter_rows()) == {"platinum": 2, "gold": 4, "iron": 4, "lead": 10}


def test_tier_ties_broken_by_customer_id_and_non_positive_is_lead() -> None:
    cfg = dataclasses.replace(CrmConfig(), tier_platinum_share=0.25, tier_gold_share=0.25,
                              tier_iron_share=0.5)
    got = _tiers([100.0, 100.0, 0.0, -5.0], cfg, ids=["b", "a", "c", "d"])
    assert dict(zip(got["customer_id"], got["value_tier"], strict=True)) == {
        "a": "platinum", "b": "gold", "c": "lead", "d": "lead"}


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 300), p=st.floats(0, 0.5), g=st.floats(0, 0.5), i=st.floats(0, 0.5),
       seed=st.integers(0, 10_000))
def test_tier_counts_property(n: int, p: float, g: float, i: float, seed: int) -> None:
    cfg = dataclasses.replace(CrmConfig(), tier_platinum_share=p, tier_gold_share=g,
                              tier_iron_share=i)
    ltv = np.random.default_rng(seed).integers(1, 50, n).astype(float).tolist()  # ties, > 0
    got = _tiers(ltv, cfg).get_column("value_tier")
    k1, k2, k3 = seg.tier_cutoffs(n, cfg)
    want = [min(n, round_half_up(n * min(1.0, c))) for c in (p, p + g, p + g + i)]
    assert [k1, k2, k3] == want
    assert int((got == "platinum").sum()) == k1
    assert int((got == "gold").sum()) == k2 - k1
    assert int((got == "iron").sum()) == k3 - k2
    assert int((got == "lead").sum()) == n - k3


def round_half_up(x: float) -> int:
    return int(np.floor(x + 0.5 + 1e-9))


# --- RFM -----------------------------------------------------------------------------------------


RFM_TEN = pl.DataFrame({
    "customer_id": [f"c{i:02d}" for i in range(1, 11)],
    "days_since_last": [5, 10, 20, 40, 60, 90, 120, 200, 300, 400],
    "occasions": [20, 1, 15, 3, 8, 2, 12, 4, 10, 1],
    "revenue": [900.0, 50.0, 800.0, 100.0, 300.0, 20.0, 1000.0, 200.0, 150.0, 10.0],
})


def test_rfm_segments_on_ten_customers() -> None:
    got = RFM_TEN.with_columns(seg.rfm_score_exprs(5)).with_columns(seg.rfm_segment_expr(5))
    want = RFM_TEN.with_columns(
        pl.Series("r_score", [5, 5, 4, 4, 3, 3, 2, 2, 1, 1], dtype=pl.Int64),
        # occasions 1 is a tie (c02, c10): both take the lower score
        pl.Series("f_score", [5, 1, 5, 2, 3, 2, 4, 3, 4, 1], dtype=pl.Int64),
        pl.Series("m_score", [5, 2, 4, 2, 4, 1, 5, 3, 3, 1], dtype=pl.Int64),
        pl.Series("rfm_segment", [
            "champions", "new", "loyal", "potential_loyalists", "needs_attention",
            "about_to_sleep", "cannot_lose_them", "at_risk", "at_risk", "lost",
        ]),
    )
    assert_frame_equal(got, want)


@pytest.mark.parametrize(("r", "f", "m", "segment"), [
    (5, 5, 1, "champions"), (4, 4, 1, "loyal"), (3, 5, 5, "loyal"),
    (5, 2, 3, "potential_loyalists"), (5, 1, 1, "new"), (4, 1, 5, "promising"),
    (3, 3, 3, "needs_attention"), (3, 1, 1, "about_to_sleep"), (2, 5, 4, "cannot_lose_them"),
    (1, 4, 2, "at_risk"), (1, 1, 5, "lost"), (2, 2, 2, "hibernating"), (1, 2, 1, "hibernating"),
    (None, 3, 3, seg.RFM_CATCH_ALL),
])
def test_rfm_rule_table(r: int | None, f: int, m: int, segment: str) -> None:
    df = pl.DataFrame({"r_score": [r], "f_score": [f], "m_score": [m]},
                      schema={"r_score": pl.Int64, "f_score": pl.Int64, "m_score": pl.Int64})
    assert df.select(seg.rfm_segment_expr(5)).item() == segment


def test_every_cell_of_the_grid_has_a_named_segment() -> None:
    cells = [(r, f) for r in range(1, 6) for f in range(1, 6)]
    df = pl.DataFrame({"r_score": [c[0] for c in cells], "f_score": [c[1] for c in cells],
                       "m_score": [3] * 25})
    segments = df.select(seg.rfm_segment_expr(5)).to_series()
    assert set(segments) <= set(seg.RFM_SEGMENTS)
    assert {r.segment for r in seg.RFM_RULES} == set(seg.RFM_SEGMENTS)


def test_rfm_other_bin_counts_map_to_the_five_point_rules() -> None:
    df = pl.DataFrame({"r_score": [3, 1], "f_score": [3, 1], "m_score": [3, 1]})
    assert df.select(seg.rfm_segment_expr(3)).to_series().to_list() == ["champions", "lost"]


def test_rfm_warns_where_quintiles_cannot_be_formed() -> None:
    assert seg.rfm_warnings(RFM_TEN, 5) == []
    ties = RFM_TEN.with_columns(pl.lit(1).alias("occasions"))
    msgs = seg.rfm_warnings(ties, 5)
    assert len(msgs) == 1 and "frequency" in msgs[0]
    assert "only 3 customers" in seg.rfm_warnings(RFM_TEN.head(3), 5)[0]


# --- value table -----------------------------------------------------------------------------


def _repeat_orders(n: int, seed: int = 5) -> pl.DataFrame:
    """n customers with random purchase days in 2023 (some buy once, some refund)."""
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(n):
        k = int(rng.integers(1, 8))
        days = np.sort(rng.choice(360, size=k, replace=False))
        for j, d in enumerate(days):
            rows.append((f"K{c:03d}", D(2023, 1, 1) + dt.timedelta(days=int(d)),
                         float(rng.gamma(3.0, 20.0)), f"K{c:03d}-{j}", None))
    return _orders(rows)


def test_value_table_columns_and_identities() -> None:
    data = _data(_repeat_orders(120))
    cfg = CrmConfig()
    table, fits = seg.value_table(data, cfg, D(2023, 12, 31))
    assert table.columns == list(seg.VALUE_COLUMNS)
    assert table.height == 120
    assert fits.bgnbd is not None and fits.gamma_gamma is not None and fits.mbgnbd is not None
    ltv = table["historic_value"] + table["predicted_value"] - table["cost_to_serve"]
    np.testing.assert_allclose(table["lifetime_value"].to_numpy(), ltv.to_numpy())
    assert table["predicted_value"].min() >= 0
    assert table["p_alive"].is_between(0, 1).all()
    assert table["p_alive_mbg"].is_between(0, 1).all()
    churn = fits.churn_model_dict()
    assert churn["model"] == "bgnbd" and churn["time_unit"] == "day"
    assert set(churn) == {"model", "time_unit", "r", "alpha", "a", "b", "log_likelihood"}
    assert set(fits.spend_model_dict()) == {"model", "p", "q", "gamma"}


def test_value_with_refunds_and_cost_to_serve_sinks_a_customer() -> None:
    orders = pl.concat([
        _repeat_orders(60),
        _orders([("R", D(2023, 6, 1), 500.0, "r1", None),
                 ("R", D(2023, 6, 20), -500.0, "r2", None)]
                # S: small orders every 5 days, up to the as-of date
                + [("S", D(2023, 1, 5) + dt.timedelta(days=5 * i), 5.0, f"s{i}", None)
                   for i in range(72)]),
    ])
    data = _data(orders)
    table, _ = seg.value_table(data, CrmConfig(), D(2023, 12, 31))
    r = table.filter(pl.col("customer_id") == "R").row(0, named=True)
    assert r["revenue"] == 0.0 and r["historic_value"] == 0.0 and r["occasions"] == 1
    costly = dataclasses.replace(CrmConfig(), cost_per_order=6.0)
    base_s = table.filter(pl.col("customer_id") == "S").row(0, named=True)
    t2, _ = seg.value_table(data, costly, D(2023, 12, 31))
    s = t2.filter(pl.col("customer_id") == "S").row(0, named=True)
    assert base_s["value_tier"] != "lead"
    assert s["cost_to_serve"] > 6.0 * 72  # 72 orders to date plus expected future ones
    assert s["lifetime_value"] < 0 and s["value_tier"] == "lead"


def test_complaints_raise_cost_to_serve() -> None:
    complaints = pl.concat([empty_frame("complaints"), pl.DataFrame({
        "complaint_id": ["q1", "q2", "q3"], "received_date": [D(2023, 5, 1)] * 2 + [D(2024, 5, 1)],
        "customer_id": ["K001", "K001", "K001"]})], how="diagonal_relaxed")
    data = _data(_repeat_orders(40), complaints)
    cfg = dataclasses.replace(CrmConfig(), cost_per_complaint=100.0)
    table, _ = seg.value_table(data, cfg, D(2023, 12, 31))
    k = table.filter(pl.col("customer_id") == "K001").row(0, named=True)
    assert k["complaints"] == 2 and k["cost_to_serve"] == 200.0  # the 2024 complaint is later


def test_unidentified_fit_warns_but_predicts_finite_values() -> None:
    """40 steady buyers and no visible dropout: BG/NBD runs towards its Poisson limit."""
    table, fits = seg.value_table(_data(_repeat_orders(40)), CrmConfig(), D(2023, 12, 31))
    assert fits.bgnbd is not None and not fits.bgnbd.converged
    assert any("limit" in w for w in fits.warnings)
    for col in ("expected_purchases", "predicted_value", "lifetime_value", "cost_to_serve"):
        assert table[col].null_count() == 0 and table[col].is_finite().all(), col


def test_value_table_without_repeat_buyers_warns_and_predicts_nothing() -> None:
    orders = _orders([(f"O{i}", D(2023, 1, 1) + dt.timedelta(days=i), 10.0 + i, f"o{i}", None)
                      for i in range(30)])
    table, fits = seg.value_table(_data(orders), CrmConfig(), D(2023, 12, 31))
    assert fits.bgnbd is None and fits.gamma_gamma is None
    assert any("not fitted" in w for w in fits.warnings)
    from crm_logic.i18n import t

    # everybody bought once: no purchase model, and frequency cannot form quintiles
    assert [k for k, _ in fits.notes] == ["segments.note.not_fitted",
                                          "segments.note.rfm_ties_frequency"]
    assert "30" in t(fits.notes[0][0], "zh", **fits.notes[0][1])  # the page's language
    assert table["predicted_value"].to_list() == [0.0] * 30
    assert table["p_alive"].null_count() == 30
    assert table["lifetime_value"].to_list() == table["historic_value"].to_list()
    assert fits.churn_model_dict()["r"] is None
    counts = dict(table["value_tier"].value_counts().iter_rows())
    assert counts == {"platinum": 2, "gold": 4, "iron": 9, "lead": 15}


def test_value_table_on_complaints_only_data() -> None:
    table, fits = seg.value_table(_data(empty_frame("orders")), CrmConfig(), D(2024, 1, 1))
    assert table.height == 0 and table.columns == list(seg.VALUE_COLUMNS)
    assert fits.warnings


def test_page_summaries() -> None:
    table = pl.DataFrame({
        "customer_id": ["a", "b", "c", "d"],
        "lifetime_value": [60.0, 30.0, 20.0, -10.0],
        "value_tier": ["platinum", "gold", "iron", "lead"],
        "rfm_segment": ["champions", "loyal", "loyal", "lost"],
        "r_score": [5, 4, 4, 1], "f_score": [5, 4, 4, 1],
    })
    tiers = seg.tier_summary(table)
    assert tiers["customers"].to_list() == [1, 1, 1, 1]
    assert tiers["value_share"].to_list() == pytest.approx([0.6, 0.3, 0.2, -0.1])
    curve = seg.pareto_curve(table)
    assert curve["share_customers"].to_list() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert curve["share_value"].to_list() == pytest.approx([0.0, 0.6, 0.9, 1.1, 1.0])
    grid = seg.rfm_grid(table, 5)
    assert grid.height == 25 and grid["customers"].sum() == 4
    assert grid.filter((pl.col("r_score") == 4) & (pl.col("f_score") == 4))["customers"].item() == 2
    segs = seg.segment_summary(table)
    assert segs.height == len(seg.RFM_SEGMENTS)
    assert dict(zip(segs["rfm_segment"], segs["customers"], strict=True))["loyal"] == 2
