"""Complaint facts: status words and one row per complaint (see the package docstring)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from crm_logic.config import CrmConfig

# ---- status words ---------------------------------------------------------------------------

STATUS_CODES: tuple[str, ...] = ("open", "in_progress", "resolved")

# exact words after normalising (lower case, blanks and hyphens to "_")
_STATUS_WORDS: dict[str, str] = {
    **dict.fromkeys(
        ["resolved", "closed", "close", "done", "completed", "complete", "solved", "fixed",
         "finished", "settled", "已解决", "已处理", "已关闭", "已完成", "已结案", "结案",
         "完成", "关闭", "已办结", "办结", "处理完毕", "处理完成", "解决"],
        "resolved",
    ),
    **dict.fromkeys(
        ["in_progress", "inprogress", "processing", "in_process", "handling", "working",
         "assigned", "escalated", "follow_up", "following_up", "under_review", "处理中",
         "跟进中", "进行中", "已受理", "受理中", "已分配", "升级处理", "调查中", "已升级"],
        "in_progress",
    ),
    **dict.fromkeys(
        ["open", "new", "pending", "waiting", "unresolved", "not_resolved", "reopened",
         "received", "待处理", "未处理", "未解决", "新建", "待跟进", "待回复", "未受理", "待办",
         "重新打开"],
        "open",
    ),
}
# catch-all, in this order: negations first (未解决 contains 解决), then progress, then done
_STATUS_CONTAINS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("open", ("未", "待", "不", "没", "unresolv", "not_", "pending", "open", "new")),
    ("in_progress", ("中", "progress", "process", "handl", "review")),
    ("resolved", ("已", "完", "resolv", "clos", "solv", "done", "complet", "finish")),
)


def _normalised_status(col: str) -> pl.Expr:
    return pl.col(col).str.strip_chars().str.to_lowercase().str.replace_all(r"[\s\-]+", "_")


def status_code_expr(col: str = "status") -> pl.Expr:
    """The status text as a code ("open" | "in_progress" | "resolved"): rule table + catch-all.

    Dates are not looked at here (see `complaint_facts`); an empty or unknown word is "open".
    """
    s = _normalised_status(col)
    expr: pl.Expr = pl.lit("open")
    for code, needles in reversed(_STATUS_CONTAINS):
        expr = pl.when(s.str.contains_any(list(needles))).then(pl.lit(code)).otherwise(expr)
    exact = s.replace_strict(_STATUS_WORDS, default=None, return_dtype=pl.String)
    return pl.coalesce(exact, expr).alias("status_code")


# ---- one row per complaint ------------------------------------------------------------------


def _escalation_words(cfg: CrmConfig) -> list[str]:
    return [w.strip().lower() for w in str(cfg.escalation_channels).split(",") if w.strip()]


def escalated_expr(cfg: CrmConfig, col: str = "channel") -> pl.Expr:
    """True when the channel names an authority or legal action (the most serious level)."""
    words = _escalation_words(cfg)
    if not words:
        return pl.lit(False).alias("escalated")
    return pl.col(col).str.to_lowercase().str.contains_any(words).fill_null(False).alias(
        "escalated"
    )


def _first_seen(
    orders: pl.DataFrame | None, customers: pl.DataFrame | None, as_of: dt.date
) -> pl.DataFrame | None:
    """customer_id -> first_seen: the earlier of signup_date and the first order (to as_of)."""
    parts: list[pl.DataFrame] = []
    if orders is not None and orders.height:
        parts.append(
            orders.lazy().filter(pl.col("order_date") <= as_of)
            .group_by("customer_id").agg(pl.col("order_date").min().alias("first_seen"))
            .collect()
        )
    if customers is not None and customers.height and "signup_date" in customers.columns:
        parts.append(
            customers.lazy().filter(pl.col("signup_date") <= as_of)
            .select("customer_id", pl.col("signup_date").alias("first_seen")).collect()
        )
    if not parts:
        return None
    return (
        pl.concat(parts).filter(pl.col("customer_id").is_not_null())
        .group_by("customer_id").agg(pl.col("first_seen").min())
    )


def received_by(complaints: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """The complaints received on or before as_of (the only ones that exist on that day)."""
    return complaints.filter(pl.col("received_date") <= as_of)


def complaint_facts(
    complaints: pl.DataFrame,
    cfg: CrmConfig,
    as_of: dt.date,
    orders: pl.DataFrame | None = None,
    customers: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One row per complaint received up to as_of, with everything the statistics need.

    Adds to the canonical columns: status_code, resolved, days_to_resolve, sla_breached,
    age_days, escalated, month, tenure_days_at_complaint, is_new_customer, age_bucket (open
    ones only), customer_kind (new | old | unknown), reasonable_code (yes | no | unknown),
    customer_complaints, complaint_seq, repeat_complainer. sales_rep falls back to the
    customer's sales_rep. Tenure (days since the first order or signup, 0 when the complaint
    came first) needs orders or customers.signup_date, else it is null.
    """
    base = received_by(complaints, as_of).lazy()
    if customers is not None and customers.height and "sales_rep" in customers.columns:
        reps = customers.select("customer_id", pl.col("sales_rep").alias("_cust_rep")).unique(
            "customer_id", keep="first"
        )
        base = base.join(reps.lazy(), on="customer_id", how="left").with_columns(
            pl.coalesce("sales_rep", "_cust_rep").alias("sales_rep")
        ).drop("_cust_rep")
    first = _first_seen(orders, customers, as_of)
    if first is not None:
        base = base.join(first.lazy(), on="customer_id", how="left")
    else:
        base = base.with_columns(pl.lit(None, dtype=pl.Date).alias("first_seen"))

    text_code = status_code_expr("status")
    rd = pl.col("resolved_date")
    done = rd.is_not_null() & (rd <= as_of)
    status = (
        pl.when(done).then(pl.lit("resolved"))
        .when(rd.is_not_null() & (text_code == "resolved")).then(pl.lit("open"))
        .otherwise(text_code)
    )
    days = (rd - pl.col("received_date")).dt.total_days()
    base = base.with_columns(
        status.alias("status_code"),
        pl.when(done & (days >= 0)).then(days).otherwise(None).cast(pl.Int64)
        .alias("days_to_resolve"),
        (pl.lit(as_of) - pl.col("received_date")).dt.total_days().cast(pl.Int64)
        .alias("age_days"),
        escalated_expr(cfg),
        pl.col("received_date").dt.truncate("1mo").alias("month"),
        (pl.col("received_date") - pl.col("first_seen")).dt.total_days().clip(lower_bound=0)
        .cast(pl.Int64).alias("tenure_days_at_complaint"),
    )
    resolved = pl.col("status_code") == "resolved"
    base = base.with_columns(
        resolved.alias("resolved"),
        pl.when(resolved & pl.col("days_to_resolve").is_not_null())
        .then(pl.col("days_to_resolve") > cfg.sla_days)
        .when(resolved).then(None)
        .otherwise(pl.col("age_days") > cfg.sla_days)
        .alias("sla_breached"),
        pl.when(resolved).then(None).otherwise(pl.col("age_days")).alias("age_days"),  # open only
        (pl.col("tenure_days_at_complaint") < cfg.new_customer_days).alias("is_new_customer"),
    )
    base = base.with_columns(
        pl.when(~pl.col("resolved")).then(age_bucket_expr(cfg)).alias("age_bucket"),
        pl.when(pl.col("is_new_customer").is_null()).then(pl.lit(UNKNOWN))
        .when(pl.col("is_new_customer")).then(pl.lit("new")).otherwise(pl.lit("old"))
        .alias("customer_kind"),
        pl.when(pl.col("reasonable").is_null()).then(pl.lit(UNKNOWN))
        .when(pl.col("reasonable")).then(pl.lit("yes")).otherwise(pl.lit("no"))
        .alias("reasonable_code"),
    )
    has_id = pl.col("customer_id").is_not_null()
    per_customer = pl.len().over("customer_id")
    seq = pl.int_range(1, pl.len() + 1).over(
        "customer_id", order_by=["received_date", "complaint_id"]
    )
    base = base.with_columns(
        pl.when(has_id).then(per_customer).cast(pl.Int64).alias("customer_complaints"),
        pl.when(has_id).then(seq).cast(pl.Int64).alias("complaint_seq"),
    ).with_columns(
        (pl.col("customer_complaints") >= cfg.repeat_complainer_min).fill_null(False)
        .alias("repeat_complainer"),
    )
    return base.drop("first_seen").sort("received_date", "complaint_id").collect()


def filter_facts(
    facts: pl.DataFrame,
    start: dt.date | None = None,
    end: dt.date | None = None,
    categories: list[str] | None = None,
    channels: list[str] | None = None,
    reps: list[str] | None = None,
    statuses: list[str] | None = None,
) -> pl.DataFrame:
    """The page's filters: received between start and end, and the chosen values (None = all).

    Values are matched as shown in the charts: a missing value is "unknown".
    """
    conds: list[pl.Expr] = []
    if start is not None:
        conds.append(pl.col("received_date") >= start)
    if end is not None:
        conds.append(pl.col("received_date") <= end)
    for col, chosen in (("category", categories), ("channel", channels), ("sales_rep", reps),
                        ("status_code", statuses)):
        if chosen:
            conds.append(pl.col(col).fill_null(UNKNOWN).is_in(list(chosen)))
    return facts.filter(*conds) if conds else facts


UNKNOWN = "unknown"


def backlog_buckets(cfg: CrmConfig) -> list[tuple[str, int, int | None]]:
    """Age buckets of the open backlog: (label, lowest day, highest day or None)."""
    b1, b2, b3 = sorted({cfg.backlog_age_1_days, cfg.backlog_age_2_days, cfg.backlog_age_3_days})
    return [
        (f"0-{b1}", 0, b1),
        (f"{b1 + 1}-{b2}", b1 + 1, b2),
        (f"{b2 + 1}-{b3}", b2 + 1, b3),
        (f">{b3}", b3 + 1, None),
    ]


def age_bucket_expr(cfg: CrmConfig) -> pl.Expr:
    """The backlog age bucket of `age_days` (see `backlog_buckets`)."""
    buckets = backlog_buckets(cfg)
    age = pl.col("age_days")
    expr: pl.Expr = pl.lit(buckets[-1][0])
    for label, _lo, hi in reversed(buckets[:-1]):
        expr = pl.when(age <= hi).then(pl.lit(label)).otherwise(expr)
    return expr
