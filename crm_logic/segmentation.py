"""Customer value: per-customer summary, lifetime value, the value pyramid and RFM segments.

Definitions (everything as of an explicit `as_of`, orders after it are never read):
- A purchase occasion is a customer's calendar day with at least one order line that is not
  a refund (amount >= 0; a free item is a purchase, as in the CDNOW data). Refund-only days
  are not occasions: they lower revenue and value, they do not count as purchases.
- `orders`: distinct order_id; lines without an order_id count one order per customer-day.
- `revenue`: net of refunds (sum of all amounts, negative lines included).
- `historic_value`: value to date = margin where the data gives it, else revenue x
  `cfg.margin_share`, line by line (so a customer with partial margin data mixes both).
  With the default margin_share = 1 and no margin column this is net revenue.
- `monetary_value`: mean net value of the repeat occasions (first occasion excluded), the
  spend model's input; null when the customer has no repeat occasion.
- `predicted_value`: BG/NBD expected purchases over `cfg.horizon_days`, discounted monthly at
  `cfg.discount_rate_yearly`, x Gamma-Gamma expected spend per occasion, x the customer's
  value share (historic_value / revenue, i.e. its margin rate; `cfg.margin_share` when
  revenue <= 0). See `crm_logic.models` for which model feeds what: BG/NBD -> p_alive,
  expected_purchases, predicted_value; MBG/NBD -> p_alive_mbg (churn risk signal);
  Gamma-Gamma -> expected_spend.
- `cost_to_serve`: cfg.cost_per_order x (orders to date + discounted expected purchases)
  + cfg.cost_per_complaint x complaints to date. Zero by default.
- `lifetime_value` = historic_value + predicted_value - cost_to_serve.
- `value_tier`: rank by lifetime value (largest first, ties by customer_id), cut at the
  cumulative shares tier_platinum_share, +tier_gold_share, +tier_iron_share (counts rounded
  half up); the rest is lead, and so is every customer with lifetime value <= 0.
- RFM: recency (days since last order, fewer is better), frequency (purchase occasions),
  monetary (net revenue) scored 1..cfg.rfm_bins by rank (ties share the lower score), then
  named by the first matching rule of `RFM_RULES` (catch-all: needs_attention).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from crm_logic import models
from crm_logic.config import CrmConfig
from crm_logic.i18n import t
from crm_logic.occasions import in_customer_order, is_purchase_day, is_purchase_line
from crm_logic.store import CrmData
from crm_logic.value.intervals import value_intervals

Note = tuple[str, dict[str, object]]  # (i18n key, format arguments): a warning in any language

TIERS: tuple[str, ...] = ("platinum", "gold", "iron", "lead")
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

SUMMARY_COLUMNS: tuple[str, ...] = (
    "customer_id", "first_order_date", "last_order_date", "orders", "occasions", "frequency",
    "recency_days", "T_days", "tenure_days", "days_since_last", "revenue", "margin_total",
    "historic_value", "monetary_value",
)


@dataclass(frozen=True)
class ModelFits:
    """The value models fitted on one as-of date, and what went wrong (plain language)."""

    bgnbd: models.BgNbdFit | None
    mbgnbd: models.BgNbdFit | None
    gamma_gamma: models.GammaGammaFit | None
    warnings: list[str] = field(default_factory=list)  # English, for the report / logs
    notes: list[Note] = field(default_factory=list)  # the same, as i18n keys for the pages
    # the total predicted value over the horizon with its interval (value_table fills it):
    # {total, low, high, sd_process, sd_param, level}; see crm_logic.value.intervals
    forecast: dict[str, float] | None = None

    def churn_model_dict(self) -> dict[str, object]:
        """The report's `churn_model`: BG/NBD parameters in days (None where not fitted)."""
        if self.bgnbd is None:
            return {"model": "bgnbd", "time_unit": "day", "r": None, "alpha": None,
                    "a": None, "b": None, "log_likelihood": None}
        return self.bgnbd.as_dict()

    def spend_model_dict(self) -> dict[str, object]:
        """The report's `spend_model`: Gamma-Gamma parameters (None where not fitted)."""
        if self.gamma_gamma is None:
            return {"model": "gamma_gamma", "p": None, "q": None, "gamma": None}
        return self.gamma_gamma.as_dict()

    def mbg_model_dict(self) -> dict[str, object] | None:
        """MBG/NBD parameters (feeds the churn risk signal p_alive_mbg)."""
        return None if self.mbgnbd is None else self.mbgnbd.as_dict()


_DAY_BITS = 16  # customer-day key: customer hash (48 bits) x 2^16 + day offset (~179 years)
_CHECK_BITS = 31  # a second, independent customer hash (31 bits) verifies the first


def _empty_summary() -> pl.DataFrame:
    """A summary without customers, with the summary's column types."""
    types = {"customer_id": pl.String, "first_order_date": pl.Date, "last_order_date": pl.Date,
             "revenue": pl.Float64, "margin_total": pl.Float64, "historic_value": pl.Float64,
             "monetary_value": pl.Float64}
    return pl.DataFrame(schema={c: types.get(c, pl.Int64) for c in SUMMARY_COLUMNS})


def _customer_check(ids: pl.Expr | pl.Series) -> pl.Expr | pl.Series:
    return (ids.hash(7919) % 2**_CHECK_BITS).cast(pl.Int64)


def _summary_plan(
    frame: pl.DataFrame, as_of: dt.date, margin_share: float, seed: int | None,
) -> pl.DataFrame | None:
    """`customer_summary` with customers keyed by a 48-bit hash of customer_id (seeded), or
    by their exact dense rank when `seed` is None (slow: a sort of every line's string).

    One lazy plan, collected once: lines -> customer-days by a hash group-by on a single
    integer key (customer, day); customer-days -> customers by a second group-by on the
    customer part of that key. Customer ids come back by row position (200k gathers, not
    2M strings through the group-bys). Returns None when two customers share a hash (each
    customer's lines must all carry the same second hash) or when the dates span more days
    than the key holds: the caller retries with another seed or exact codes."""
    valid = ((pl.col("order_date") <= as_of) & pl.col("customer_id").is_not_null()
             & pl.col("order_date").is_not_null())
    day = pl.col("order_date").cast(pl.Int32).cast(pl.Int64)
    if seed is None:
        d0, span = -(2**31), 2**32  # any Date (day numbers are 32-bit)
        cust = pl.col("customer_id").rank("dense").cast(pl.UInt64)
    else:
        first = frame.lazy().filter(valid).select(pl.col("order_date").min()).collect().item()
        if first is not None and (as_of - first).days >= 2**_DAY_BITS:
            return None
        d0 = 0 if first is None else (first - dt.date(1970, 1, 1)).days
        span = 2**_DAY_BITS
        cust = pl.col("customer_id").hash(seed) // span
    # optional work only where the data need it (most data sets: no margins, every id set)
    margins = frame.get_column("margin").null_count() < frame.height
    missing_ids = frame.get_column("order_id").null_count() > 0
    amount = pl.col("amount").fill_null(0.0).cast(pl.Float64)
    day_aggs = [
        pl.col("_row").min(),
        pl.len().alias("_lines"),
        _customer_check(pl.col("customer_id")).sum().alias("_check"),
        amount.sum().alias("_amount"),
        is_purchase_day().alias("_buy"),
        pl.col("_new_order").sum().alias("_orders"),
    ]
    buy, d, amt = pl.col("_buy"), pl.col("_day"), pl.col("_amount")
    never = 2**40  # beyond any day number: no purchase day (null-free columns aggregate fastest)
    buy_days = [pl.when(buy).then(d).otherwise(never).alias("_buy_first"),
                pl.when(buy).then(d).otherwise(-never).alias("_buy_last"),
                pl.when(buy).then(amt).otherwise(0.0).alias("_buy_amt")]
    cust_aggs = [
        pl.col("_row").min(), pl.col("_lines").sum(), pl.col("_check").sum(),
        amt.sum().alias("revenue"), pl.col("_orders").sum().cast(pl.Int64).alias("orders"),
        buy.sum().cast(pl.Int64).alias("occasions"),
        d.min().alias("_first_day"), d.max().alias("_last_day"),
        pl.col("_buy_first").min(), pl.col("_buy_last").max(),
        pl.col("_buy_amt").sum().alias("_buy_amount"),
        amt.min_by("_buy_first").alias("_first_amount"),
    ]
    if missing_ids:  # lines without an order id: one order per day
        day_aggs.append(pl.col("order_id").is_null().any().alias("_no_id"))
        cust_aggs[4] = (pl.col("_orders").sum() + pl.col("_no_id").sum()).cast(pl.Int64) \
            .alias("orders")
    if margins:
        margin = pl.col("margin").cast(pl.Float64)
        day_aggs += [margin.sum().alias("_margin"), margin.count().alias("_margin_n"),
                     pl.coalesce(margin, amount * margin_share).sum().alias("_value")]
        cust_aggs += [pl.col("_margin").sum(), pl.col("_margin_n").sum(),
                      pl.col("_value").sum()]
    cs = (frame.lazy().with_row_index("_row").filter(valid)
          .with_columns(_new_order().alias("_new_order"))
          .group_by((cust * span + (day - d0).cast(pl.UInt64)).alias("_key"))
          .agg(day_aggs)
          .with_columns((pl.col("_key") // span).alias("_customer"),
                        ((pl.col("_key") % span).cast(pl.Int64) + d0).alias("_day"))
          .with_columns(buy_days)
          .group_by("_customer").agg(cust_aggs).collect())
    if cs.height == 0:
        return _empty_summary()
    ids = frame.get_column("customer_id").cast(pl.String).gather(cs.get_column("_row"))
    if not (_customer_check(ids) * cs.get_column("_lines") == cs.get_column("_check")).all():
        return None
    return _finish(cs.with_columns(customer_id=ids), as_of, margin_share, margins) \
        .sort("customer_id")


def _finish(cs: pl.DataFrame, as_of: dt.date, margin_share: float,
            margins: bool) -> pl.DataFrame:
    """SUMMARY_COLUMNS from per-customer totals (customer_id, orders, occasions, revenue,
    _first_day, _last_day, _buy_first, _buy_last, _buy_amount, _first_amount; with margins
    also _margin, _margin_n, _value): the one place both plans define the output."""
    as_of_no = (as_of - dt.date(1970, 1, 1)).days
    occasions = pl.col("occasions")
    bought = occasions > 0
    first_buy = pl.when(bought).then(pl.col("_buy_first"))
    last_buy = pl.when(bought).then(pl.col("_buy_last"))
    first_occ = pl.coalesce(first_buy, "_first_day")  # refund-only: the first line's day
    last_occ = pl.coalesce(last_buy, "_last_day")
    revenue = pl.col("revenue")
    if margins:
        margin_total = pl.when(pl.col("_margin_n") > 0).then(pl.col("_margin"))
        value = pl.col("_value")
    else:
        margin_total, value = pl.lit(None, pl.Float64), revenue * margin_share
    return cs.select(
        "customer_id",
        first_occ.cast(pl.Int32).cast(pl.Date).alias("first_order_date"),
        last_occ.cast(pl.Int32).cast(pl.Date).alias("last_order_date"),
        pl.col("orders").cast(pl.Int64), occasions.cast(pl.Int64),
        pl.when(bought).then(occasions - 1).cast(pl.Int64).alias("frequency"),
        (last_buy - first_buy).cast(pl.Int64).alias("recency_days"),
        (as_of_no - first_buy).cast(pl.Int64).alias("T_days"),
        (as_of_no - pl.col("_first_day")).cast(pl.Int64).alias("tenure_days"),
        (as_of_no - last_occ).cast(pl.Int64).alias("days_since_last"),
        revenue.cast(pl.Float64),
        margin_total.cast(pl.Float64).alias("margin_total"),
        value.cast(pl.Float64).alias("historic_value"),
        pl.when(occasions > 1)
        .then((pl.col("_buy_amount") - pl.col("_first_amount")) / (occasions - 1))
        .cast(pl.Float64).alias("monetary_value"),
    )


def _order_pair() -> pl.Expr:
    """A 64-bit hash of (customer_id, order_id): a collision (~1e-7 for 2M lines) would
    undercount one customer's orders by one."""
    return pl.col("customer_id").hash(11) ^ pl.col("order_id").cast(pl.String).hash(13)


def _new_order_of(pair: pl.Expr) -> pl.Expr:
    """First line of each distinct (customer, order_id) pair hash; false without an id."""
    return pair.is_not_null() & pair.is_first_distinct().fill_null(False)


def _new_order() -> pl.Expr:
    """First line of each distinct (customer, order_id) (over all lines, before grouping);
    false for lines without an order id."""
    return pl.col("order_id").is_not_null() & _order_pair().is_first_distinct()


def _summary_sorted(
    frame: pl.DataFrame, as_of: dt.date, margin_share: float,
) -> pl.DataFrame | None:
    """`customer_summary` for lines sorted by customer_id, then order_date (the order in which
    the store hands them out, `store.READ_ORDER`); None for lines in any other order.

    Customer-days and customers are runs of the sorted lines, so no hashing and no group-by:
    run starts by comparing each line with the one before, totals by NumPy `reduceat` over
    the runs, exact (ids compared as text). Output in customer_id order."""
    cid, date = pl.col("customer_id"), pl.col("order_date")
    lines = frame
    if (frame.get_column("customer_id").null_count() or frame.get_column("order_date")
            .null_count() or (frame.height and frame.get_column("order_date").max() > as_of)):
        lines = frame.filter((date <= as_of) & cid.is_not_null() & date.is_not_null())
    if lines.height == 0:
        return None
    if not in_customer_order(lines, "order_date"):
        return None
    margins = lines.get_column("margin").null_count() < lines.height
    amount = pl.col("amount").fill_null(0.0).cast(pl.Float64)
    new_c = (cid != cid.shift(1)).fill_null(True)
    has_id = pl.col("order_id").is_not_null()
    pair = _order_pair()
    cols = [
        new_c.alias("new_c"),
        (date != date.shift(1)).fill_null(True).alias("new_d"),
        date.cast(pl.Int32).alias("day"), amount.alias("amount"),
        is_purchase_line().alias("buy"),
        # an order's lines usually sit together: count runs of (customer, order_id), checked
        # below to be distinct orders (a hash pass over 10^5 run starts, not 10^6 lines)
        (has_id & (new_c | (pair != pair.shift(1)).fill_null(True))).alias("order"),
        pl.when(has_id).then(pair).alias("pair"),
        has_id.not_().alias("no_id"),
    ]
    if margins:
        margin = pl.col("margin").cast(pl.Float64)
        cols += [margin.fill_null(0.0).alias("margin"), margin.is_not_null().alias("margin_n"),
                 pl.coalesce(margin, amount * margin_share).alias("value")]
    got = lines.lazy().select(cols).collect()
    starts_pair = got.get_column("pair").filter(got.get_column("order"))
    if starts_pair.n_unique() < starts_pair.len():  # an order in two runs: count exactly
        got = got.with_columns(_new_order_of(pl.col("pair")).alias("order"))
    f = {c: v.to_numpy() for c, v in got.drop("pair").to_dict().items()}
    new_c = f["new_c"]
    day_rows = np.flatnonzero(new_c | f["new_d"])  # first line of each customer-day
    n_days = day_rows.size

    def per_day(v: np.ndarray, op: np.ufunc = np.add) -> np.ndarray:
        return op.reduceat(v, day_rows)

    day = f["day"][day_rows].astype(np.int64)
    day_amount = per_day(f["amount"])
    buy = per_day(f["buy"], np.logical_or)
    # orders: distinct ids, plus one per day holding lines without an id
    orders = per_day(f["order"].astype(np.int64)) + per_day(f["no_id"], np.logical_or)
    starts = np.flatnonzero(new_c[day_rows])  # first day of each customer
    ends = np.append(starts[1:], n_days) - 1

    def per_customer(v: np.ndarray, op: np.ufunc = np.add) -> np.ndarray:
        return op.reduceat(v, starts)

    never = 2**40
    first_buy_row = per_customer(np.where(buy, np.arange(n_days), n_days), np.minimum)
    totals = {
        "customer_id": lines.get_column("customer_id").cast(pl.String)
        .gather(pl.Series(day_rows[starts])),
        "orders": per_customer(orders),
        "occasions": per_customer(buy.astype(np.int64)),
        "revenue": per_customer(day_amount),
        "_first_day": day[starts], "_last_day": day[ends],
        "_buy_first": per_customer(np.where(buy, day, never), np.minimum),
        "_buy_last": per_customer(np.where(buy, day, -never), np.maximum),
        "_buy_amount": per_customer(np.where(buy, day_amount, 0.0)),
        "_first_amount": day_amount[np.minimum(first_buy_row, n_days - 1)],
    }
    if margins:
        totals |= {"_margin": per_customer(per_day(f["margin"])),
                   "_margin_n": per_customer(per_day(f["margin_n"].astype(np.int64))),
                   "_value": per_customer(per_day(f["value"]))}
    return _finish(pl.DataFrame(totals), as_of, margin_share, margins)


def customer_summary(
    orders: pl.DataFrame | pl.LazyFrame, as_of: dt.date, margin_share: float = 1.0,
) -> pl.DataFrame:
    """One row per customer with at least one order line up to and including `as_of`.

    Columns: SUMMARY_COLUMNS (see the module docstring). `frequency`, `recency_days`,
    `T_days` and `monetary_value` are null for a customer without a purchase occasion
    (refund lines only). `margin_share` values revenue where no margin is given.

    Rows sorted by customer_id.

    Lines sorted by customer_id, then order_date (as the store hands them out) take
    `_summary_sorted`: customer-days and customers are runs of the lines, totalled by NumPy
    `reduceat`, no hashing. Lines in any other order take one lean hash plan
    (`_summary_plan`), collected once: lines -> customer-days by one group-by on a single
    integer key (customer hash, day), customer-days -> customers by a second group-by;
    customer ids come back by row position (200k gathers, not 2M strings through the
    group-bys). A hash collision is detected with a second hash and the plan re-run with
    another seed, finally with exact dense codes, so results are exact. In both, distinct
    order ids are counted with a 64-bit hash of (customer, order_id): a collision (~1e-7 for
    2M lines) would undercount one customer's orders by one.
    """
    frame = orders.collect() if isinstance(orders, pl.LazyFrame) else orders
    out = _summary_sorted(frame, as_of, margin_share)
    if out is not None:
        return out
    for seed in (1, 2, None):
        out = _summary_plan(frame, as_of, margin_share, seed)
        if out is not None:
            return out
    raise AssertionError("the exact plan cannot fail")  # pragma: no cover


# --- value pyramid ----------------------------------------------------------------------------


def tier_cutoffs(n: int, cfg: CrmConfig) -> tuple[int, int, int]:
    """Cumulative customer counts ending platinum, gold and iron (rounded half up)."""
    shares = (cfg.tier_platinum_share, cfg.tier_gold_share, cfg.tier_iron_share)
    cum = np.cumsum([max(0.0, s) for s in shares])
    k = [min(n, int(math.floor(n * min(c, 1.0) + 0.5 + 1e-9))) for c in cum]
    return k[0], k[1], k[2]


def value_rank_expr() -> pl.Expr:
    """0-based rank by lifetime value, largest first; ties broken by customer_id."""
    order = pl.arg_sort_by(
        [pl.col("lifetime_value").fill_null(-math.inf), pl.col("customer_id")],
        descending=[True, False],
    )
    return order.arg_sort()


def value_tier_expr(cfg: CrmConfig, n: int) -> pl.Expr:
    """value_tier over a frame of `n` customers with lifetime_value and customer_id."""
    k1, k2, k3 = tier_cutoffs(n, cfg)
    rank = value_rank_expr()
    tier = (
        pl.when(pl.col("lifetime_value").fill_null(0.0) <= 0).then(pl.lit("lead"))
        .when(rank < k1).then(pl.lit("platinum"))
        .when(rank < k2).then(pl.lit("gold"))
        .when(rank < k3).then(pl.lit("iron"))
        .otherwise(pl.lit("lead"))
    )
    return tier.alias("value_tier")


# --- RFM ------------------------------------------------------------------------------------------


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


# --- value table --------------------------------------------------------------------------------


def fit_models(summary: pl.DataFrame) -> ModelFits:
    """BG/NBD, MBG/NBD and Gamma-Gamma on the customers with a purchase occasion.

    Depends on the orders and the as-of date only (not on any what-if threshold), so a UI can
    fit once and pass the result to `value_table(..., fits=...)` for every what-if change.
    """
    notes: list[Note] = []
    m = summary.filter(pl.col("occasions") > 0)
    x = m.get_column("frequency").to_numpy().astype(np.float64)
    t_x = m.get_column("recency_days").to_numpy().astype(np.float64)
    tt = m.get_column("T_days").to_numpy().astype(np.float64)
    mon = m.get_column("monetary_value").fill_null(np.nan).to_numpy().astype(np.float64)
    repeaters = int((x > 0).sum())
    bg = models.fit_bgnbd(x, t_x, tt) if m.height else None
    mbg = models.fit_mbgnbd(x, t_x, tt) if m.height else None
    if bg is None:
        notes.append(("segments.note.not_fitted", {"n": m.height, "repeaters": repeaters}))
    gg = models.fit_gamma_gamma(x, mon) if m.height else None
    n_bad = int(((x > 0) & ~(mon > 0)).sum())
    if n_bad:
        notes.append(("segments.note.spend_excluded", {"n": n_bad}))
    if gg is None and bg is not None:
        notes.append(("segments.note.spend_not_fitted", {}))
    for fit, name in ((bg, "BG/NBD"), (mbg, "MBG/NBD"), (gg, "Gamma-Gamma")):
        if fit is not None and fit.status != "ok":
            notes.append((f"segments.note.{fit.status}", {"model": name}))
    if gg is not None and gg.q <= 1.0:
        notes.append(("segments.note.q_le_1", {}))
    return ModelFits(bgnbd=bg, mbgnbd=mbg, gamma_gamma=gg,
                     warnings=[t(k, "en", **kw) for k, kw in notes], notes=notes)


def purchase_model(fits: ModelFits, cfg: CrmConfig) -> models.BgNbdFit | None:
    """The purchase model behind predicted value: cfg.value_model (BG/NBD by default;
    MBG/NBD where chosen and fitted)."""
    if cfg.value_model == "mbgnbd" and fits.mbgnbd is not None:
        return fits.mbgnbd
    return fits.bgnbd


def _predictions(
    summary: pl.DataFrame, fits: ModelFits, cfg: CrmConfig,
) -> tuple[pl.DataFrame, dict[str, float] | None]:
    """p_alive, p_alive_mbg, expected_purchases, expected_spend, discounted purchases, the
    interval of the discounted revenue forecast; and the total forecast's interval."""
    ok = summary.get_column("occasions").to_numpy() > 0
    x = summary.get_column("frequency").fill_null(0).to_numpy().astype(np.float64)
    t_x = summary.get_column("recency_days").fill_null(0).to_numpy().astype(np.float64)
    tt = summary.get_column("T_days").fill_null(0).to_numpy().astype(np.float64)
    mon = summary.get_column("monetary_value").fill_null(np.nan).to_numpy().astype(np.float64)
    n = summary.height
    nan = np.full(n, np.nan)
    p_alive, p_alive_mbg, expected, disc = nan.copy(), nan.copy(), nan.copy(), np.zeros(n)
    f = purchase_model(fits, cfg)
    if f is not None and ok.any():
        p_alive[ok] = models.bgnbd_p_alive(f, x[ok], t_x[ok], tt[ok])
        expected[ok] = models.bgnbd_expected_purchases(f, cfg.horizon_days, x[ok], t_x[ok],
                                                       tt[ok])
        disc[ok] = models.discounted_expected_purchases(
            f, cfg.horizon_days, cfg.discount_rate_yearly, x[ok], t_x[ok], tt[ok])
    if fits.mbgnbd is not None and ok.any():
        p_alive_mbg[ok] = models.mbgnbd_p_alive(fits.mbgnbd, x[ok], t_x[ok], tt[ok])
    # average value of a purchase occasion: the fallback spend without a spend model
    first_spend = summary.filter(pl.col("occasions") > 0)
    avg_occ = (
        float(first_spend.get_column("revenue").sum() / first_spend.get_column("occasions").sum())
        if first_spend.height else 0.0
    )
    if fits.gamma_gamma is not None:
        spend = models.gg_expected_spend(fits.gamma_gamma, x, mon, fallback=avg_occ)
    else:
        spend = np.full(n, avg_occ)
    spend = np.where(ok, spend, np.nan)
    # value per unit of revenue: the customer's margin rate (as value_table's `share`)
    rev = summary.get_column("revenue").fill_null(0.0).to_numpy()
    hist = summary.get_column("historic_value").fill_null(0.0).to_numpy()
    share = np.where(rev > 0, np.clip(hist / np.where(rev > 0, rev, 1.0), -1.0, 1.0),
                     cfg.margin_share)
    pv_low, pv_high = np.zeros(n), np.zeros(n)
    forecast = None
    if f is not None and ok.any():
        e = expected[ok]
        iv = value_intervals(
            f, fits.gamma_gamma, cfg.horizon_days, x[ok], t_x[ok], tt[ok], mon[ok], spend[ok],
            level=cfg.interval_level, factor=np.where(e > 0, disc[ok] / np.where(e > 0, e, 1.0),
                                                      0.0),
            share=share[ok], expected=e, fallback=avg_occ)
        pv_low[ok], pv_high[ok] = iv.low, iv.high
        forecast = {"total": iv.total, "low": iv.total_low, "high": iv.total_high,
                    "sd_process": iv.total_sd_process, "sd_param": iv.total_sd_param,
                    "level": cfg.interval_level}
    cols = ("p_alive", "p_alive_mbg", "expected_purchases", "expected_spend",
            "_disc_purchases", "_pv_low", "_pv_high")
    frame = pl.DataFrame(
        dict(zip(cols, (p_alive, p_alive_mbg, expected, spend, disc, pv_low, pv_high),
                 strict=True)),
        schema=dict.fromkeys(cols, pl.Float64),
    ).with_columns(pl.all().fill_nan(None))
    return frame, forecast


def complaint_counts(data: CrmData, as_of: dt.date) -> pl.DataFrame:
    """customer_id, complaints: complaints received up to and including as_of."""
    c = data.complaints
    if c.height == 0:
        return pl.DataFrame(schema={"customer_id": pl.String, "complaints": pl.Int64})
    return (
        c.lazy().filter((pl.col("received_date") <= as_of) & pl.col("customer_id").is_not_null())
        .group_by("customer_id").agg(pl.len().cast(pl.Int64).alias("complaints"))
        .collect()
    )


VALUE_COLUMNS: tuple[str, ...] = (
    *SUMMARY_COLUMNS, "complaints", "p_alive", "p_alive_mbg", "expected_purchases",
    "expected_spend", "predicted_value", "cost_to_serve", "lifetime_value", "value_tier",
    "r_score", "f_score", "m_score", "rfm_segment", "lifetime_value_low", "lifetime_value_high",
)


def value_table(
    data: CrmData, cfg: CrmConfig, as_of: dt.date, fits: ModelFits | None = None,
    summary: pl.DataFrame | None = None,
) -> tuple[pl.DataFrame, ModelFits]:
    """Per customer with an order up to as_of: summary, model outputs, value, tier, RFM.

    Columns: VALUE_COLUMNS, one row per customer, sorted by customer_id. Returns the fitted
    models too (report churn_model/spend_model); thin or odd data never raise: see
    `ModelFits.warnings`. `fits` from `fit_models` on the same orders and as_of skips the
    fitting (what-if changes).
    """
    if summary is None:  # given: `customer_summary` of the same orders, as_of, margin_share
        summary = customer_summary(data.orders, as_of, cfg.margin_share)
    if summary.height == 0:
        empty = summary.with_columns(
            pl.lit(None, pl.Int64).alias("complaints"),
            *[pl.lit(None, pl.Float64).alias(c) for c in (
                "p_alive", "p_alive_mbg", "expected_purchases", "expected_spend",
                "predicted_value", "cost_to_serve", "lifetime_value")],
            pl.lit(None, pl.String).alias("value_tier"),
            *[pl.lit(None, pl.Int64).alias(c) for c in ("r_score", "f_score", "m_score")],
            pl.lit(None, pl.String).alias("rfm_segment"),
            pl.lit(None, pl.Float64).alias("lifetime_value_low"),
            pl.lit(None, pl.Float64).alias("lifetime_value_high"),
        ).select(VALUE_COLUMNS)
        note: Note = ("segments.note.no_orders", {})
        return empty, ModelFits(None, None, None, [t(note[0], "en")], [note])
    if fits is None:
        fits = fit_models(summary)
    preds, forecast = _predictions(summary, fits, cfg)
    bins = max(1, int(cfg.rfm_bins))
    share = (
        pl.when(pl.col("revenue") > 0)
        .then((pl.col("historic_value") / pl.col("revenue")).clip(-1.0, 1.0))
        .otherwise(pl.lit(cfg.margin_share))
    )
    table = (
        pl.concat([summary, preds], how="horizontal")  # the summary's customer_id order
        .join(complaint_counts(data, as_of), on="customer_id", how="left",
              maintain_order="left")
        .with_columns(pl.col("complaints").fill_null(0))
        .with_columns(
            (share * pl.col("expected_spend").fill_null(0.0)
             * pl.col("_disc_purchases")).alias("predicted_value"),
            (cfg.cost_per_order * (pl.col("orders") + pl.col("_disc_purchases"))
             + cfg.cost_per_complaint * pl.col("complaints")).alias("cost_to_serve"),
        )
        .with_columns(
            (pl.col("historic_value") + pl.col("predicted_value") - pl.col("cost_to_serve"))
            .alias("lifetime_value"),
        )
        .with_columns(  # the interval: the predicted part's spread (crm_logic.value.intervals),
            # held to contain the value itself exactly (the two are rounded differently)
            pl.min_horizontal(pl.col("lifetime_value") - pl.col("predicted_value")
                              + pl.col("_pv_low"), "lifetime_value").alias("lifetime_value_low"),
            pl.max_horizontal(pl.col("lifetime_value") - pl.col("predicted_value")
                              + pl.col("_pv_high"), "lifetime_value").alias("lifetime_value_high"),
        )
        .with_columns(value_tier_expr(cfg, summary.height), *rfm_score_exprs(bins))
        .with_columns(rfm_segment_expr(bins))
        .select(VALUE_COLUMNS)
    )
    notes = [*fits.notes, *rfm_notes(summary, bins)]
    return table, ModelFits(fits.bgnbd, fits.mbgnbd, fits.gamma_gamma,
                            [t(k, "en", **kw) for k, kw in notes], notes, forecast)


# --- summaries for the page -------------------------------------------------------------------


def tier_summary(table: pl.DataFrame) -> pl.DataFrame:
    """Per tier (all four, platinum first): customers, customer_share, value, value_share,
    avg_lifetime_value. Shares are of all customers / of total lifetime value."""
    total_n = max(table.height, 1)
    total_v = float(table.get_column("lifetime_value").sum()) if table.height else 0.0
    got = table.group_by("value_tier").agg(
        pl.len().cast(pl.Int64).alias("customers"),
        pl.col("lifetime_value").sum().alias("value"),
    )
    base = pl.DataFrame({"value_tier": list(TIERS)})
    return (
        base.join(got, on="value_tier", how="left")
        .with_columns(pl.col("customers").fill_null(0), pl.col("value").fill_null(0.0))
        .with_columns(
            (pl.col("customers") / total_n).alias("customer_share"),
            (pl.col("value") / total_v if total_v else pl.lit(None, pl.Float64))
            .alias("value_share"),
            pl.when(pl.col("customers") > 0).then(pl.col("value") / pl.col("customers"))
            .alias("avg_lifetime_value"),
        )
        .select("value_tier", "customers", "customer_share", "value", "value_share",
                "avg_lifetime_value")
    )


def pareto_curve(table: pl.DataFrame) -> pl.DataFrame:
    """share_customers vs share_value, customers by lifetime value largest first.

    Negative lifetime values are kept, so the curve can rise above 100% and sink back: the
    "whale curve" showing how much value the unprofitable customers destroy.
    Starts at (0, 0); empty when total value <= 0.
    """
    schema = {"share_customers": pl.Float64, "share_value": pl.Float64}
    if table.height == 0:
        return pl.DataFrame(schema=schema)
    total = float(table.get_column("lifetime_value").sum())
    if total <= 0:
        return pl.DataFrame(schema=schema)
    curve = (
        table.select("customer_id", "lifetime_value")
        .sort(["lifetime_value", "customer_id"], descending=[True, False])
        .select(
            ((pl.int_range(pl.len()) + 1) / pl.len()).alias("share_customers"),
            (pl.col("lifetime_value").cum_sum() / total).alias("share_value"),
        )
    )
    return pl.concat([pl.DataFrame({"share_customers": [0.0], "share_value": [0.0]}), curve])


def rfm_grid(table: pl.DataFrame, bins: int) -> pl.DataFrame:
    """Every (r_score, f_score) cell 1..bins: customers and avg_lifetime_value."""
    cells = pl.DataFrame({"r_score": list(range(1, bins + 1))}).join(
        pl.DataFrame({"f_score": list(range(1, bins + 1))}), how="cross"
    ).cast(pl.Int64)
    got = table.group_by("r_score", "f_score").agg(
        pl.len().cast(pl.Int64).alias("customers"),
        pl.col("lifetime_value").mean().alias("avg_lifetime_value"),
    )
    return (
        cells.join(got, on=["r_score", "f_score"], how="left")
        .with_columns(pl.col("customers").fill_null(0))
        .sort("r_score", "f_score")
    )


def segment_summary(table: pl.DataFrame) -> pl.DataFrame:
    """Per RFM segment (all, in RFM_SEGMENTS order): customers, share, value,
    avg_lifetime_value."""
    total_n = max(table.height, 1)
    got = table.group_by("rfm_segment").agg(
        pl.len().cast(pl.Int64).alias("customers"),
        pl.col("lifetime_value").sum().alias("value"),
    )
    return (
        pl.DataFrame({"rfm_segment": list(RFM_SEGMENTS)})
        .join(got, on="rfm_segment", how="left")
        .with_columns(pl.col("customers").fill_null(0), pl.col("value").fill_null(0.0))
        .with_columns(
            (pl.col("customers") / total_n).alias("share"),
            pl.when(pl.col("customers") > 0).then(pl.col("value") / pl.col("customers"))
            .alias("avg_lifetime_value"),
        )
    )
