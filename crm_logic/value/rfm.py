"""RFM scores and named segments (definitions: `crm_logic.segmentation`)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from crm_logic.i18n import t

Note = tuple[str, dict[str, object]]  # (i18n key, format arguments): a warning in any language

RFM_SEGMENTS: tuple[str, ...] = (
    "champions", "loyal", "potential_loyalists", "new", "promising", "needs_attention",
    "about_to_sleep", "at_risk", "cannot_lose_them", "hibernating", "lost",
)
RFM_CATCH_ALL = "needs_attention"


@dataclass(frozen=True)
class RfmRule:
    """A named segment: inclusive ranges of R, F and M on the 1..5 scale."""

    segment: str
    r: tuple[int, int]
    f: tuple[int, int]
    m: tuple[int, int] = (1, 5)


# First match wins; scores on other scales are mapped to 1..5 first. Covers the 5x5 R-F grid.
RFM_RULES: tuple[RfmRule, ...] = (
    RfmRule("champions", r=(5, 5), f=(4, 5)),
    RfmRule("loyal", r=(3, 4), f=(4, 5)),
    RfmRule("potential_loyalists", r=(4, 5), f=(2, 3)),
    RfmRule("new", r=(5, 5), f=(1, 1)),
    RfmRule("promising", r=(4, 4), f=(1, 1)),
    RfmRule("needs_attention", r=(3, 3), f=(3, 3)),
    RfmRule("about_to_sleep", r=(3, 3), f=(1, 2)),
    RfmRule("cannot_lose_them", r=(1, 2), f=(4, 5), m=(4, 5)),
    RfmRule("at_risk", r=(1, 2), f=(3, 5)),
    RfmRule("lost", r=(1, 1), f=(1, 1)),
    RfmRule("hibernating", r=(1, 2), f=(1, 2)),
)


def _score(value: pl.Expr, bins: int) -> pl.Expr:
    """1..bins by rank (higher value, higher score); ties share the lower score."""
    n = value.count()
    rank = value.rank(method="min")
    return ((rank - 1) * bins / n).floor().cast(pl.Int64).clip(0, bins - 1) + 1


def rfm_score_exprs(bins: int) -> list[pl.Expr]:
    """r_score, f_score, m_score (1..bins; higher is better) from the summary columns."""
    return [
        _score(-pl.col("days_since_last"), bins).alias("r_score"),
        _score(pl.col("occasions"), bins).alias("f_score"),
        _score(pl.col("revenue"), bins).alias("m_score"),
    ]


def _to5(score: pl.Expr, bins: int) -> pl.Expr:
    if bins == 5:
        return score
    if bins <= 1:
        return pl.lit(3)
    return (1 + (score - 1) * 4 / (bins - 1)).round(0).cast(pl.Int64)


def rfm_segment_expr(bins: int) -> pl.Expr:
    """rfm_segment from r_score/f_score/m_score: first matching rule of RFM_RULES."""
    r, f, m = (_to5(pl.col(c), bins) for c in ("r_score", "f_score", "m_score"))
    expr: pl.Expr | pl.When | pl.Then | None = None
    for rule in RFM_RULES:
        cond = (r.is_between(*rule.r) & f.is_between(*rule.f) & m.is_between(*rule.m))
        expr = pl.when(cond) if expr is None else expr.when(cond)  # type: ignore[union-attr]
        expr = expr.then(pl.lit(rule.segment))
    return expr.otherwise(pl.lit(RFM_CATCH_ALL)).alias("rfm_segment")  # type: ignore[union-attr]


_RFM_DIMS = (("days_since_last", "recency"), ("occasions", "frequency"), ("revenue", "monetary"))


def rfm_notes(summary: pl.DataFrame, bins: int) -> list[Note]:
    """Where the data cannot support `bins` even groups (few customers, heavy ties)."""
    n = summary.height
    if n == 0:
        return []
    if n < bins:
        return [("segments.note.rfm_few", {"n": n, "bins": bins})]
    out: list[Note] = []
    for col, dim in _RFM_DIMS:
        s = summary.get_column(col)
        largest_tie = int(s.value_counts().get_column("count").max() or 0)
        if s.n_unique() < bins or largest_tie > n / bins:
            out.append((f"segments.note.rfm_ties_{dim}",
                        {"bins": bins, "share": f"{largest_tie / n:.0%}"}))
    return out


def rfm_warnings(summary: pl.DataFrame, bins: int) -> list[str]:
    """`rfm_notes` as English sentences."""
    return [t(key, "en", **kw) for key, kw in rfm_notes(summary, bins)]
