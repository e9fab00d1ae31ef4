"""Lifecycle rules against the sample generator's truth: pattern and stage accuracy >= 90%.

The generator draws each lost customer's life curve from the domain's four patterns, plus the
hard cases of real data (`crm_logic.sample_cases`: relationships older than the data, one-off
spikes, seasonal and annual buyers, re-trials after a long silence; a partial last month);
the rules never see the truth. The confusion matrices are printed (run with -s to see them;
they are quoted in the README).
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from crm_logic import lifecycle as lc
from crm_logic import sample, store
from crm_logic.config import CrmConfig


@pytest.fixture(scope="module")
def judged() -> pl.DataFrame:
    g = sample.generate(8_000, seed=5)
    data = store.CrmData(g["customers"], g["orders"], g["complaints"], g["interactions"])
    as_of = g["orders"].get_column("order_date").max()
    assert isinstance(as_of, dt.date)
    life = lc.customer_lifecycle(data, CrmConfig(), as_of)
    return g["truth"].join(life, on="customer_id", how="left", suffix="_found")


def _confusion(frame: pl.DataFrame, truth: str, found: str, codes: tuple[str, ...]) -> str:
    counts = {(a, b): n for a, b, n in frame.group_by(truth, found).len().iter_rows()}
    width = max(len(c) for c in codes) + 2
    head = "truth \\ found".ljust(width) + "".join(c.rjust(width) for c in codes) + "  recall"
    lines = [head]
    for a in codes:
        row = [counts.get((a, b), 0) for b in codes]
        total = sum(counts.get((a, b), 0) for b in (*codes, None))
        recall = row[codes.index(a)] / total if total else float("nan")
        lines.append(a.ljust(width) + "".join(str(n).rjust(width) for n in row)
                     + f"  {recall:6.1%}")
    return "\n".join(lines)


def test_churn_is_found(judged: pl.DataFrame) -> None:
    agree = (judged.get_column("churned") == judged.get_column("churned_found")).mean()
    print(f"\nchurned vs truth: {agree:.1%} agree")
    assert agree >= 0.95


def test_pattern_accuracy_at_least_90_percent(judged: pl.DataFrame) -> None:
    lost = judged.filter(pl.col("churned"))
    accuracy = (lost.get_column("pattern") == lost.get_column("lifecycle_pattern")).mean()
    print(f"\npattern accuracy on {lost.height:,} lost customers: {accuracy:.1%}")
    print(_confusion(lost, "pattern", "lifecycle_pattern", lc.PATTERN_CODES))
    assert accuracy >= 0.90


def test_every_hard_case_is_in_the_sample_and_judged(judged: pl.DataFrame) -> None:
    """Per hard case: truth (pattern of the lost, stage of the active) against what was found."""
    found = pl.when(pl.col("churned_found")).then(pl.col("lifecycle_pattern")).otherwise(
        pl.col("lifecycle_stage"))
    frame = judged.with_columns(pl.coalesce("pattern", "stage").alias("_truth"),
                                found.alias("_found"))
    codes = (*lc.STAGES, *lc.PATTERN_CODES)
    right = {}
    for case in ("before_data", "spike", "seasonal", "annual", "retrial"):
        sub = frame.filter(pl.col("case") == case)
        assert sub.height > 0, case
        right[case] = (sub.get_column("_truth") == sub.get_column("_found")).mean()
        shown = tuple(c for c in codes if c in set(sub.get_column("_truth"))
                      | set(sub.get_column("_found").drop_nulls()))
        print(f"\n{case}: {sub.height} customers, {right[case]:.1%} right")
        print(_confusion(sub, "_truth", "_found", shown))
    assert right["before_data"] >= 0.9 and right["retrial"] >= 0.9 and right["spike"] >= 0.8


def test_stage_accuracy_of_active_customers(judged: pl.DataFrame) -> None:
    active = judged.filter(~pl.col("churned"))
    accuracy = (active.get_column("stage") == active.get_column("lifecycle_stage")).mean()
    print(f"\ncurrent stage accuracy on {active.height:,} active customers: {accuracy:.1%}")
    print(_confusion(active, "stage", "lifecycle_stage", lc.STAGES))
    assert accuracy >= 0.90
