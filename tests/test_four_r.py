"""4R scorecard sections against hand-computed values on hand-built customers."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from crm_logic import four_r, store
from crm_logic.config import CrmConfig

D = dt.date
AS_OF = D(2024, 6, 30)


def _frame(table: str, rows: list[dict]) -> pl.DataFrame:
    schema = store.polars_schema(table)
    return pl.DataFrame([{c: r.get(c) for c in schema} for r in rows], schema=schema)


def _data() -> store.CrmData:
    customers = _frame("customers", [
        {"customer_id": "A", "phone": "13800000001", "region": "上海"},
        {"customer_id": "B", "email": "b@x.com"},  # contact, but no segment
        {"customer_id": "C", "phone": "138-0000-0001", "channel": "online"},  # A's phone
        {"customer_id": "D", "email": "d@x.com", "region": "北京"},  # no orders
        {"customer_id": "D", "email": "d@x.com", "region": "北京"},  # the same id twice
    ])
    orders = _frame("orders", [
        {"customer_id": c, "order_date": D(2024, 3, 1), "amount": a, "category": k}
        for c, a, k in [("A", 100.0, "tea"), ("A", 50.0, "coffee"), ("B", 30.0, "coffee"),
                        ("C", 10.0, "tea"), ("C", 10.0, "coffee"), ("E", 5.0, "tea")]])
    interactions = _frame("interactions", [
        {"customer_id": "A", "interaction_date": D(2024, 6, 1), "outcome": "offer_accepted"},
        {"customer_id": "A", "interaction_date": D(2024, 5, 1), "outcome": "info"},
        {"customer_id": "B", "interaction_date": D(2023, 1, 1), "outcome": "info"},
    ])
    return store.CrmData(customers=customers, orders=orders,
                         complaints=store.empty_frame("complaints"), interactions=interactions)


TABLE = pl.DataFrame({
    "customer_id": ["A", "B", "C", "E"],
    "value_tier": ["platinum", "gold", "iron", "lead"],
    "lifecycle_stage": ["stability", "stability", "formation", "exploration"],
    "lifetime_value": [500.0, 300.0, 50.0, 5.0],
    "churned": [False, False, False, True],
})


def test_recognize() -> None:
    got = four_r.recognize(_data(), AS_OF, TABLE)
    # known A-E; complete: A and C (B lacks a segment, D has no orders, E no record)
    assert got == {"known": 5, "complete": 2, "complete_share": 0.4,
                   "identified_order_share": pytest.approx(5 / 6),  # E's line has no record
                   "duplicate_ids": 1, "shared_contact_records": 2}  # A and C share a phone


def test_relationship_and_reward() -> None:
    rel = four_r.relationship_frame(_data(), CrmConfig(), AS_OF, TABLE)
    assert rel.get_column("customer_id").to_list() == ["A", "B", "C"]  # active only
    assert rel.get_column("top_category").to_list() == ["tea", "coffee", "coffee"]  # C: tie
    relationship, reward = four_r.relationship_and_reward(rel)
    assert relationship["contacts_per_customer"] == pytest.approx(2 / 3)  # B's is too old
    by = {r["tier"]: r for r in relationship["days_since_contact_by_tier"]}
    assert by["platinum"]["median_days_since_contact"] == 29
    assert by["gold"]["median_days_since_contact"] == 546
    assert (by["iron"]["never_contacted"], by["iron"]["median_days_since_contact"]) == (1, None)
    assert by["lead"]["customers"] == 0
    assert relationship["stability_no_contact"] == 1  # B: 546 days > 90
    assert reward == {"loyal_big": 2, "suggested_category": {"tea": 1, "coffee": 1},
                      "no_reward_yet": 1}  # A had an accepted offer, B none
    few = four_r.relationship_frame(_data(), CrmConfig(no_contact_days=600), AS_OF, TABLE)
    assert int(few.get_column("no_contact").sum()) == 0
