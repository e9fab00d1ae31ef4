"""Churn early warning: flags, a churn risk score, backtest, churn rate, causes, retention what-if.

How the score works (and why):
- Every customer gets a feature frame built only from data up to and including `as_of`:
  purchase occasions (the project's one rule, `crm_logic.occasions`: a customer's calendar
  day with at least one order line of amount >= 0), the customer's own purchase rhythm
  (typical gap between occasions, shrunk towards the population's typical gap with one
  pseudo-gap so one-time buyers and two-purchase customers get a sensible rhythm), a recent
  window (`recent_window_days`) against the customer's own
  baseline (frequency and spend per day before the window), and complaints (open at `as_of`,
  late against `sla_days`, repeated within the window).
- Flags (`churn_flags(cfg)`) turn these into readable yes/no warnings.
- `churn_risk` is the probability that the customer makes no purchase within
  `risk_horizon_days`. It comes from a small logistic regression trained on the store's own
  past: features computed at an internal cut-off `as_of - risk_horizon_days` (data up to that
  cut-off only) and the label "no purchase between that cut-off and `as_of`". All inputs are
  relative to the customer's own rhythm or history (scale-free: days since the last purchase
  in units of the customer's gap, share of tenure since the last purchase, log number of
  occasions, recent-vs-baseline frequency and spend, complaints), so a model learned on the
  past transfers to today. Nothing after `as_of` is read. When the past is too short or has
  only one outcome, a transparent rule score stands in (see `_rule_risk`).
- Lost customers: a customer whose recorded `churn_date` is on or before `as_of`, or whom the
  lifecycle analysis (optional `lifecycle` argument) marks churned, is already lost: it gets
  no risk score (the warning is for customers that can still be kept); churn rate and churn
  causes cover the lost ones.
- Speed: the order lines are read and grouped once per analysis (`purchase_days`, one
  integer sort on a hash of customer_id and the day, checked for collisions); the features
  at `as_of` and at the training cut-off are sums over that one customer-day table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from crm_logic import occasions
from crm_logic.codes import ACTIONS, BIG_TIERS, FLAGS, PATTERNS, RISK_LEVELS, UNKNOWN
from crm_logic.codes import STAGES as STAGES  # re-exported: older callers read churn.STAGES
from crm_logic.codes import TIERS as TIERS
from crm_logic.complaints import status_code_expr
from crm_logic.config import CrmConfig
from crm_logic.i18n import t
from crm_logic.lost import lost_at, lost_of
from crm_logic.store import CHURN_REASONS, CHURN_TYPES, CrmData

MODEL_INPUTS: tuple[str, ...] = (
    "x_gap",
    "x_recency",
    "x_tenure_share",
    "x_occasions",
    "x_tenure",
    "x_spend_level",
    "x_one_time",
    "x_frequency_trend",
    "x_spend_trend",
    "x_complaint_open",
    "x_complaint_late",
    "x_complaint_repeat",
)
_TRAIN_MAX_ROWS = 200_000  # the model's sample of the past: plenty for nine coefficients
_TRAIN_MIN_ROWS = 50  # fewer customers in the past: rule score instead of the model
_TRAIN_MIN_CLASS = 10  # ... or fewer than this of either outcome
_RIDGE = 1.0  # L2 penalty on standardised coefficients: keeps the fit stable when sparse
_SEED = 20240605
_MIN_HORIZON_DAYS = 7
_MBG_FIT_MAX_ROWS = 100_000


def _days(a: pl.Expr, b: pl.Expr | dt.date) -> pl.Expr:
    """Whole days from b to a (a - b) as Float64."""
    other = pl.lit(b, dtype=pl.Date) if isinstance(b, dt.date) else b
    return (a - other).dt.total_days().cast(pl.Float64)


# --- features ------------------------------------------------------------------------------


def _lazy(df: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
    return df.lazy() if isinstance(df, pl.DataFrame) else df


def order_features(
    orders: pl.DataFrame | pl.LazyFrame, cfg: CrmConfig, as_of: dt.date
) -> pl.LazyFrame:
    """Per customer with a purchase up to `as_of`: occasions, rhythm, recent vs baseline.

    Columns: customer_id, first_date, last_date, occasions, recent_occasions, revenue,
    recent_spend, tenure_days, days_since_last, mean_gap, baseline_days, population_gap,
    expected_gap, baseline_ok, value_at_stake (yearly spend: what leaving would cost),
    frequency_ratio, spend_ratio.
    """
    return _order_features_at(purchase_days(orders, as_of), cfg, as_of).drop("_cust").lazy()


def data_features(data: CrmData, cfg: CrmConfig, as_of: dt.date) -> pl.DataFrame:
    """`order_features` of the store's occasion table (no pass over the lines)."""
    return _order_features_at(days_of(data, as_of), cfg, as_of).drop("_cust")


# --- purchase days: the one pass over the order lines -------------------------------------


@dataclass(frozen=True)
class PurchaseDays:
    """Order lines up to `as_of` summed per customer and calendar day, sorted by customer,
    then day (numpy columns, one entry per customer-day).

    Built once per analysis (`purchase_days`): the features at `as_of` and at the training
    cut-off, the training label and the recorded-churn check all derive from it, so the large
    order table is read and grouped only once.
    """

    as_of: dt.date
    customer_id: pl.Series  # one per customer, in this table's customer order
    cust: np.ndarray  # int64 index into customer_id, per customer-day
    day: np.ndarray  # int64 days since 1970-01-01
    spend: np.ndarray  # float64 net spend of the day (refund lines lower it)
    buy: np.ndarray  # bool: the day is a purchase occasion (occasions.is_purchase_day)
    starts: np.ndarray  # int64 first customer-day row of each customer

    @property
    def customers(self) -> int:
        """Number of customers with an order line up to `as_of`."""
        return self.customer_id.len()


def purchase_days(orders: pl.DataFrame | pl.LazyFrame, as_of: dt.date) -> PurchaseDays:
    """Order lines up to and including `as_of` per customer-day (through the occasion
    table, `crm_logic.occasions`)."""
    return purchase_days_of(occasions.run_on(orders, as_of), as_of)


def purchase_days_of(occ: pl.DataFrame, as_of: dt.date) -> PurchaseDays:
    """`PurchaseDays` from the purchase-occasion table (cut at `as_of`)."""
    occ = occ.filter(pl.col("day") <= as_of)
    if not occ.select(pl.struct("customer_id", "day").is_sorted()).item():
        occ = occ.sort("customer_id", "day")
    ids = occ.get_column("customer_id")
    new_cust = (ids != ids.shift(1)).fill_null(True).to_numpy()
    cust = np.cumsum(new_cust) - 1
    return PurchaseDays(
        as_of=as_of,
        customer_id=ids.filter(pl.Series(new_cust)),
        cust=cust.astype(np.int64),
        day=occ.get_column("day").cast(pl.Int32).to_numpy().astype(np.int64),
        spend=occ.get_column("revenue").to_numpy(),
        buy=occ.get_column("is_purchase").to_numpy(),
        starts=np.flatnonzero(new_cust).astype(np.int64),
    )


def days_of(data: CrmData, as_of: dt.date) -> PurchaseDays:
    """`PurchaseDays` of the store's occasion table up to `as_of`."""
    return purchase_days_of(occasions.table(data, as_of), as_of)


def _epoch(day: dt.date) -> int:
    """Days since 1970-01-01 (the physical value of a polars Date)."""
    return (day - dt.date(1970, 1, 1)).days


def _order_features_at(days: PurchaseDays, cfg: CrmConfig, at: dt.date) -> pl.DataFrame:
    """`order_features` at `at` (on or before days.as_of) from the purchase days, plus
    `_cust` (the customer's index in `days`)."""
    if at > days.as_of:
        raise ValueError("features after the purchase days' as_of")
    window = int(cfg.recent_window_days)
    n = days.customers
    upto = days.day <= _epoch(at)
    occ = days.buy & upto
    recent = days.day > _epoch(at - dt.timedelta(days=window))
    in_year = days.day > _epoch(at - dt.timedelta(days=int(cfg.horizon_days)))
    spend = np.where(upto, days.spend, 0.0)

    def per_customer(weights: np.ndarray) -> np.ndarray:
        return np.bincount(days.cust, weights=weights, minlength=n)

    big = np.iinfo(np.int64).max
    if n:
        first = np.minimum.reduceat(np.where(occ, days.day, big), days.starts)
        last = np.maximum.reduceat(np.where(occ, days.day, -big), days.starts)
    else:
        first = last = np.zeros(0, dtype=np.int64)
    raw = pl.DataFrame({
        "customer_id": days.customer_id,
        "_cust": np.arange(n, dtype=np.int64),
        "first_date": first,
        "last_date": last,
        "occasions": np.bincount(days.cust[occ], minlength=n).astype(np.int64),
        "recent_occasions": np.bincount(days.cust[occ & recent], minlength=n).astype(np.int64),
        "revenue": per_customer(spend),
        "recent_spend": per_customer(np.where(recent, spend, 0.0)),
        "year_spend": per_customer(np.where(in_year, spend, 0.0)),
    }).filter(pl.col("occasions") > 0).with_columns(
        pl.col("first_date", "last_date").cast(pl.Int32).cast(pl.Date)
    )
    return _derive_features(raw.lazy(), cfg, at).collect()


def _derive_features(per: pl.LazyFrame, cfg: CrmConfig, as_of: dt.date) -> pl.LazyFrame:
    """Rhythm, baseline and trend columns from the per-customer sums (see order_features)."""
    window = int(cfg.recent_window_days)
    recent_start = as_of - dt.timedelta(days=window)  # the recent window is (recent_start, as_of]
    span = _days(pl.col("last_date"), pl.col("first_date"))
    gaps = (pl.col("occasions") - 1).cast(pl.Float64)
    mean_gap = pl.when(gaps > 0).then(span / gaps).otherwise(None)
    per = per.with_columns(
        tenure_days=_days(pl.lit(as_of, dtype=pl.Date), pl.col("first_date")),
        days_since_last=_days(pl.lit(as_of, dtype=pl.Date), pl.col("last_date")),
        span_days=span,
        mean_gap=mean_gap,
        baseline_days=_days(pl.lit(recent_start, dtype=pl.Date), pl.col("first_date")) + 1.0,
        baseline_occasions=pl.col("occasions") - pl.col("recent_occasions"),
        baseline_spend=pl.col("revenue") - pl.col("recent_spend"),
    )
    # population rhythm: median gap of repeat buyers (fallback: the recent window)
    pop_gap = pl.col("mean_gap").median().fill_null(float(window)).clip(lower_bound=1.0)
    per = per.with_columns(
        population_gap=pop_gap,
        # one pseudo-gap of the population's typical length shrinks noisy own rhythms
        expected_gap=((pl.col("span_days") + pop_gap) / (gaps + 1.0)).clip(lower_bound=1.0),
        baseline_ok=(pl.col("baseline_days") >= window) & (pl.col("baseline_occasions") >= 2),
        # value at stake: net spend of the last `horizon_days` (what a year of it is worth)
        value_at_stake=pl.col("year_spend").clip(lower_bound=0.0),
    )
    base_rate = pl.col("baseline_occasions") / pl.col("baseline_days")
    recent_rate = pl.col("recent_occasions") / float(window)
    base_spend_rate = pl.col("baseline_spend") / pl.col("baseline_days")
    recent_spend_rate = pl.col("recent_spend") / float(window)
    return per.with_columns(
        frequency_ratio=pl.when(pl.col("baseline_ok")).then(recent_rate / base_rate),
        spend_ratio=pl.when(pl.col("baseline_ok") & (pl.col("baseline_spend") > 0)).then(
            recent_spend_rate / base_spend_rate
        ),
    ).drop("span_days", "baseline_occasions", "baseline_spend", "year_spend")


def complaint_features(
    complaints: pl.DataFrame | pl.LazyFrame, cfg: CrmConfig, as_of: dt.date
) -> pl.LazyFrame:
    """Per customer with a complaint up to `as_of`: open, late and recent complaint counts.

    A complaint is open at `as_of` unless its resolved_date is on or before `as_of` (a status
    of "resolved" without a date counts as resolved; a later resolved_date does not). Late:
    took (or is taking) longer than `sla_days`, counted when open or received in the recent
    window. Columns: customer_id, complaints_open, complaints_late, complaints_recent.
    """
    as_of_lit = pl.lit(as_of, dtype=pl.Date)
    recent_start = as_of - dt.timedelta(days=int(cfg.recent_window_days))
    c = _lazy(complaints).filter(
        pl.col("received_date") <= as_of_lit, pl.col("customer_id").is_not_null()
    )
    resolved = pl.col("resolved_date").is_not_null() & (pl.col("resolved_date") <= as_of_lit)
    # same status words as the complaints area: "resolved" without a date counts as resolved
    closed_no_date = pl.col("resolved_date").is_null() & (
        status_code_expr("status").fill_null("open") == "resolved"
    )
    is_open = ~resolved & ~closed_no_date
    end = pl.when(resolved).then(pl.col("resolved_date")).otherwise(as_of_lit)
    late = (~closed_no_date) & (_days(end, pl.col("received_date")) > float(cfg.sla_days))
    recent = pl.col("received_date") > pl.lit(recent_start, dtype=pl.Date)
    return c.group_by("customer_id").agg(
        complaints_open=is_open.sum().cast(pl.Int64),
        complaints_late=(late & (is_open | recent)).sum().cast(pl.Int64),
        complaints_recent=recent.sum().cast(pl.Int64),
    )


def customer_features(data: CrmData, cfg: CrmConfig, as_of: dt.date) -> pl.LazyFrame:
    """Order and complaint features per customer with a purchase up to `as_of` (lazy)."""
    return _features_at(days_of(data, as_of), data.complaints, cfg, as_of).drop("_cust").lazy()


def _features_at(
    days: PurchaseDays, complaints: pl.DataFrame | pl.LazyFrame, cfg: CrmConfig, at: dt.date
) -> pl.DataFrame:
    """`customer_features` at `at` from the purchase days (plus `_cust`), row order kept."""
    feats = _order_features_at(days, cfg, at)
    counts = ["complaints_open", "complaints_late", "complaints_recent"]
    comp = complaint_features(complaints, cfg, at).collect()
    if comp.height == 0:
        return feats.with_columns(pl.lit(0, dtype=pl.Int64).alias(c) for c in counts)
    return feats.join(comp, on="customer_id", how="left", maintain_order="left").with_columns(
        pl.col(c).fill_null(0) for c in counts
    )


def model_inputs() -> list[pl.Expr]:
    """The classifier's inputs: scale-free signals relative to each customer's own history."""
    trend_floor = 0.05  # ratios below are "stopped"; log keeps rises and falls symmetric

    def trend(col: str) -> pl.Expr:
        ratio = pl.col(col).clip(lower_bound=trend_floor)
        return pl.when(pl.col(col).is_not_null()).then(ratio.log()).otherwise(0.0)

    # spend per occasion against the population's median: big spenders leave less often
    spend = (pl.col("revenue") / pl.col("occasions")).clip(lower_bound=0.01)
    return [
        (pl.col("days_since_last") / pl.col("expected_gap")).log1p().alias("x_gap"),
        (pl.col("days_since_last") / pl.col("population_gap")).log1p().alias("x_recency"),
        (pl.col("days_since_last") / pl.col("tenure_days").clip(lower_bound=1.0)).alias(
            "x_tenure_share"
        ),
        pl.col("occasions").cast(pl.Float64).log().alias("x_occasions"),
        (pl.col("tenure_days") / pl.col("population_gap")).log1p().alias("x_tenure"),
        (spend.log() - spend.log().median()).fill_null(0.0).alias("x_spend_level"),
        (pl.col("occasions") == 1).cast(pl.Float64).alias("x_one_time"),
        trend("frequency_ratio").alias("x_frequency_trend"),
        trend("spend_ratio").alias("x_spend_trend"),
        (pl.col("complaints_open") > 0).cast(pl.Float64).alias("x_complaint_open"),
        (pl.col("complaints_late") > 0).cast(pl.Float64).alias("x_complaint_late"),
        (pl.col("complaints_recent") > 0).cast(pl.Float64).alias("x_complaint_repeat"),
    ]


# --- the classifier ------------------------------------------------------------------------


@dataclass(frozen=True)
class RiskModel:
    """A logistic regression on standardised `MODEL_INPUTS` (numpy, no sklearn)."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray  # intercept first
    train_cutoff: dt.date
    n_train: int
    base_rate: float  # share of the training customers that did not buy again

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Probability of no purchase within the horizon for each row of `x`."""
        z = (x - self.mean) / self.scale
        eta = self.coef[0] + z @ self.coef[1:]
        return 1.0 / (1.0 + np.exp(-np.clip(eta, -35.0, 35.0)))


def fit_logistic(x: np.ndarray, y: np.ndarray, ridge: float = _RIDGE, iters: int = 25) -> tuple[
    np.ndarray, np.ndarray, np.ndarray
]:
    """Ridge logistic regression by Newton steps; returns (mean, scale, coef with intercept)."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale = np.where(scale > 1e-12, scale, 1.0)
    z = np.column_stack([np.ones(len(x)), (x - mean) / scale])
    coef = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], ridge)
    penalty[0] = 0.0
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ coef, -35.0, 35.0)))
        grad = z.T @ (y - p) - penalty * coef
        w = p * (1.0 - p)
        hess = (z * w[:, None]).T @ z + np.diag(penalty) + 1e-9 * np.eye(z.shape[1])
        step = np.linalg.solve(hess, grad)
        coef = coef + step
        if np.max(np.abs(step)) < 1e-8:
            break
    return mean, scale, coef


def _matrix(feats: pl.DataFrame) -> np.ndarray:
    return feats.select(model_inputs()).to_numpy().astype(np.float64)


def train_risk_model(data: CrmData, cfg: CrmConfig, as_of: dt.date) -> RiskModel | None:
    """Fit the classifier on the store's own past; None when the past cannot support it.

    Features at `as_of - risk_horizon_days` (data up to then only) of every customer with a
    purchase by then, lost ones included (everyone gets a churn_risk), label: no purchase
    occasion in the horizon after that cut-off (up to `as_of`, never later).
    """
    return _train(days_of(data, as_of), data, cfg, as_of)


def _train(days: PurchaseDays, data: CrmData, cfg: CrmConfig, as_of: dt.date,
           ) -> RiskModel | None:
    """`train_risk_model` on purchase days up to `as_of` (the cut-off's features filter them)."""
    horizon = _horizon(days, cfg, as_of)
    if horizon is None:
        return None
    cutoff = as_of - dt.timedelta(days=horizon)
    feats = _features_at(days, data.complaints, cfg, cutoff)
    # label: a purchase occasion in (cutoff, as_of]
    later = days.buy & (days.day > _epoch(cutoff))
    bought = np.bincount(days.cust[later], minlength=days.customers) > 0
    inputs = ["days_since_last", "expected_gap", "population_gap", "tenure_days", "occasions",
              "revenue", "frequency_ratio", "spend_ratio", "complaints_open",
              "complaints_late", "complaints_recent"]  # what model_inputs() reads
    train = feats.select(inputs).with_columns(
        no_purchase=pl.Series(~bought[feats.get_column("_cust").to_numpy()])
    )
    if train.height > _TRAIN_MAX_ROWS:
        train = train.sample(_TRAIN_MAX_ROWS, seed=_SEED)
    y = train.get_column("no_purchase").cast(pl.Float64).to_numpy()
    positives = int(y.sum())
    minority = min(positives, train.height - positives)
    if train.height < _TRAIN_MIN_ROWS or minority < _TRAIN_MIN_CLASS:
        return None
    mean, scale, coef = fit_logistic(_matrix(train), y)
    return RiskModel(mean, scale, coef, cutoff, train.height, float(y.mean()))


def train_horizon(data: CrmData, cfg: CrmConfig, as_of: dt.date) -> int | None:
    """`risk_horizon_days`, shortened to half the history so the past cut-off has data.

    None when less than two weeks of history exist before `as_of`.
    """
    return _horizon(days_of(data, as_of), cfg, as_of)


def _horizon(days: PurchaseDays, cfg: CrmConfig, as_of: dt.date) -> int | None:
    if days.day.size == 0:
        return None
    first = dt.date(1970, 1, 1) + dt.timedelta(days=int(days.day.min()))
    horizon = min(int(cfg.risk_horizon_days), (as_of - first).days // 2)
    return horizon if horizon >= _MIN_HORIZON_DAYS else None


def _recorded_churn(customers: pl.DataFrame | pl.LazyFrame, as_of: dt.date) -> pl.LazyFrame:
    """customer_id, churn_date, churn_reason, churn_type recorded on or before `as_of`."""
    return (
        _lazy(customers)
        .filter(pl.col("churn_date") <= pl.lit(as_of, dtype=pl.Date),
                pl.col("customer_id").is_not_null())
        .group_by("customer_id")
        .agg(pl.col("churn_date").max(), pl.col("churn_reason").first(),
             pl.col("churn_type").first())
    )


# --- evaluation ----------------------------------------------------------------------------


def roc_auc(y_true: np.ndarray | pl.Series | list, score: np.ndarray | pl.Series | list) -> float:
    """Area under the ROC curve by ranks (Mann-Whitney U), ties get the average rank.

    `y_true` is 1/True for the positive class (here: the customer was lost). NaN when only
    one class is present.
    """
    y = np.asarray(y_true, dtype=bool)
    s = np.asarray(score, dtype=np.float64)
    n_pos = int(y.sum())
    n_neg = int(len(y) - n_pos)
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    order = np.argsort(s, kind="mergesort")
    sorted_s = s[order]
    ranks = np.empty(len(s), dtype=np.float64)
    # average rank within runs of equal scores
    boundaries = np.flatnonzero(np.diff(sorted_s)) + 1
    starts = np.concatenate([[0], boundaries])
    ends = np.concatenate([boundaries, [len(s)]])
    avg = (starts + ends + 1) / 2.0  # 1-based ranks: mean of start+1 .. end
    ranks[order] = np.repeat(avg, ends - starts)
    u = ranks[y].sum() - n_pos * (n_pos + 1) / 2.0
    return float(u / (n_pos * n_neg))


# --- flags, risk, actions ------------------------------------------------------------------


def churn_flags(cfg: CrmConfig) -> list[pl.Expr]:
    """One Boolean expression per flag in `FLAGS`, over a `customer_features` frame.

    The frame may also carry p_alive (Float64, null when no model ran) and lifecycle_stage
    (String, null when unknown); a missing signal never raises a flag.
    - inactive: days since the last purchase > inactive_gap_multiple x the customer's gap;
    - frequency_drop / spend_drop: purchases / spend per day in the recent window below
      the share of the customer's own baseline (needs a full window of history before it);
    - complaint_open / complaint_late / complaint_repeat: an unresolved complaint; one
      handled (or waiting) longer than sla_days; repeat_complaints_min or more in the window;
    - low_p_alive: P(active) from the value model below p_alive_low;
    - decline: lifecycle stage is decline.
    """
    exprs = {
        "inactive": pl.col("days_since_last")
        > float(cfg.inactive_gap_multiple) * pl.col("expected_gap"),
        "frequency_drop": pl.col("frequency_ratio") < float(cfg.frequency_drop_share),
        "spend_drop": pl.col("spend_ratio") < float(cfg.spend_drop_share),
        "complaint_open": pl.col("complaints_open") > 0,
        "complaint_late": pl.col("complaints_late") > 0,
        "complaint_repeat": pl.col("complaints_recent") >= int(cfg.repeat_complaints_min),
        "low_p_alive": pl.col("p_alive") < float(cfg.p_alive_low),
        "decline": pl.col("lifecycle_stage") == "decline",
    }
    return [exprs[f].fill_null(False).alias(f"flag_{f}") for f in FLAGS]


def risk_level_expr(cfg: CrmConfig, col: str = "churn_risk") -> pl.Expr:
    """high at or above risk_high, medium at or above risk_medium, else low."""
    r = pl.col(col)
    return (
        pl.when(r >= float(cfg.risk_high)).then(pl.lit("high"))
        .when(r >= float(cfg.risk_medium)).then(pl.lit("medium"))
        .otherwise(pl.lit("low"))
        .alias("risk_level")
    )


def risk_flags_expr() -> pl.Expr:
    """The raised flags as a List[String] of codes, in `FLAGS` order.

    The flags are packed into one bit mask per row and the list looked up by mask (at most
    2^8 distinct lists): far cheaper than building a list per row.
    """
    mask = pl.sum_horizontal(
        pl.col(f"flag_{f}").fill_null(False).cast(pl.UInt32) * (1 << i)
        for i, f in enumerate(FLAGS)
    )
    lists = pl.Series(
        [[f for i, f in enumerate(FLAGS) if m >> i & 1] for m in range(1 << len(FLAGS))],
        dtype=pl.List(pl.String),
    )
    return pl.lit(lists).gather(mask).alias("risk_flags")


def lost_action_expr() -> pl.Expr:
    """The domain's advice for a customer already lost: above all, do not lose big customers
    silently — learn why they left and win them back; for the rest, learn the reason."""
    big = pl.col("value_tier").is_in(list(BIG_TIERS)).fill_null(False)
    return (
        pl.when(big).then(pl.lit("win_back_lost")).otherwise(pl.lit("learn_why_lost"))
        .alias("recommended_action")
    )


def action_expr() -> pl.Expr:
    """The domain's strategy per customer (codes in `ACTIONS`), most urgent rule first.

    Big customers at high risk: win them back personally (avoid losing big customers above
    all); complaints: resolve them (a complaint well handled builds loyalty); decline stage:
    recover or terminate; high risk lead tier: find out why, change or let go; other high
    risk: a personal offer; medium: a service contact or loyalty reward; low: maintain.
    """
    level = pl.col("risk_level")
    tier = pl.col("value_tier")
    complaint = pl.col("flag_complaint_open") | pl.col("flag_complaint_late") | pl.col(
        "flag_complaint_repeat"
    )
    return (
        pl.when((level == "high") & tier.is_in(list(BIG_TIERS)).fill_null(False))
        .then(pl.lit("win_back_big"))
        .when(complaint & (level != "low"))
        .then(pl.lit("resolve_complaint"))
        .when(pl.col("flag_decline") & (level != "low"))
        .then(pl.lit("recover_or_terminate"))
        .when((level == "high") & (tier == "lead").fill_null(False))
        .then(pl.lit("review_value"))
        .when(level == "high")
        .then(pl.lit("personal_offer"))
        .when(level == "medium")
        .then(pl.lit("care_contact"))
        .otherwise(pl.lit("maintain"))
        .alias("recommended_action")
    )


def _rule_risk(feats: pl.DataFrame) -> np.ndarray:
    """Transparent stand-in when the past cannot train the model.

    1 - exp(-g / 2) with g = days since the last purchase in units of the customer's gap
    (0 right after a purchase, 0.63 at two gaps), raised by each warning flag that is set:
    each complaint flag closes 20% of the remaining distance to 1, each fall 10%.
    """
    g = (feats.get_column("days_since_last") / feats.get_column("expected_gap")).to_numpy()
    risk = 1.0 - np.exp(-g / 2.0)
    for flag, weight in (("complaint_open", 0.2), ("complaint_late", 0.2),
                         ("complaint_repeat", 0.2), ("frequency_drop", 0.1),
                         ("spend_drop", 0.1)):
        hit = feats.get_column(f"flag_{flag}").to_numpy()
        risk = np.where(hit, 1.0 - (1.0 - risk) * (1.0 - weight), risk)
    return np.clip(risk, 0.0, 1.0)


def lost_before(
    data: CrmData, cfg: CrmConfig, as_of: dt.date, lifecycle: pl.DataFrame | None = None
) -> pl.DataFrame:
    """customer_id, churned, churn_date, churn_source, last_purchase on `as_of`: the
    lifecycle's one lost rule (`crm_logic.lost`), from `lifecycle` when given."""
    if lifecycle is not None and "churned" in lifecycle.columns:
        return lost_of(lifecycle)
    return lost_at(occasions.table(data, as_of), data.customers, cfg, as_of)


def churn_scores(
    data: CrmData,
    cfg: CrmConfig,
    as_of: dt.date,
    value: pl.DataFrame | None = None,
    lifecycle: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One row per customer with a purchase up to `as_of`, lost ones included.

    Every customer gets a churn_risk (chance of no purchase within `risk_horizon_days`);
    `churned` says who is already lost by the lifecycle's rule (`lifecycle.churned` when
    given, else the same rule here): for them 1 - churn_risk is the chance to win them back,
    and the recommended action is a win-back one. `value` may give p_alive_mbg (or p_alive)
    and value_tier; `lifecycle` may give lifecycle_stage.
    Columns: customer_id, churn_risk, risk_level, risk_flags (List[String] of `FLAGS`),
    recommended_action, churned, flag_<code> for each flag, value_tier, lifecycle_stage,
    p_alive, value_at_stake, days_since_last, expected_gap, frequency_ratio, spend_ratio,
    occasions, last_order_date, model ("logistic" | "rules").
    """
    days = days_of(data, as_of)
    feats = _features_at(days, data.complaints, cfg, as_of)
    gone = lost_before(data, cfg, as_of, lifecycle).filter(pl.col("churned"))
    feats = feats.with_columns(
        churned=pl.col("customer_id").is_in(gone.get_column("customer_id").implode()))
    feats = feats.join(_value_inputs(value), on="customer_id", how="left",
                       maintain_order="left")
    if value is None or feats.get_column("p_alive").null_count() == feats.height:
        feats = feats.with_columns(p_alive=_mbg_p_alive(feats))
    feats = feats.join(_lifecycle_inputs(lifecycle), on="customer_id", how="left",
                       maintain_order="left")
    feats = feats.with_columns(churn_flags(cfg))
    model = _train(days, data, cfg, as_of)
    if feats.height == 0:
        risk = np.zeros(0)
    elif model is not None:
        risk = model.predict(_matrix(feats))
    else:
        risk = _rule_risk(feats)
    feats = feats.with_columns(
        churn_risk=pl.Series(np.clip(risk, 0.0, 1.0), dtype=pl.Float64),
        model=pl.lit("logistic" if model is not None else "rules"),
    )
    feats = feats.with_columns(risk_level_expr(cfg), risk_flags_expr())
    feats = feats.with_columns(
        pl.when(pl.col("churned")).then(lost_action_expr()).otherwise(action_expr())
        .alias("recommended_action"))
    return feats.select(
        "customer_id", "churn_risk", "risk_level", "risk_flags", "recommended_action",
        "churned", *[f"flag_{f}" for f in FLAGS],
        "value_tier", "lifecycle_stage", "p_alive", "value_at_stake", "days_since_last",
        "expected_gap", "frequency_ratio", "spend_ratio", "occasions",
        pl.col("last_date").alias("last_order_date"), "model",
    ).pipe(_sorted_by_id)


def _sorted_by_id(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame.sort("customer_id")`, faster for many string ids.

    Each id's UTF-8 bytes, zero-padded, are read as big-endian 64-bit words: sorting by the
    words is byte-wise order (polars' string order) without string comparisons. Ids holding
    a NUL byte (padding would tie "a" with "a\\0"), very long ids or non-string ids take
    polars' own sort.
    """
    ids = frame.get_column("customer_id")
    if (frame.height < 2 or ids.dtype != pl.String or ids.null_count()
            or bool(ids.str.contains("\x00", literal=True).any())
            or int(ids.str.len_bytes().max() or 0) > 64):  # type: ignore[operator]
        return frame.sort("customer_id")
    fixed = ids.cast(pl.Binary).to_numpy().astype("S")
    width = -(-max(fixed.itemsize, 1) // 8) * 8
    fixed = fixed.astype(f"S{width}")
    words = fixed.view(np.uint8).reshape(len(fixed), width).view(">u8").astype(np.uint64)
    keys = pl.DataFrame({f"w{i}": words[:, i] for i in range(words.shape[1])})
    order = keys.select(pl.arg_sort_by(keys.columns)).to_series()
    return frame[order]


def _mbg_p_alive(feats: pl.DataFrame) -> pl.Series:
    """P(active) from an MBG/NBD fit (crm_logic.models) on these customers; nulls if no fit.

    Used when no value table with p_alive_mbg is given. MBG/NBD, unlike BG/NBD, lets a
    one-time buyer be gone already. It drives the low_p_alive flag only: on the store's own
    past it did not improve the classifier beyond the rhythm features.
    """
    from crm_logic import models

    x = (feats.get_column("occasions") - 1).cast(pl.Float64).to_numpy()
    t_x = (feats.get_column("tenure_days") - feats.get_column("days_since_last")).to_numpy()
    tt = feats.get_column("tenure_days").to_numpy()
    fit_rows = np.arange(len(x))
    if len(x) > _MBG_FIT_MAX_ROWS:  # population parameters: a large random sample suffices
        fit_rows = np.random.default_rng(_SEED).choice(len(x), _MBG_FIT_MAX_ROWS, replace=False)
    fit = models.fit_mbgnbd(x[fit_rows], t_x[fit_rows], tt[fit_rows]) if len(x) else None
    if fit is None:
        return pl.Series("p_alive", [None] * feats.height, dtype=pl.Float64)
    return pl.Series("p_alive", models.mbgnbd_p_alive(fit, x, t_x, tt), dtype=pl.Float64)


def _value_inputs(value: pl.DataFrame | None) -> pl.DataFrame:
    """customer_id, p_alive, value_tier from the value table (nulls when absent)."""
    schema = {"customer_id": pl.String, "p_alive": pl.Float64, "value_tier": pl.String}
    if value is None or "customer_id" not in value.columns:
        return pl.DataFrame(schema=schema)
    p_col = next((c for c in ("p_alive_mbg", "p_alive") if c in value.columns), None)
    return value.select(
        pl.col("customer_id").cast(pl.String),
        (pl.col(p_col) if p_col else pl.lit(None)).cast(pl.Float64).alias("p_alive"),
        (pl.col("value_tier") if "value_tier" in value.columns else pl.lit(None))
        .cast(pl.String).alias("value_tier"),
    ).unique("customer_id", keep="first")


def _lifecycle_inputs(lifecycle: pl.DataFrame | None) -> pl.DataFrame:
    """customer_id, lifecycle_stage from the lifecycle table (empty when absent)."""
    schema = {"customer_id": pl.String, "lifecycle_stage": pl.String}
    if lifecycle is None or "lifecycle_stage" not in lifecycle.columns:
        return pl.DataFrame(schema=schema)
    return lifecycle.select(
        pl.col("customer_id").cast(pl.String), pl.col("lifecycle_stage").cast(pl.String)
    ).unique("customer_id", keep="first")


def at_risk_counts(scores: pl.DataFrame) -> dict[str, int]:
    """{high, medium, low}: customer counts for `report.at_risk`."""
    got = dict(scores.group_by("risk_level").len().iter_rows())
    return {lvl: int(got.get(lvl, 0)) for lvl in RISK_LEVELS}


def big_customers_first(scores: pl.DataFrame) -> pl.DataFrame:
    """Platinum and gold at high risk lead; then risk level, expected loss, risk.

    Adds expected_loss = churn_risk x value_at_stake (what the company should expect to lose).
    """
    big = (pl.col("value_tier").is_in(list(BIG_TIERS)) & (pl.col("risk_level") == "high"))
    level_rank = pl.col("risk_level").replace_strict(
        {lvl: i for i, lvl in enumerate(RISK_LEVELS)}, default=len(RISK_LEVELS),
        return_dtype=pl.Int64,
    )
    tier_rank = pl.col("value_tier").replace_strict(
        {t: i for i, t in enumerate(TIERS)}, default=len(TIERS), return_dtype=pl.Int64
    )
    return (
        scores.with_columns(
            expected_loss=pl.col("churn_risk") * pl.col("value_at_stake").fill_null(0.0),
            _big=big.fill_null(False), _level=level_rank, _tier=tier_rank,
        )
        .sort(["_big", "_level", "_tier", "expected_loss", "customer_id"],
              descending=[True, False, False, True, False])
        .drop("_big", "_level", "_tier")
    )


# --- lost customers: churn rate over time, churn causes ------------------------------------


def lost_customers(
    data: CrmData, cfg: CrmConfig, as_of: dt.date, lifecycle: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Customers lost on `as_of`, with when, why and what they were worth.

    Who and when: the lifecycle's one rule (`lifecycle` churned, churn_date, churn_source
    when given, else `crm_logic.lost.lost_at`). churn_reason/churn_type come from the
    customer record only when its churn_date is on or before as_of ("unknown" = not
    recorded). Columns: customer_id, churn_date, churn_source (recorded|inactivity),
    churn_reason, churn_type, first_date, last_date, lost_value (yearly spend before leaving).
    """
    occ = occasions.table(data, as_of)
    feats = _order_features_at(purchase_days_of(occ, as_of), cfg, as_of).select(
        "customer_id", "first_date", "last_date")
    recorded = _recorded_churn(data.customers, as_of).collect()
    rule = (lost_of(lifecycle) if lifecycle is not None
            and {"churned", "churn_date"} <= set(lifecycle.columns)
            else lost_at(occ, data.customers, cfg, as_of))
    lost = rule.filter(pl.col("churned")).select(
        "customer_id", "churn_date",
        pl.col("churn_source").fill_null("inactivity"))
    lost = lost.join(feats, on="customer_id", how="left")
    lost = lost.join(recorded.select("customer_id", "churn_reason", "churn_type"),
                     on="customer_id", how="left")
    lost = lost.with_columns(
        pl.when(pl.col("churn_reason").is_in(list(CHURN_REASONS)))
        .then(pl.col("churn_reason")).otherwise(pl.lit(UNKNOWN)).alias("churn_reason"),
        pl.when(pl.col("churn_type").is_in(list(CHURN_TYPES)))
        .then(pl.col("churn_type")).otherwise(pl.lit(UNKNOWN)).alias("churn_type"),
    )
    value = _lost_value(occ, cfg, lost)
    return (
        lost.join(value, on="customer_id", how="left")
        .with_columns(pl.col("lost_value").fill_null(0.0))
        .sort("customer_id")
    )


def _lost_value(occ: pl.DataFrame, cfg: CrmConfig, lost: pl.DataFrame) -> pl.DataFrame:
    """Net spend from `horizon_days` before the last purchase on (refunds after it
    included): the yearly value lost."""
    horizon = float(cfg.horizon_days)
    ends = lost.select("customer_id", pl.coalesce("last_date", "churn_date").alias("_end"))
    return (
        occ.lazy()
        .join(ends.lazy(), on="customer_id")
        .filter(_days(pl.col("_end"), pl.col("day")) < horizon)
        .group_by("customer_id")
        .agg(pl.col("revenue").sum().clip(lower_bound=0.0).alias("lost_value"))
        .collect()
    )


def _tier_of(tiers: pl.DataFrame | None) -> pl.DataFrame:
    schema = {"customer_id": pl.String, "value_tier": pl.String}
    if tiers is None or "value_tier" not in tiers.columns:
        return pl.DataFrame(schema=schema)
    return tiers.select(pl.col("customer_id").cast(pl.String),
                        pl.col("value_tier").cast(pl.String)).unique("customer_id")


def churn_rate_by_month(
    data: CrmData,
    cfg: CrmConfig,
    as_of: dt.date,
    tiers: pl.DataFrame | None = None,
    lifecycle: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Monthly churn rate, overall ("all") and per value tier, against the acceptable range.

    churn_rate = customers lost in the month among those active at its start (first
    purchase before the month, not lost before it) / customers active at its start, so never
    above 100%. Customers whose first purchase and loss fall in the same month are counted
    apart (`churned_new`): they were never active at a month's start. Who is lost and when:
    the lifecycle's rule (`lost_customers`). `provisional`: the month ends less than
    churn_gap_floor_days before as_of, so customers who left then may not be recognised yet
    (their rate can still rise). Columns: month (first day), value_tier, active_start,
    churned, churn_rate, above_max, below_min, provisional, churned_new.
    """
    schema = {"month": pl.Date, "value_tier": pl.String, "active_start": pl.Int64,
              "churned": pl.Int64, "churn_rate": pl.Float64, "above_max": pl.Boolean,
              "below_min": pl.Boolean, "provisional": pl.Boolean, "churned_new": pl.Int64}
    feats = data_features(data, cfg, as_of).select("customer_id", "first_date")
    if feats.height == 0:
        return pl.DataFrame(schema=schema)
    lost = lost_customers(data, cfg, as_of, lifecycle).select("customer_id", "churn_date")
    cust = (
        feats.join(lost, on="customer_id", how="left")
        .join(_tier_of(tiers), on="customer_id", how="left")
        .with_columns(pl.col("value_tier").fill_null(UNKNOWN))
    )
    cust = pl.concat([cust, cust.with_columns(value_tier=pl.lit("all"))])
    first_month = feats.get_column("first_date").min()
    months = pl.date_range(
        first_month.replace(day=1), as_of.replace(day=1), interval="1mo", eager=True
    ).alias("month")
    groups = cust.select("value_tier").unique()
    grid = groups.join(months.to_frame(), how="cross")
    starts = cust.group_by("value_tier", pl.col("first_date").dt.truncate("1mo").alias("month")
                           ).agg(pl.len().alias("_new"))
    same_month = (pl.col("churn_date").dt.truncate("1mo")
                  == pl.col("first_date").dt.truncate("1mo"))
    ends = cust.filter(pl.col("churn_date").is_not_null()).group_by(
        "value_tier", pl.col("churn_date").dt.truncate("1mo").alias("month")
    ).agg((~same_month).sum().alias("churned"), same_month.sum().alias("churned_new"))
    out = (
        grid.join(starts, on=["value_tier", "month"], how="left")
        .join(ends, on=["value_tier", "month"], how="left")
        .with_columns(pl.col("_new", "churned", "churned_new").fill_null(0).cast(pl.Int64))
        .sort("value_tier", "month")
        .with_columns(_gone=pl.col("churned") + pl.col("churned_new"))
        .with_columns(
            active_start=(
                pl.col("_new").cum_sum() - pl.col("_new")
                - (pl.col("_gone").cum_sum() - pl.col("_gone"))
            ).over("value_tier")
        )
    )
    month_end = pl.col("month").dt.offset_by("1mo").dt.offset_by("-1d")
    detect_from = as_of - dt.timedelta(days=int(cfg.churn_gap_floor_days))
    rate = pl.when(pl.col("active_start") > 0).then(
        pl.col("churned") / pl.col("active_start")
    )
    return out.with_columns(churn_rate=rate).with_columns(
        above_max=(pl.col("churn_rate") > float(cfg.churn_rate_acceptable_max)).fill_null(False),
        below_min=(pl.col("churn_rate") < float(cfg.churn_rate_acceptable_min)).fill_null(False),
        provisional=month_end > pl.lit(detect_from, dtype=pl.Date),
    ).select(list(schema)).cast(schema)  # type: ignore[arg-type]


def churn_alerts(rates: pl.DataFrame, tier: str = "all") -> pl.DataFrame:
    """Months (not provisional) whose churn rate left the acceptable range, latest first."""
    return rates.filter(
        pl.col("value_tier") == tier, ~pl.col("provisional"),
        pl.col("above_max") | pl.col("below_min"),
    ).sort("month", descending=True)


def churn_causes(
    lost: pl.DataFrame,
    tiers: pl.DataFrame | None = None,
    lifecycle: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Lost customers by cause, churn type, value tier and life-curve pattern.

    `lost` is `lost_customers(...)`. Missing tier or pattern is "unknown"; a cause or type
    not recorded is "unknown" ("not recorded" on the page). Columns: churn_reason,
    churn_type, value_tier, lifecycle_pattern, customers, lost_value; sorted by lost_value.
    """
    pattern = pl.DataFrame(schema={"customer_id": pl.String, "lifecycle_pattern": pl.String})
    if lifecycle is not None and "lifecycle_pattern" in lifecycle.columns:
        pattern = lifecycle.select(pl.col("customer_id").cast(pl.String),
                                   pl.col("lifecycle_pattern").cast(pl.String))
    keys = ["churn_reason", "churn_type", "value_tier", "lifecycle_pattern"]
    return (
        lost.join(_tier_of(tiers), on="customer_id", how="left")
        .join(pattern.unique("customer_id"), on="customer_id", how="left")
        .with_columns(pl.col("value_tier", "lifecycle_pattern").fill_null(UNKNOWN))
        .group_by(keys)
        .agg(customers=pl.len().cast(pl.Int64), lost_value=pl.col("lost_value").sum())
        .sort(["lost_value", *keys], descending=[True, False, False, False, False])
    )


def causes_by(causes: pl.DataFrame, column: str) -> pl.DataFrame:
    """`churn_causes` summed over one dimension (every known code listed, zeros included)."""
    codes = {
        "churn_reason": (*CHURN_REASONS, UNKNOWN),
        "churn_type": (*CHURN_TYPES, UNKNOWN),
        "value_tier": (*TIERS, UNKNOWN),
        "lifecycle_pattern": (*PATTERNS, UNKNOWN),
    }[column]
    summed = causes.group_by(column).agg(pl.col("customers").sum(), pl.col("lost_value").sum())
    full = pl.DataFrame({column: list(codes)}).join(summed, on=column, how="left")
    return full.with_columns(pl.col("customers").fill_null(0).cast(pl.Int64),
                             pl.col("lost_value").fill_null(0.0))


# --- retention what-if ---------------------------------------------------------------------


@dataclass(frozen=True)
class WhatIf:
    """A retention campaign's expected result."""

    contacted: int  # customers in the target group
    expected_churners: float  # sum of churn_risk in the group
    saved: float  # expected customers kept = save_rate x expected churners
    value_saved: float  # save_rate x sum(churn_risk x value_at_stake)
    cost: float  # contacted x cost_per_contact
    net: float  # value_saved - cost
    roi: float | None  # net / cost (None when the campaign costs nothing)


def retention_whatif(
    scores: pl.DataFrame,
    risk_levels: list[str] | None = None,
    tiers: list[str] | None = None,
    stages: list[str] | None = None,
    cost_per_contact: float = 20.0,
    save_rate: float = 0.2,
) -> WhatIf:
    """Contact a target group (risk level x tier x stage; None or empty = all) and keep
    `save_rate` of those who would otherwise leave. `scores` is `churn_scores(...)`.
    """
    group = scores
    for col, chosen in (("risk_level", risk_levels), ("value_tier", tiers),
                        ("lifecycle_stage", stages)):
        if chosen:
            group = group.filter(pl.col(col).is_in(list(chosen)))
    n = group.height
    churners = float(group.get_column("churn_risk").sum()) if n else 0.0
    at_stake = (
        float((group.get_column("churn_risk") * group.get_column("value_at_stake").fill_null(0.0))
              .sum()) if n else 0.0
    )
    cost = n * float(cost_per_contact)
    value_saved = float(save_rate) * at_stake
    net = value_saved - cost
    return WhatIf(n, churners, float(save_rate) * churners, value_saved, cost, net,
                  net / cost if cost > 0 else None)


# --- backtest ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BacktestResult:
    """How well the warning, run at a past cut-off, foresaw who stopped buying."""

    cutoff: dt.date
    horizon_days: int
    customers: int  # scored at the cut-off
    lost: int  # of them, no purchase within the horizon
    base_rate: float  # lost / customers
    auc: float  # ROC AUC of churn_risk
    auc_recency: float  # ROC AUC of days since the last purchase (the simple baseline)
    high: int  # flagged high at the cut-off
    precision_high: float  # share of "high" that were lost
    recall_high: float  # share of the lost that were flagged "high"
    complete: bool  # the data reaches cutoff + horizon (otherwise truth is cut short)
    lift: pl.DataFrame  # decile, customers, lost, lost_rate, lift, cum_share_lost


def backtest(
    data: CrmData, cfg: CrmConfig, cutoff: dt.date, horizon_days: int | None = None
) -> BacktestResult:
    """Score with data up to `cutoff`, compare with purchases in the following horizon.

    Truth: the customer made no purchase in (cutoff, cutoff + horizon_days]. The scoring
    reads nothing after the cut-off (`churn_scores` cuts every table at its as_of). As on
    the at-risk list, customers already lost at the cut-off (the lifecycle's one rule,
    `crm_logic.lost`) are left out: the test is on those that could be kept.
    """
    horizon = int(horizon_days if horizon_days is not None else cfg.backtest_horizon_days)
    end = cutoff + dt.timedelta(days=horizon)
    occ = occasions.table(data, end)
    scores = churn_scores(data, cfg, cutoff).filter(~pl.col("churned"))
    bought = (
        occ.filter(pl.col("day") > cutoff, pl.col("is_purchase"))
        .select("customer_id").unique().with_columns(_bought=pl.lit(True))
    )
    scored = scores.join(bought, on="customer_id", how="left").with_columns(
        lost=pl.col("_bought").is_null()
    )
    y = scored.get_column("lost").to_numpy()
    high = scored.get_column("risk_level").to_numpy() == "high"
    n_lost = int(y.sum())
    latest = occasions.table(data, occasions.ALL_DAYS).get_column("day").max()
    return BacktestResult(
        cutoff=cutoff,
        horizon_days=horizon,
        customers=scored.height,
        lost=n_lost,
        base_rate=n_lost / scored.height if scored.height else float("nan"),
        auc=roc_auc(y, scored.get_column("churn_risk").to_numpy()),
        auc_recency=roc_auc(y, scored.get_column("days_since_last").to_numpy()),
        high=int(high.sum()),
        precision_high=float(y[high].mean()) if high.any() else float("nan"),
        recall_high=float(high[y].mean()) if n_lost else float("nan"),
        complete=isinstance(latest, dt.date) and latest >= end,
        lift=lift_table(y, scored.get_column("churn_risk").to_numpy()),
    )


def lift_table(y_true: np.ndarray, score: np.ndarray, groups: int = 10) -> pl.DataFrame:
    """Customers in `groups` equal bands by score, riskiest first: how many were lost.

    Columns: decile (1 = riskiest), customers, lost, lost_rate, lift (lost_rate / overall),
    cum_share_lost (share of all lost customers found down to this band).
    """
    n = len(score)
    schema = {"decile": pl.Int64, "customers": pl.Int64, "lost": pl.Int64,
              "lost_rate": pl.Float64, "lift": pl.Float64, "cum_share_lost": pl.Float64}
    if n == 0:
        return pl.DataFrame(schema=schema)
    order = np.argsort(-np.asarray(score, dtype=np.float64), kind="mergesort")
    band = np.empty(n, dtype=np.int64)
    band[order] = np.arange(n) * groups // n + 1
    frame = pl.DataFrame({"decile": band, "lost": np.asarray(y_true, dtype=np.int64)})
    total = max(int(frame.get_column("lost").sum()), 1)
    overall = frame.get_column("lost").mean() or float("nan")
    return (
        frame.group_by("decile").agg(customers=pl.len().cast(pl.Int64),
                                     lost=pl.col("lost").sum().cast(pl.Int64))
        .sort("decile")
        .with_columns(lost_rate=pl.col("lost") / pl.col("customers"))
        .with_columns(lift=pl.col("lost_rate") / overall,
                      cum_share_lost=pl.col("lost").cum_sum() / total)
        .cast(schema)  # type: ignore[arg-type]
    )


# --- readable texts ------------------------------------------------------------------------


def flags_text(flags: list[str] | None, lang: str = "en") -> str:
    """Flag codes as readable text in `lang`, joined with "; " (Chinese: "；")."""
    sep = "；" if lang == "zh" else "; "
    return sep.join(t(f"churn.flag.{f}", lang) for f in (flags or []))


def readable_flags_expr(lang: str = "en", col: str = "risk_flags") -> pl.Expr:
    """The List[String] flag codes in `col` as one readable String (for lists and CSV)."""
    mapping = {f: t(f"churn.flag.{f}", lang) for f in FLAGS}
    sep = "；" if lang == "zh" else "; "
    return (
        pl.col(col).list.eval(pl.element().replace_strict(mapping, default=pl.element()))
        .list.join(sep).alias(col)
    )


def action_text_expr(lang: str = "en", col: str = "recommended_action") -> pl.Expr:
    """The action code in `col` as the domain strategy's text in `lang`."""
    mapping = {a: t(f"churn.action.{a}", lang) for a in ACTIONS}
    return pl.col(col).replace_strict(mapping, default=pl.col(col)).alias(col)


def flag_explanations(cfg: CrmConfig, lang: str = "en") -> list[tuple[str, str]]:
    """(flag label, one sentence with the current thresholds) for every flag."""
    params = {
        "inactive": {"m": cfg.inactive_gap_multiple},
        "frequency_drop": {"w": cfg.recent_window_days, "s": cfg.frequency_drop_share},
        "spend_drop": {"w": cfg.recent_window_days, "s": cfg.spend_drop_share},
        "complaint_open": {},
        "complaint_late": {"d": cfg.sla_days},
        "complaint_repeat": {"n": cfg.repeat_complaints_min, "w": cfg.recent_window_days},
        "low_p_alive": {"p": cfg.p_alive_low},
        "decline": {},
    }
    return [(t(f"churn.flag.{f}", lang), t(f"churn.explain.{f}", lang, **params[f]))
            for f in FLAGS]
