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

from crm_logic import models, occasions
from crm_logic.codes import TIERS
from crm_logic.config import CrmConfig
from crm_logic.i18n import t
from crm_logic.store import CrmData
from crm_logic.value.intervals import value_intervals

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


def _empty_summary() -> pl.DataFrame:
    """A summary without customers, with the summary's column types."""
    types = {"customer_id": pl.String, "first_order_date": pl.Date, "last_order_date": pl.Date,
             "revenue": pl.Float64, "margin_total": pl.Float64, "historic_value": pl.Float64,
             "monetary_value": pl.Float64}
    return pl.DataFrame(schema={c: types.get(c, pl.Int64) for c in SUMMARY_COLUMNS})


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


def summary_from_occasions(
    occ: pl.DataFrame, as_of: dt.date, margin_share: float = 1.0,
) -> pl.DataFrame:
    """`customer_summary` from the purchase-occasion table (`crm_logic.occasions`) up to
    `as_of`: one plain Polars group-by over customer-days (the lines were grouped in DuckDB).
    The table comes sorted by customer, then day (sorted here if not)."""
    occ = occ.filter(pl.col("day") <= as_of)
    if occ.height == 0:
        return _empty_summary()
    if not occasions.customer_day_sorted(occ):
        occ = occ.sort("customer_id", "day")
    margins = occ.get_column("margin").null_count() < occ.height
    buy = pl.col("is_purchase")
    day = pl.col("day").cast(pl.Int32).cast(pl.Int64)
    revenue = pl.col("revenue")
    pre = [pl.col("customer_id").set_sorted(), pl.when(buy).then(day).alias("_buy_day"),
           pl.when(buy).then(revenue).alias("_buy_rev")]
    aggs = [
        pl.col("orders").sum(), buy.sum().alias("occasions"), revenue.sum(),
        day.min().alias("_first_day"), day.max().alias("_last_day"),
        pl.col("_buy_day").min().alias("_buy_first"), pl.col("_buy_day").max().alias("_buy_last"),
        pl.col("_buy_rev").sum().alias("_buy_amount"),
        pl.col("_buy_rev").drop_nulls().first().alias("_first_amount"),  # days in date order
    ]
    if margins:
        margin = pl.col("margin")
        aggs += [margin.sum().alias("_margin"), margin.count().alias("_margin_n"),
                 (margin.fill_null(0.0).sum() + margin_share * pl.col("unmargined_revenue")
                  .sum()).alias("_value")]
    cs = occ.lazy().with_columns(pre).group_by("customer_id", maintain_order=True) \
        .agg(aggs).collect()
    return _finish(cs, as_of, margin_share, margins)


def customer_summary(
    orders: pl.DataFrame | pl.LazyFrame, as_of: dt.date, margin_share: float = 1.0,
) -> pl.DataFrame:
    """One row per customer with at least one order line up to and including `as_of`.

    Columns: SUMMARY_COLUMNS (see the module docstring). `frequency`, `recency_days`,
    `T_days` and `monetary_value` are null for a customer without a purchase occasion
    (refund lines only). `margin_share` values revenue where no margin is given. Rows
    sorted by customer_id. Built from the occasion table of these lines (one DuckDB query);
    `value_table` reads the store's occasion table instead.
    """
    return summary_from_occasions(occasions.run_on(orders, as_of), as_of, margin_share)


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
    summary: pl.DataFrame, fits: ModelFits, cfg: CrmConfig, intervals: bool = True,
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
    pv_low = pv_high = np.where(ok, share * np.nan_to_num(spend) * disc, 0.0)  # the point
    forecast = None
    if f is not None and ok.any() and intervals:
        e = expected[ok]
        iv = value_intervals(
            f, fits.gamma_gamma, cfg.horizon_days, x[ok], t_x[ok], tt[ok], mon[ok], spend[ok],
            level=cfg.interval_level, factor=np.where(e > 0, disc[ok] / np.where(e > 0, e, 1.0),
                                                      0.0),
            share=share[ok], expected=e, fallback=avg_occ)
        pv_low, pv_high = pv_low.copy(), pv_high.copy()
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
    summary: pl.DataFrame | None = None, intervals: bool = True,
) -> tuple[pl.DataFrame, ModelFits]:
    """Per customer with an order up to as_of: summary, model outputs, value, tier, RFM.

    Columns: VALUE_COLUMNS, one row per customer, sorted by customer_id. Returns the fitted
    models too (report churn_model/spend_model); thin or odd data never raise: see
    `ModelFits.warnings`. `fits` from `fit_models` on the same orders and as_of skips the
    fitting (what-if changes).
    `summary` (`customer_summary` of the same orders) skips the summary;
    `intervals=False` skips the value intervals (lifetime_value_low/high = the value).
    """
    if summary is None:  # given: `customer_summary` of the same orders, as_of, margin_share
        summary = summary_from_occasions(occasions.table(data, as_of), as_of, cfg.margin_share)
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
    preds, forecast = _predictions(summary, fits, cfg, intervals)
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
