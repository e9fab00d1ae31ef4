"""BG/NBD (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way: An Alternative
to the Pareto/NBD Model", Marketing Science 24(2)): purchases at a Gamma-distributed Poisson
rate until a Beta-distributed dropout after some purchase. The MBG/NBD variant
(`crm_logic.value.mbgnbd`) shares this module's maths with one shift (k = 1).

Inputs are per-customer arrays in one time unit (the product uses DAYS):
- `frequency` x: repeat purchase occasions (occasions - 1),
- `recency` t_x: time from the first to the last occasion,
- `T`: time from the first occasion to the as-of date.
Feeds `p_alive`, `expected_purchases` and, with the spend model, `predicted_value`.
Fits never raise on thin data: None, or a fit with `converged=False` and a warning.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.special import digamma, gammaln, hyp2f1

from crm_logic.value.optimise import (
    MIN_CUSTOMERS,
    STATUS_TEXT,
    ArrayLike,
    arrays,
    compress,
    covariance,
    dot,
    factorize,
    minimise,
    warm_start,
)

MIN_REPEATERS = 2  # fewer repeat buyers than this: no purchase model


@dataclass(frozen=True)
class BgNbdFit:
    """Fitted BG/NBD (or MBG/NBD when `model == "mbgnbd"`) parameters; time in `time_unit`.
    `cov`: covariance of log(r, alpha, a, b) from the Hessian (None at a limit)."""

    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float
    n: int
    converged: bool
    model: str = "bgnbd"
    time_unit: str = "day"
    warnings: tuple[str, ...] = field(default_factory=tuple)
    status: str = "ok"  # "ok" | "stopped" (optimiser gave up) | "limit" (not identified)
    cov: tuple[tuple[float, ...], ...] | None = None

    def as_dict(self) -> dict[str, object]:
        """The report's `churn_model` keys."""
        return {"model": self.model, "time_unit": self.time_unit, "r": self.r,
                "alpha": self.alpha, "a": self.a, "b": self.b,
                "log_likelihood": self.log_likelihood}

    def log_params(self) -> np.ndarray:
        """log(r, alpha, a, b)."""
        return np.log([self.r, self.alpha, self.a, self.b])

    def with_log_params(self, theta: np.ndarray) -> BgNbdFit:
        """The same model at other parameters (for the delta method)."""
        r, alpha, a, b = (float(v) for v in np.exp(theta))
        return BgNbdFit(r=r, alpha=alpha, a=a, b=b, log_likelihood=math.nan, n=self.n,
                        converged=self.converged, model=self.model, time_unit=self.time_unit)


def _bg_terms(
    params: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray, mbg: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Per-customer log-likelihood and its gradient w.r.t. the log-parameters (4 x n).

    LL = A1 + A2 + logaddexp(A3, A4), with (k = 1 for MBG/NBD, 0 for BG/NBD)
    A1 = lnG(r+x) - lnG(r) + r ln(alpha)
    A2 = lnB(a, b+x+k) - lnB(a, b)
    A3 = -(r+x) ln(alpha+T)
    A4 = ln a - ln(b+x-1+k) - (r+x) ln(alpha+t_x)   (BG/NBD: only for x > 0)
    """
    r, alpha, a, b = np.exp(params)
    k = 1.0 if mbg else 0.0
    rx = r + x
    ab = a + b
    log_at = np.log(alpha + T)
    log_atx = np.log(alpha + t_x)
    a1 = gammaln(rx) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(ab) + gammaln(b + x + k) - gammaln(b) - gammaln(ab + x + k)
    a3 = -rx * log_at
    has4 = np.ones_like(x, dtype=bool) if mbg else x > 0
    denom = np.where(has4, b + x - 1.0 + k, 1.0)
    a4 = np.where(has4, np.log(a) - np.log(denom) - rx * log_atx, -np.inf)
    lse = np.logaddexp(a3, a4)
    s3 = np.exp(a3 - lse)
    s4 = np.exp(a4 - lse)
    ll = a1 + a2 + lse
    d_r = digamma(rx) - digamma(r) + np.log(alpha) - s3 * log_at - s4 * log_atx
    d_alpha = r / alpha - s3 * rx / (alpha + T) - s4 * rx / (alpha + t_x)
    d_a = digamma(ab) - digamma(ab + x + k) + s4 / a
    d_b = (digamma(ab) + digamma(b + x + k) - digamma(b) - digamma(ab + x + k)
           - np.where(has4, s4 / denom, 0.0))
    grad = np.vstack([d_r * r, d_alpha * alpha, d_a * a, d_b * b])
    return ll, grad


class _BgObjective:
    """Mean negative log-likelihood of BG/NBD or MBG/NBD and its gradient, fast.

    Same maths as `_bg_terms`, arranged for speed on large data:
    - customers with the same (x, t_x, T) are one row with a weight;
    - the special functions (gammaln, digamma) depend on x only: evaluated once per distinct
      x and summed with per-x weights;
    - log(alpha+T) and log(alpha+t_x) once per distinct T and t_x (day counts: a few hundred
      values) and gathered;
    - one-time buyers (x = 0, t_x = 0) depend on T only: collapsed to per-T weights, so the
      row-wise work runs over repeat buyers alone.
    """

    def __init__(self, x: np.ndarray, t_x: np.ndarray, tt: np.ndarray, mbg: bool,
                 scale: float = 1.0) -> None:
        (ux, utx, uT), w, _ = compress(x, t_x, tt)
        self.mbg = mbg
        self.k = 1.0 if mbg else 0.0
        self.total = float(w.sum())
        self.xu, ix = factorize(ux)
        self.wx = np.bincount(ix, weights=w)  # total weight per distinct x
        self.Tu, iT = factorize(uT)
        self.Tu = self.Tu / scale  # times in units of `scale`
        once = (ux == 0) & (utx == 0)
        self.w0 = np.bincount(iT[once], weights=w[once], minlength=self.Tu.size)
        rest = ~once
        self.w = w[rest]
        self.x = ux[rest]
        self.iT = iT[rest]
        self.txu, self.itx = factorize(utx[rest])
        self.txu = self.txu / scale
        self.ixr = ix[rest]  # index of each row's x among the distinct x
        self.has4 = np.ones_like(self.x, dtype=bool) if mbg else self.x > 0
        self.w4 = np.where(self.has4, self.w, 0.0)

    def __call__(self, theta: np.ndarray) -> tuple[float, np.ndarray]:
        r, alpha, a, b = np.exp(theta)
        k, xu, wx = self.k, self.xu, self.wx
        ab = a + b
        # x-only terms, per distinct x, weighted
        a1 = gammaln(r + xu) - gammaln(r) + r * np.log(alpha)
        a2 = gammaln(ab) + gammaln(b + xu + k) - gammaln(b) - gammaln(ab + xu + k)
        ll = dot(wx, (a1 + a2))
        g_r = dot(wx, (digamma(r + xu) - digamma(r) + np.log(alpha)))
        g_alpha = r / alpha * self.total
        g_a = dot(wx, (digamma(ab) - digamma(ab + xu + k)))
        g_b = dot(wx, (digamma(ab) + digamma(b + xu + k) - digamma(b) - digamma(ab + xu + k)))
        log_at_u = np.log(alpha + self.Tu)
        inv_at_u = 1.0 / (alpha + self.Tu)
        # one-time buyers, per distinct T
        w0 = self.w0
        if self.mbg:  # A4 = ln a - ln b - r ln(alpha): the same for every one-time buyer
            a3 = -r * log_at_u
            a4 = np.log(a) - np.log(b) - r * np.log(alpha)
            lse = np.logaddexp(a3, a4)
            s3, s4 = np.exp(a3 - lse), np.exp(a4 - lse)
            ll += dot(w0, lse)
            g_r -= dot(w0, (s3 * log_at_u + s4 * np.log(alpha)))
            g_alpha -= r * dot(w0, (s3 * inv_at_u + s4 / alpha))
            g_a += dot(w0, s4) / a
            g_b -= dot(w0, s4) / b
        else:  # A4 absent: LL part = -r ln(alpha+T)
            ll -= r * dot(w0, log_at_u)
            g_r -= dot(w0, log_at_u)
            g_alpha -= r * dot(w0, inv_at_u)
        # everybody else, row by row (two transcendental functions per row)
        if self.x.size:
            rx = r + self.x
            log_at = log_at_u[self.iT]
            inv_at = inv_at_u[self.iT]
            log_atx = np.log(alpha + self.txu)[self.itx]
            inv_atx = (1.0 / (alpha + self.txu))[self.itx]
            log_den_u = np.log(b + xu - 1.0 + k) if k else np.log(np.maximum(b + xu - 1.0, b))
            log_den = log_den_u[self.ixr]
            inv_den = np.exp(-log_den_u)[self.ixr]
            a3 = -rx * log_at
            # d = A4 - A3; the two weights s3 + s4 = 1 and LL term = logaddexp(A3, A4)
            d = np.where(self.has4, np.log(a) - log_den + rx * (log_at - log_atx), -np.inf)
            e = np.exp(-np.abs(d))
            inv1 = 1.0 / (1.0 + e)
            pos = d > 0
            s4 = np.where(pos, inv1, e * inv1)
            s3 = np.where(pos, e * inv1, inv1)
            lse = np.where(pos, a3 + d, a3) + np.log1p(e)
            w = self.w
            ll += dot(w, lse)
            g_r -= dot(w, s3 * log_at + s4 * log_atx)
            g_alpha -= dot(w, rx * (s3 * inv_at + s4 * inv_atx))
            g_a += dot(w, s4) / a
            g_b -= dot(self.w4, s4 * inv_den)
        grad = np.array([g_r * r, g_alpha * alpha, g_a * a, g_b * b])
        return -ll / self.total, -grad / self.total




def bgnbd_log_likelihood(
    fit: BgNbdFit, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike,
) -> np.ndarray:
    """Per-customer log-likelihood under a fitted BG/NBD or MBG/NBD model."""
    x, t_x, tt = arrays(frequency, recency, T)
    params = np.log([fit.r, fit.alpha, fit.a, fit.b])
    return _bg_terms(params, x, t_x, tt, fit.model == "mbgnbd")[0]


def fit_bg(
    frequency: ArrayLike, recency: ArrayLike, T: ArrayLike, mbg: bool, time_unit: str,
) -> BgNbdFit | None:
    """BG/NBD (mbg=False) or MBG/NBD (mbg=True) by maximum likelihood."""
    model = "mbgnbd" if mbg else "bgnbd"
    name = "MBG/NBD" if mbg else "BG/NBD"
    x, t_x, tt = arrays(frequency, recency, T)
    ok_rows = np.isfinite(x) & np.isfinite(t_x) & np.isfinite(tt) & (x >= 0) & (t_x >= 0)
    ok_rows &= (tt >= t_x) & (tt > 0)
    x, t_x, tt = x[ok_rows], t_x[ok_rows], tt[ok_rows]
    n = int(x.size)
    repeaters = int((x > 0).sum())
    if n < MIN_CUSTOMERS or repeaters < MIN_REPEATERS:
        return None
    scale = float(tt.mean())  # fit in units of the mean T: alpha near 1 whatever the unit
    rate = max(float(x.mean()), 1e-3)  # purchases per mean T

    def make(i: np.ndarray) -> _BgObjective:
        return _BgObjective(x[i], t_x[i], tt[i], mbg, scale)

    x0 = warm_start(make, n, np.log([1.0, 1.0 / rate, 1.0, 1.0]))
    objective = _BgObjective(x, t_x, tt, mbg, scale)
    theta, ok, status, h = minimise(objective, x0, n=n)
    r, alpha, a, b = (float(v) for v in np.exp(theta))
    alpha *= scale
    # back to the data's time unit: scaling time by s shifts each customer's LL by x ln s
    ll = float(-objective(theta)[0] * objective.total - math.log(scale) * float(x.sum()))
    warnings: tuple[str, ...] = () if ok else (f"{name}: {STATUS_TEXT[status]}",)
    return BgNbdFit(r=r, alpha=alpha, a=a, b=b, log_likelihood=ll, n=n, converged=ok,
                    model=model, time_unit=time_unit, warnings=warnings, status=status,
                    cov=covariance(h, n))


def fit_bgnbd(
    frequency: ArrayLike, recency: ArrayLike, T: ArrayLike, time_unit: str = "day",
) -> BgNbdFit | None:
    """Maximum-likelihood BG/NBD; None when there are too few customers or repeat buyers."""
    return fit_bg(frequency, recency, T, mbg=False, time_unit=time_unit)


def _log_odds_dead(fit: BgNbdFit, x: np.ndarray, t_x: np.ndarray, tt: np.ndarray) -> np.ndarray:
    """log of the odds term in P(alive) = 1 / (1 + exp(term))."""
    k = 1.0 if fit.model == "mbgnbd" else 0.0
    has = np.ones_like(x, dtype=bool) if k else x > 0
    denom = np.where(has, fit.b + x - 1.0 + k, 1.0)
    term = (np.log(fit.a) - np.log(denom)
            + (fit.r + x) * (np.log(fit.alpha + tt) - np.log(fit.alpha + t_x)))
    return np.where(has, term, -np.inf)


def bgnbd_p_alive(fit: BgNbdFit, frequency: ArrayLike, recency: ArrayLike,
                  T: ArrayLike) -> np.ndarray:
    """P(customer still active at T | x, t_x, T); BG/NBD gives 1 to every one-time buyer."""
    x, t_x, tt = arrays(frequency, recency, T)
    return np.exp(-np.logaddexp(0.0, _log_odds_dead(fit, x, t_x, tt)))


def bgnbd_expected_purchases(
    fit: BgNbdFit, t: ArrayLike, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike,
) -> np.ndarray:
    """Expected purchases in (T, T+t] given the history (works for BG/NBD and MBG/NBD).

    The Gauss hypergeometric term is taken after Euler's transformation,
    (1-z)^(r+x) 2F1(r+x, b+x+k; c; z) = (1-z)^(a-1) 2F1(a+b-1+k-r, a-1; c; z), c = a+b+x-1+k,
    whose parameters stay small for heavy buyers (no overflow, no 0 * inf).
    """
    x, t_x, tt = arrays(frequency, recency, T)
    t_arr = np.asarray(t, dtype=np.float64)
    r, alpha, b = fit.r, fit.alpha, fit.b
    a = fit.a if abs(fit.a - 1.0) > 1e-7 else 1.0 + 1e-7  # removable singularity at a = 1
    k = 1.0 if fit.model == "mbgnbd" else 0.0

    def tail_of(x: np.ndarray, tt: np.ndarray) -> np.ndarray:
        one_minus_z = (alpha + tt) / (alpha + tt + t_arr)
        h = hyp2f1(a + b - 1.0 + k - r, a - 1.0, a + b + x - 1.0 + k, 1.0 - one_minus_z)
        ok = np.isfinite(h)
        return np.where(ok, np.power(one_minus_z, a - 1.0) * np.where(ok, h, 0.0), np.nan)

    if t_arr.ndim == 0 and x.size > 1000:
        # 2F1 depends on (x, T) alone: once per distinct pair (day counts: ~10^4 pairs for
        # 2x10^5 customers), the costly part of this function
        tail = np.empty_like(x)
        known = np.isfinite(x) & np.isfinite(tt)  # NaN rows (no purchase) straight through
        (ux, uT), _, pair = compress(x[known], tt[known])
        tail[known] = tail_of(ux, uT)[pair]
        tail[~known] = tail_of(x[~known], tt[~known])
    else:
        tail = tail_of(x, tt)
    c = a + b + x - 1.0 + k
    head = c / (a - 1.0)
    p_alive = bgnbd_p_alive(fit, x, t_x, tt)
    out = head * (1.0 - tail) * p_alive
    # Far outside the usual range (a fit at its bounds) 2F1 can fail; there the no-dropout
    # limit, alive x posterior mean rate x t, stands in (an upper bound, never NaN).
    limit = p_alive * (r + x) / (alpha + tt) * t_arr
    return np.maximum(np.where(np.isfinite(out), out, limit), 0.0)


def bgnbd_unconditional_expected(fit: BgNbdFit, t: ArrayLike) -> np.ndarray:
    """E[X(t)] for a new customer (BG/NBD): purchases in (0, t] after the first one."""
    t_arr = np.asarray(t, dtype=np.float64)
    r, alpha, a, b = fit.r, fit.alpha, fit.a, fit.b
    a = a if abs(a - 1.0) > 1e-7 else 1.0 + 1e-7
    z = t_arr / (alpha + t_arr)
    return (a + b - 1.0) / (a - 1.0) * (
        1.0 - np.power(alpha / (alpha + t_arr), r) * hyp2f1(r, b, a + b - 1.0, z)
    )


def discounted_expected_purchases(
    fit: BgNbdFit, horizon: float, yearly_rate: float, frequency: ArrayLike,
    recency: ArrayLike, T: ArrayLike, step: float = 365.25 / 12, year: float = 365.25,
) -> np.ndarray:
    """Expected purchases over (T, T+horizon], each step discounted at its midpoint.

    The horizon is cut into steps of about a month (`step`, same time unit as T);
    a purchase expected in a step is worth (1+yearly_rate)^-(mid/year) today.
    """
    x, t_x, tt = arrays(frequency, recency, T)
    if horizon <= 0 or x.size == 0:
        return np.zeros_like(x)
    n_steps = max(1, math.ceil(horizon / step - 1e-9))
    edges = np.linspace(0.0, horizon, n_steps + 1)
    # unique histories only: the hypergeometric function is the expensive part
    (ux, utx, uT), _, idx = compress(x, t_x, tt)
    cum = np.column_stack([
        bgnbd_expected_purchases(fit, e, ux, utx, uT) if e > 0 else np.zeros_like(ux)
        for e in edges
    ])
    mids = (edges[:-1] + edges[1:]) / 2.0
    factors = np.power(1.0 + yearly_rate, -mids / year)
    return np.einsum("ij,j->i", np.diff(cum, axis=1), factors)[idx]


