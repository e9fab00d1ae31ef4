"""Prospects: MAN qualification, sources by personal relation, and the 5-step journey.

The domain (../shared/domain.md, source 001): a prospect qualifies by purchasing power
(money), decision authority and need (MAN: all three); prospects come through personal
relations (relatives, friends, colleagues, teacher-student, hometown). The 5-step variant of
the lifecycle (sources 002, 003) runs prospect -> first purchase -> repeat purchase -> loyal
-> churned.

Definitions (as of one date; prospects registered after it are not counted yet):
- qualified: has_money, has_authority and has_need all true (an unknown answer is not yes);
- converted: `converted_customer_id` names a customer with a purchase occasion up to as_of
  (the customer table of `crm_logic.pipeline.analyse`: `occasions` >= 1); this is also the
  funnel's "first purchase" step;
- repeat purchase: that customer has at least two purchase occasions; loyal: the customer's
  lifecycle reached stability (`peak_stage`); churned: the lifecycle's lost rule (`churned`);
- open / lost: a prospect not converted is open until `prospect_open_max_days` after it was
  registered, then counted as lost.
A prospect_id that occurs twice counts once (its first row).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from crm_logic.config import CrmConfig

MAN: tuple[str, ...] = ("has_money", "has_authority", "has_need")
RELATIONS: tuple[str, ...] = ("relatives", "friends", "colleagues", "teacher_student",
                              "hometown")
FUNNEL: tuple[str, ...] = ("prospects", "first_purchase", "repeat_purchase", "loyal",
                           "churned")
STATUSES: tuple[str, ...] = ("converted", "open", "lost")
UNKNOWN = "unknown"  # source code of a prospect without a source

# Source words (lower case, stripped) -> relation code; anything else stays as written.
RELATION_WORDS: dict[str, str] = {
    **{c: c for c in RELATIONS},
    "relative": "relatives", "family": "relatives", "亲戚": "relatives", "亲属": "relatives",
    "家人": "relatives", "亲人": "relatives",
    "friend": "friends", "朋友": "friends", "好友": "friends", "朋友介绍": "friends",
    "colleague": "colleagues", "coworker": "colleagues", "co-worker": "colleagues",
    "同事": "colleagues", "同事介绍": "colleagues",
    "teacher-student": "teacher_student", "teacher student": "teacher_student",
    "teacher": "teacher_student", "student": "teacher_student", "师生": "teacher_student",
    "老师": "teacher_student", "学生": "teacher_student", "师生关系": "teacher_student",
    "hometown": "hometown", "fellow townsman": "hometown", "同乡": "hometown",
    "老乡": "hometown", "同乡关系": "hometown",
}

# The customer columns the journey reads (from the analysis customer table).
CUSTOMER_COLUMNS: dict[str, pl.DataType] = {
    "customer_id": pl.String(), "occasions": pl.UInt32(), "peak_stage": pl.String(),
    "churned": pl.Boolean(), "lifetime_value": pl.Float64(),
}


def source_code_expr(col: str = "source") -> pl.Expr:
    """A source as a relation code when it names one (English or Chinese), else as written;
    an empty source is `unknown`."""
    text = pl.col(col).cast(pl.String).str.strip_chars()
    low = text.str.to_lowercase()
    return (pl.when(text.is_null() | (text == "")).then(pl.lit(UNKNOWN))
            .otherwise(low.replace_strict(RELATION_WORDS, default=text, return_dtype=pl.String))
            .alias("source_code"))


def _customer_facts(customers: pl.DataFrame | None) -> pl.DataFrame:
    """The journey columns of the analysis customer table (empty when there is none)."""
    if customers is None or customers.height == 0:
        return pl.DataFrame(schema=CUSTOMER_COLUMNS)
    cols = [pl.col(c).cast(t) if c in customers.columns else pl.lit(None, dtype=t).alias(c)
            for c, t in CUSTOMER_COLUMNS.items()]
    return customers.select(cols).unique("customer_id", keep="first", maintain_order=True)


def prospect_facts(prospects: pl.DataFrame, customers: pl.DataFrame | None, cfg: CrmConfig,
                   as_of: dt.date) -> pl.DataFrame:
    """One row per prospect registered up to `as_of`, with its qualification and journey.

    `customers`: the analysis customer table (customer_id, occasions, peak_stage, churned,
    lifetime_value). Adds source_code, relation (a personal-relation source), qualified,
    converted, repeat, loyal, churned, age_days, status (converted | open | lost).
    """
    p = (prospects.filter(pl.col("created_date") <= as_of)
         .unique("prospect_id", keep="first", maintain_order=True))
    cust = _customer_facts(customers).rename({"customer_id": "converted_customer_id"})
    p = p.join(cust, on="converted_customer_id", how="left")
    yes = [pl.col(c).fill_null(False) for c in MAN]
    converted = pl.col("occasions").fill_null(0) >= 1
    age = (pl.lit(as_of) - pl.col("created_date")).dt.total_days().cast(pl.Int32)
    return p.with_columns(
        source_code_expr(),
        pl.all_horizontal(yes).alias("qualified"),
        converted.alias("converted"),
        (converted & (pl.col("occasions").fill_null(0) >= 2)).alias("repeat"),
        (converted & (pl.col("peak_stage") == "stability").fill_null(False)).alias("loyal"),
        (converted & pl.col("churned").fill_null(False)).alias("churned"),
        age.alias("age_days"),
    ).with_columns(
        pl.col("source_code").is_in(list(RELATIONS)).alias("relation"),
        pl.when(pl.col("converted")).then(pl.lit("converted"))
        .when(pl.col("age_days") > cfg.prospect_open_max_days).then(pl.lit("lost"))
        .otherwise(pl.lit("open")).alias("status"),
        pl.when(pl.col("converted")).then(pl.col("lifetime_value")).alias("lifetime_value"),
    )


def _rate(num: int, den: int) -> float | None:
    return num / den if den else None


def man_summary(facts: pl.DataFrame) -> pl.DataFrame:
    """Per MAN criterion: prospects answering no, unknown, missing (= not yes), missing share;
    the most often missing first (ties in MAN order)."""
    n = facts.height
    rows = []
    for k, c in enumerate(MAN):
        col = facts.get_column(c)
        no = int((col == False).sum())  # noqa: E712 - a Boolean series compared elementwise
        unknown = int(col.null_count())
        rows.append({"criterion": c, "no": no, "unknown": unknown, "missing": no + unknown,
                     "missing_share": _rate(no + unknown, n), "_k": k})
    frame = pl.DataFrame(rows, schema={"criterion": pl.String, "no": pl.Int64,
                                       "unknown": pl.Int64, "missing": pl.Int64,
                                       "missing_share": pl.Float64, "_k": pl.Int64})
    return frame.sort(["missing", "_k"], descending=[True, False]).drop("_k")


def source_summary(facts: pl.DataFrame) -> pl.DataFrame:
    """Per source: prospects, qualified, converted, conversion_rate, avg_lifetime_value (of
    the converted customers), value (their total); relations first in domain order, then
    other sources by prospects."""
    out = facts.group_by("source_code").agg(
        pl.len().cast(pl.Int64).alias("prospects"),
        pl.col("qualified").sum().cast(pl.Int64).alias("qualified"),
        pl.col("converted").sum().cast(pl.Int64).alias("converted"),
        pl.col("lifetime_value").mean().alias("avg_lifetime_value"),
        pl.col("lifetime_value").sum().alias("value"),
        pl.col("relation").first().alias("relation"),
    ).with_columns(
        (pl.col("converted") / pl.col("prospects")).alias("conversion_rate"),
        pl.col("source_code").replace_strict(list(RELATIONS), list(range(len(RELATIONS))),
                                             default=len(RELATIONS),
                                             return_dtype=pl.Int64).alias("_k"),
    )
    return (out.sort(["_k", "prospects", "source_code"], descending=[False, True, False])
            .select("source_code", "relation", "prospects", "qualified", "converted",
                    "conversion_rate", "avg_lifetime_value", "value"))


def funnel(facts: pl.DataFrame) -> dict[str, int]:
    """The 5-step journey as counts of prospects: FUNNEL order."""
    sums = facts.select(pl.col("converted", "repeat", "loyal", "churned").sum()).row(0) \
        if facts.height else (0, 0, 0, 0)
    return dict(zip(FUNNEL, [facts.height, *(int(x) for x in sums)], strict=True))


def open_prospects(facts: pl.DataFrame) -> pl.DataFrame:
    """Qualified prospects still open (not converted, not yet lost), oldest first."""
    cols = ["prospect_id", "created_date", "age_days", "name", "phone", "email", "source",
            "source_code"]
    return (facts.filter(pl.col("qualified") & (pl.col("status") == "open"))
            .sort(["created_date", "prospect_id"]).select(cols))


def prospect_report(prospects: pl.DataFrame, customers: pl.DataFrame | None, cfg: CrmConfig,
                    as_of: dt.date) -> dict[str, Any]:
    """The report's `prospects` key (see ../shared/contract.md)."""
    facts = prospect_facts(prospects, customers, cfg, as_of)
    total = facts.height
    status = dict.fromkeys(STATUSES, 0)
    for s, n in facts.group_by("status").len().iter_rows():
        status[s] = int(n)
    by_source = [
        {"source": r["source_code"], "relation": r["relation"], "prospects": r["prospects"],
         "qualified": r["qualified"], "converted": r["converted"],
         "conversion_rate": r["conversion_rate"],
         "avg_lifetime_value": r["avg_lifetime_value"]}
        for r in source_summary(facts).iter_rows(named=True)
    ]
    qualified = int(facts.get_column("qualified").sum()) if total else 0
    man = man_summary(facts)
    return {
        "total": total, "qualified": qualified, "converted": status["converted"],
        "conversion_rate": _rate(status["converted"], total),
        "open": status["open"], "lost": status["lost"],
        "most_missing": man.get_column("criterion")[0] if total and man["missing"][0] else None,
        "missing": dict(zip(man["criterion"].to_list(), man["missing"].to_list(), strict=True)),
        "by_source": by_source, "funnel": funnel(facts),
    }
