"""Complaint statistics: where complaints come from, how fast they are handled, what they cost.

Everything works on the canonical `complaints` table alone (a service team's export); what
also needs orders (rate per 100 orders, tenure from the first purchase, churn from buying
behaviour) takes them as optional inputs and says so when they are missing.

Definitions (all relative to `as_of`; complaints received after it do not exist yet):
- status_code: "resolved" | "in_progress" | "open". A complaint with a resolved_date on or
  before as_of is resolved. A resolved_date after as_of means it was not resolved yet on
  as_of ("in_progress" if the status text says so, else "open"). Without a resolved_date the
  status text decides (rule table + catch-all in `status_code_expr`): a status word saying
  resolved/closed makes it resolved with *days unknown*; unknown words count as open (a
  complaint is resolved only on evidence).
- days_to_resolve: resolved_date - received_date in days (null when unknown or negative,
  i.e. a data error).
- sla_breached: resolved with known days: days_to_resolve > sla_days (exactly sla_days is
  within the SLA). Still open: age_days > sla_days (an open complaint older than the SLA is
  already a breach). Resolved with days unknown: null, left out of the SLA rate.
- escalated: the channel names an authority or legal action (`cfg.escalation_channels`).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

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


# ---- aggregates -----------------------------------------------------------------------------

UNKNOWN = "unknown"


def volume_by(facts: pl.DataFrame, column: str) -> pl.DataFrame:
    """Complaints per value of `column` (missing = "unknown"), largest first, with share.

    Columns: <column>, complaints, share, open, escalated.
    """
    total = max(facts.height, 1)
    return (
        facts.lazy()
        .group_by(pl.col(column).cast(pl.String).fill_null(UNKNOWN))
        .agg(
            pl.len().cast(pl.Int64).alias("complaints"),
            (~pl.col("resolved")).sum().cast(pl.Int64).alias("open"),
            pl.col("escalated").sum().cast(pl.Int64).alias("escalated"),
        )
        .with_columns((pl.col("complaints") / total).alias("share"))
        .select(column, "complaints", "share", "open", "escalated")
        .sort(["complaints", column], descending=[True, False])
        .collect()
    )


def volume_by_month(facts: pl.DataFrame) -> pl.DataFrame:
    """Complaints per calendar month of receipt, months without complaints included as 0.

    Columns: month (first day, Date), complaints, escalated, sla_breached.
    """
    schema = {"month": pl.Date, "complaints": pl.Int64, "escalated": pl.Int64,
              "sla_breached": pl.Int64}
    if facts.height == 0:
        return pl.DataFrame(schema=schema)
    counts = facts.group_by("month").agg(
        pl.len().cast(pl.Int64).alias("complaints"),
        pl.col("escalated").sum().cast(pl.Int64).alias("escalated"),
        pl.col("sla_breached").sum().cast(pl.Int64).alias("sla_breached"),
    )
    months = pl.DataFrame({
        "month": pl.date_range(facts["month"].min(), facts["month"].max(), "1mo", eager=True)
    })
    return (
        months.join(counts, on="month", how="left")
        .with_columns(pl.col(c).fill_null(0) for c in ("complaints", "escalated", "sla_breached"))
        .cast(schema)  # type: ignore[arg-type]
        .sort("month")
    )


def order_counts(
    orders: pl.DataFrame,
    by: str,
    as_of: dt.date,
    start: dt.date | None = None,
    customers: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Orders per product or per sales rep (the customer's), received between start and as_of.

    An order = a distinct order_id, or the purchase occasion (customer, day) where there is
    none; refund rows (negative amount) are not orders. Columns: <by>, orders. Empty when
    the data cannot tell (no orders; reps need customers.sales_rep).
    """
    from crm_logic import lines
    from crm_logic.store import CrmData, empty_frame

    if by == "sales_rep" and (customers is None or customers.height == 0
                              or "sales_rep" not in customers.columns):
        return pl.DataFrame(schema={by: pl.String, "orders": pl.Int64})
    data = CrmData(customers=customers if customers is not None else empty_frame("customers"),
                   orders=orders, complaints=empty_frame("complaints"),
                   interactions=empty_frame("interactions"))
    return lines.order_counts(data, by, as_of, start)  # one SQL text, here on the frames


def rates_per_100_orders(
    facts: pl.DataFrame, counts: pl.DataFrame, by: str, as_of: dt.date,
    start: dt.date | None = None,
) -> pl.DataFrame:
    """Complaints per 100 orders, from `order_counts` over the same period.

    Columns: <by>, complaints, orders, rate_per_100 (null without orders), largest first.
    """
    schema = {by: pl.String, "complaints": pl.Int64, "orders": pl.Int64,
              "rate_per_100": pl.Float64}
    if counts.is_empty():
        return pl.DataFrame(schema=schema)
    f = facts.lazy().filter(pl.col("received_date") <= as_of)
    if start is not None:
        f = f.filter(pl.col("received_date") >= start)
    comp_counts = (
        f.filter(pl.col(by).is_not_null())
        .group_by(pl.col(by).cast(pl.String)).agg(pl.len().cast(pl.Int64).alias("complaints"))
    )
    return (
        counts.lazy().join(comp_counts, on=by, how="full", coalesce=True)
        .with_columns(pl.col("complaints").fill_null(0), pl.col("orders").fill_null(0))
        .with_columns(
            pl.when(pl.col("orders") > 0)
            .then(pl.col("complaints") / pl.col("orders") * 100).otherwise(None)
            .alias("rate_per_100")
        )
        .select(by, "complaints", "orders", "rate_per_100")
        .sort(["rate_per_100", "complaints", by], descending=[True, True, False],
              nulls_last=True)
        .collect()
        .cast(schema)  # type: ignore[arg-type]
    )


def complaint_rate_per_100_orders(
    facts: pl.DataFrame,
    orders: pl.DataFrame,
    by: str,
    as_of: dt.date,
    start: dt.date | None = None,
    customers: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Complaints per 100 orders by "product" or "sales_rep" over the same period.

    Orders as in `order_counts` (distinct orders holding that product / placed by a customer
    of that rep, refunds excluded, between start and as_of). Columns: <by>, complaints,
    orders, rate_per_100 (null without orders), largest rate first. Needs orders (and
    customers for reps): else an empty frame.
    """
    counts = order_counts(orders, by, as_of, start=start, customers=customers)
    return rates_per_100_orders(facts, counts, by, as_of, start=start)


def _quantile(values: pl.Series, q: float) -> float | None:
    v = values.drop_nulls()
    if v.len() == 0:
        return None
    out = v.cast(pl.Float64).quantile(q, interpolation="linear")
    return None if out is None else float(out)


def resolution_summary(facts: pl.DataFrame) -> dict[str, Any]:
    """Headline figures (JSON-safe): counts, resolution and SLA rates, p50/p90 days.

    resolution_rate = resolved / total; sla_breach_rate = breached / complaints whose SLA
    outcome is known (open ones included, resolved with unknown days left out); quantiles
    interpolate linearly between ranks (p50 = the usual median).
    """
    total = facts.height
    resolved = int(facts["resolved"].sum()) if total else 0
    sla_known = int(facts["sla_breached"].is_not_null().sum()) if total else 0
    breached = int(facts["sla_breached"].sum() or 0) if total else 0
    escalated = int(facts["escalated"].sum()) if total else 0
    sat = facts["satisfaction"].drop_nulls() if total else pl.Series([], dtype=pl.Float64)
    reasonable = facts["reasonable"].drop_nulls() if total else pl.Series([], dtype=pl.Boolean)
    return {
        "total": total,
        "open": total - resolved,
        "resolved": resolved,
        "resolution_rate": resolved / total if total else None,
        "resolved_days_unknown": int(
            (facts["resolved"] & facts["days_to_resolve"].is_null()).sum()
        ) if total else 0,
        "median_days_to_resolve": _quantile(facts["days_to_resolve"], 0.5) if total else None,
        "p90_days_to_resolve": _quantile(facts["days_to_resolve"], 0.9) if total else None,
        "sla_breached": breached,
        "sla_known": sla_known,
        "sla_breach_rate": breached / sla_known if sla_known else None,
        "escalated": escalated,
        "escalation_rate": escalated / total if total else None,
        "reasonable_share": float(reasonable.mean()) if reasonable.len() else None,  # type: ignore[arg-type]
        "satisfaction_mean": float(sat.mean()) if sat.len() else None,  # type: ignore[arg-type]
        "satisfaction_rated": int(sat.len()),
    }


def complaint_report(complaints: pl.DataFrame, cfg: CrmConfig, as_of: dt.date) -> dict:
    """The contract's `report.complaints`: complaints received up to and including as_of.

    total: complaints received; resolved: resolved on or before as_of (a resolved_date, or a
    resolved/closed status word without date); open = total - resolved. median_days_to_resolve
    over resolved complaints with known days (null if none). sla_breach_rate = breached /
    complaints with a known SLA outcome, where a resolved complaint breaches when it took
    more than sla_days and an open one breaches once it is older than sla_days (yes: open
    complaints past the SLA count); resolved with unknown days are left out. by_category:
    {category: count}, missing category as "unknown", largest first.
    """
    facts = complaint_facts(complaints, cfg, as_of)
    s = resolution_summary(facts)
    cats = volume_by(facts, "category")
    return {
        "total": s["total"],
        "open": s["open"],
        "resolved": s["resolved"],
        "median_days_to_resolve": json_safe(s["median_days_to_resolve"]),
        "sla_breach_rate": json_safe(s["sla_breach_rate"]),
        "by_category": dict(zip(cats["category"].to_list(), cats["complaints"].to_list(),
                                strict=True)),
    }


def days_to_resolve_quantiles(facts: pl.DataFrame, by: str) -> pl.DataFrame:
    """Per value of `by`: resolved (with known days), p50 and p90 days to resolve, SLA rate.

    Columns: <by>, complaints, resolved_known, p50_days, p90_days, sla_breach_rate.
    """
    return (
        facts.lazy()
        .group_by(pl.col(by).cast(pl.String).fill_null(UNKNOWN))
        .agg(
            pl.len().cast(pl.Int64).alias("complaints"),
            pl.col("days_to_resolve").count().cast(pl.Int64).alias("resolved_known"),
            pl.col("days_to_resolve").cast(pl.Float64).quantile(0.5, "linear").alias("p50_days"),
            pl.col("days_to_resolve").cast(pl.Float64).quantile(0.9, "linear").alias("p90_days"),
            (pl.col("sla_breached").sum() / pl.col("sla_breached").count()).alias(
                "sla_breach_rate"
            ),
        )
        .sort(["complaints", by], descending=[True, False])
        .collect()
    )


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


def backlog_by_age(facts: pl.DataFrame, cfg: CrmConfig) -> pl.DataFrame:
    """Open complaints (not resolved on as_of) by age in days; every bucket, youngest first.

    Columns: age_bucket (e.g. "0-7", ">90"), complaints, escalated.
    """
    counts = (
        facts.filter(~pl.col("resolved"))
        .group_by("age_bucket")
        .agg(pl.len().cast(pl.Int64).alias("complaints"),
             pl.col("escalated").sum().cast(pl.Int64).alias("escalated"))
    )
    frame = pl.DataFrame({"age_bucket": [b[0] for b in backlog_buckets(cfg)]})
    return frame.join(counts, on="age_bucket", how="left", maintain_order="left").with_columns(
        pl.col("complaints").fill_null(0), pl.col("escalated").fill_null(0)
    )


def reasonable_mix(facts: pl.DataFrame) -> pl.DataFrame:
    """Reasonable versus not: reasonable_code ("yes" | "no" | "unknown"), complaints, share."""
    return volume_by(facts, "reasonable_code").select("reasonable_code", "complaints", "share")


def customer_kind_mix(facts: pl.DataFrame) -> pl.DataFrame:
    """New versus old customers at the complaint (tenure below cfg.new_customer_days = new).

    Columns: customer_kind ("new" | "old" | "unknown"), complaints, share, satisfaction_mean,
    sla_breach_rate. "unknown" = no tenure (no orders and no signup date for the customer).
    """
    total = max(facts.height, 1)
    return (
        facts.lazy().group_by("customer_kind")
        .agg(
            pl.len().cast(pl.Int64).alias("complaints"),
            pl.col("satisfaction").mean().alias("satisfaction_mean"),
            (pl.col("sla_breached").sum() / pl.col("sla_breached").count()).alias(
                "sla_breach_rate"
            ),
        )
        .with_columns((pl.col("complaints") / total).alias("share"))
        .select("customer_kind", "complaints", "share", "satisfaction_mean", "sla_breach_rate")
        .sort(["complaints", "customer_kind"], descending=[True, False])
        .collect()
    )


def drill_rows(facts: pl.DataFrame, column: str, values: list[Any]) -> pl.DataFrame:
    """The complaints behind chart bars: rows whose `column` is one of `values`.

    Values are as the charts carry them: text codes with "unknown" for missing, ISO dates
    for `month`.
    """
    if not values:
        return facts
    if facts.schema[column] == pl.Date:
        days = [v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)[:10])
                for v in values]
        return facts.filter(pl.col(column).is_in(days))
    return facts.filter(pl.col(column).cast(pl.String).fill_null(UNKNOWN).is_in(
        [str(v) for v in values]
    ))


def repeat_complainers(facts: pl.DataFrame, cfg: CrmConfig) -> pl.DataFrame:
    """Customers with at least cfg.repeat_complainer_min complaints, most complaints first.

    Columns: customer_id, complaints, open, sla_breached, escalated, first_received,
    last_received, categories (distinct, "; "-joined), satisfaction_mean.
    """
    return (
        facts.lazy().filter(pl.col("customer_id").is_not_null())
        .group_by("customer_id")
        .agg(
            pl.len().cast(pl.Int64).alias("complaints"),
            (~pl.col("resolved")).sum().cast(pl.Int64).alias("open"),
            pl.col("sla_breached").sum().cast(pl.Int64).alias("sla_breached"),
            pl.col("escalated").sum().cast(pl.Int64).alias("escalated"),
            pl.col("received_date").min().alias("first_received"),
            pl.col("received_date").max().alias("last_received"),
            pl.col("category").drop_nulls().unique().sort().str.join("; ").alias("categories"),
            pl.col("satisfaction").mean().alias("satisfaction_mean"),
        )
        .filter(pl.col("complaints") >= cfg.repeat_complainer_min)
        .sort(["complaints", "last_received", "customer_id"], descending=[True, True, False])
        .collect()
    )


def satisfaction_distribution(facts: pl.DataFrame) -> pl.DataFrame:
    """Satisfaction after resolution: score (as recorded), complaints; resolved ones only."""
    return (
        facts.filter(pl.col("resolved"), pl.col("satisfaction").is_not_null())
        .group_by("satisfaction").agg(pl.len().cast(pl.Int64).alias("complaints"))
        .sort("satisfaction")
    )


def satisfaction_by(facts: pl.DataFrame, by: str) -> pl.DataFrame:
    """Mean satisfaction after resolution per value of `by` (e.g. "sla_breached", "category").

    Columns: <by> (as text, missing = "unknown"), rated, satisfaction_mean.
    """
    return (
        facts.lazy().filter(pl.col("resolved"), pl.col("satisfaction").is_not_null())
        .group_by(pl.col(by).cast(pl.String).fill_null(UNKNOWN))
        .agg(pl.len().cast(pl.Int64).alias("rated"),
             pl.col("satisfaction").mean().alias("satisfaction_mean"))
        .sort(by)
        .collect()
    )


# ---- complaints and churn -------------------------------------------------------------------

CHURN_GROUPS: tuple[str, ...] = ("no_complaint", "resolved_in_sla", "resolved_late", "unresolved")
GROUP_DAYS_UNKNOWN = "resolved_days_unknown"


def _z(level: float) -> float:
    from scipy.stats import norm

    return float(norm.ppf(0.5 + level / 2))


def wilson_exprs(k: str, n: str, level: float) -> list[pl.Expr]:
    """Wilson score interval of the proportion k/n: ci_low, ci_high (null when n = 0)."""
    z = _z(level)
    kk, nn = pl.col(k).cast(pl.Float64), pl.col(n).cast(pl.Float64)
    p = kk / nn
    centre = (p + z * z / (2 * nn)) / (1 + z * z / nn)
    half = z / (1 + z * z / nn) * (p * (1 - p) / nn + z * z / (4 * nn * nn)).sqrt()
    ok = pl.col(n) > 0
    return [
        pl.when(ok).then((centre - half).clip(lower_bound=0.0)).alias("ci_low"),
        pl.when(ok).then((centre + half).clip(upper_bound=1.0)).alias("ci_high"),
    ]


def complaints_vs_churn(facts: pl.DataFrame, churned: pl.DataFrame, cfg: CrmConfig) -> pl.DataFrame:
    """Churn rate of customers by how their complaints were handled, with Wilson intervals.

    `churned`: one row per customer (customer_id, churned: bool), the population. Each
    customer falls in the worst group of their complaints: unresolved (any complaint still
    open on as_of) > resolved_late (any past the SLA) > resolved_in_sla; no_complaint when
    none. Customers whose complaints were all resolved with unknown days form the extra group
    "resolved_days_unknown" (listed only when there are any). Columns: group, customers,
    churned, churn_rate, ci_low, ci_high (ci at cfg.ci_level); when `churned` also has a
    numeric `value` column (e.g. `yearly_revenue`), lost_value = the sum of value over the
    group's lost customers: what those lost relationships used to bring.
    """
    has_value = "value" in churned.columns
    per_customer = (
        facts.lazy().filter(pl.col("customer_id").is_not_null())
        .group_by("customer_id")
        .agg(
            (~pl.col("resolved")).any().alias("_open"),
            pl.col("sla_breached").fill_null(False).any().alias("_late"),
            (pl.col("resolved") & pl.col("sla_breached").is_null()).all().alias("_unknown"),
        )
        .with_columns(
            pl.when(pl.col("_open")).then(pl.lit("unresolved"))
            .when(pl.col("_late")).then(pl.lit("resolved_late"))
            .when(pl.col("_unknown")).then(pl.lit(GROUP_DAYS_UNKNOWN))
            .otherwise(pl.lit("resolved_in_sla")).alias("group")
        )
        .select("customer_id", "group")
    )
    value = pl.col("value").cast(pl.Float64) if has_value else pl.lit(0.0)
    pop = churned.lazy().select(
        "customer_id", pl.col("churned").cast(pl.Boolean), value.alias("value")
    ).unique("customer_id", keep="first")
    counts = (
        pop.join(per_customer, on="customer_id", how="left")
        .with_columns(pl.col("group").fill_null("no_complaint"))
        .group_by("group")
        .agg(pl.len().cast(pl.Int64).alias("customers"),
             pl.col("churned").fill_null(False).sum().cast(pl.Int64).alias("churned"),
             pl.col("value").filter(pl.col("churned").fill_null(False)).sum()
             .alias("lost_value"))
        .collect()
    )
    groups = list(CHURN_GROUPS)
    if GROUP_DAYS_UNKNOWN in counts["group"].to_list():
        groups.append(GROUP_DAYS_UNKNOWN)
    out = (
        pl.DataFrame({"group": groups})
        .join(counts, on="group", how="left", maintain_order="left")
        .with_columns(pl.col("customers").fill_null(0), pl.col("churned").fill_null(0),
                      pl.col("lost_value").fill_null(0.0))
        .with_columns(
            pl.when(pl.col("customers") > 0)
            .then(pl.col("churned") / pl.col("customers")).alias("churn_rate"),
            *wilson_exprs("churned", "customers", cfg.ci_level),
        )
    )
    return out if has_value else out.drop("lost_value")


def yearly_revenue(occ: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """customer_id, yearly_revenue: net amount of the 365 days up to the customer's last
    purchase (to as_of), i.e. what the relationship brought per year before it ended. A
    later refund-only day does not move the end. `occ` is the purchase-occasion table
    (`crm_logic.occasions`; order lines are turned into it first)."""
    from crm_logic import occasions

    if "day" not in occ.columns:  # order lines
        occ = occasions.run_on(occ, as_of)
    days = occ.lazy().filter(pl.col("day") <= as_of)
    last = days.filter(pl.col("is_purchase")).group_by("customer_id").agg(
        pl.col("day").max().alias("_last"))
    return (
        days.join(last, on="customer_id")
        .filter(pl.col("day") <= pl.col("_last"),
                pl.col("day") > pl.col("_last") - pl.duration(days=365))
        .group_by("customer_id").agg(pl.col("revenue").sum().alias("yearly_revenue"))
        .sort("customer_id").collect()
    )


def churned_frame(data: Any, cfg: CrmConfig, as_of: dt.date) -> tuple[pl.DataFrame, str]:
    """(customer_id, churned) of every customer with a purchase up to `as_of`, and its
    source "lifecycle": the lifecycle's one lost rule (`crm_logic.lost`), the same that
    the churn lists and churn rate use. `data` is a `store.CrmData`; without purchases
    nobody can be called lost (empty)."""
    from crm_logic import occasions
    from crm_logic.lost import lost_at

    lost = lost_at(occasions.table(data, as_of), data.customers, cfg, as_of)
    return lost.select("customer_id", "churned"), "lifecycle"


# ---- export ---------------------------------------------------------------------------------

EXPORT_DERIVED: tuple[str, ...] = ("status_code", "days_to_resolve", "sla_breached", "age_days")


def complaints_export_frame(
    complaints: pl.DataFrame, cfg: CrmConfig, as_of: dt.date
) -> pl.DataFrame:
    """`export complaints`: the contract's complaint columns + status_code, days_to_resolve,
    sla_breached, age_days; complaints received up to as_of, oldest first."""
    from crm_logic.store import SCHEMA

    facts = complaint_facts(complaints, cfg, as_of)
    cols = [c for c in SCHEMA["complaints"] if c in facts.columns]
    return facts.select(*cols, *EXPORT_DERIVED)


def json_safe(value: Any) -> Any:
    """NaN/inf to None, dates to ISO text: for JSON reports."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
