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
from crm_logic.codes import TIERS as TIERS  # seg.TIERS: the pages and ui read it here
from crm_logic.config import CrmConfig
from crm_logic.i18n import t
from crm_logic.store import CrmData
from crm_logic.value.intervals import value_intervals
from crm_logic.value.rfm import (  # noqa: F401  (the RFM names live in crm_logic.value.rfm)
    RFM_CATCH_ALL,
    RFM_RULES,
    RFM_SEGMENTS,
    Note,
    RfmRule,
    _score,
    _to5,
    rfm_notes,
    rfm_score_exprs,
    rfm_segment_expr,
    rfm_warnings,
)
from crm_logic.value.summary import (  # noqa: F401  (the summary lives in crm_logic.value.summary)
    SUMMARY_COLUMNS,
    _empty_summary,
    _finish,
    customer_summary,
    summary_from_occasions,
)
from crm_logic.value.views import (  # noqa: F401  (the Value page's summaries)
    pareto_curve,
    rfm_grid,
    segment_summary,
    tier_summary,
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


def value_tier_expr(cfg: CrmConfig, n: int, rank: pl.Series | None = None) -> pl.Expr:
    """value_tier over a frame of `n` customers with lifetime_value and customer_id.

    `rank`: the frame's `value_rank_expr()` when already at hand (it reads no threshold: the
    app holds it per analysis, so a tier-share what-if sorts nothing; 0.1 s at 250,000)."""
    k1, k2, k3 = tier_cutoffs(n, cfg)
    rank_expr = value_rank_expr() if rank is None else pl.lit(rank)
    tier = (
        pl.when(pl.col("lifetime_value").fill_null(0.0) <= 0).then(pl.lit("lead"))
        .when(rank_expr < k1).then(pl.lit("platinum"))
        .when(rank_expr < k2).then(pl.lit("gold"))
        .when(rank_expr < k3).then(pl.lit("iron"))
        .otherwise(pl.lit("lead"))
    )
    return tier.alias("value_tier")


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
