"""Customer-base models: BG/NBD, MBG/NBD and Gamma-Gamma, fitted by maximum likelihood.

Written here (not lifetimes, which is unmaintained; not PyMC-Marketing, too heavy for an
interactive page): vectorised NumPy/SciPy, log-space (`gammaln`, `betaln`, `logaddexp`),
analytic gradients, customers with identical (frequency, recency, T) fitted once with a weight.
Inputs are per-customer arrays in one time unit (the product uses DAYS):
- `frequency` x: repeat purchase occasions (occasions - 1),
- `recency` t_x: time from the first to the last occasion,
- `T`: time from the first occasion to the as-of date,
- `monetary` m: mean value of the repeat occasions (first purchase excluded).

Which model feeds what (see also `crm_logic.segmentation`):
- BG/NBD (Fader, Hardie & Lee 2005) -> `p_alive`, `expected_purchases` over the horizon and,
  with the spend model, `predicted_value` (the value pyramid). The report's `churn_model`.
- MBG/NBD (Batislam, Denizel & Filiztekin 2007) -> `p_alive_mbg`, the churn early warning's
  P(alive) signal (`low_p_alive`). BG/NBD calls every one-time buyer alive (P = 1 when
  x = 0); MBG/NBD lets a customer drop out right after the first purchase too, so a
  one-time buyer who has been silent for long gets a low P(alive).
- Gamma-Gamma (Fader, Hardie & Lee 2005, "RFM and CLV") -> `expected_spend` per occasion.
  Needs positive monetary values: customers with no repeat occasion or a mean repeat value
  <= 0 (refunds) are left out of the fit and get the population mean spend.

Fits never raise on thin data: they return a fit with `converged=False` or None plus a
plain-language warning string; callers show the warning.
scipy.optimize is imported inside the fit functions (it costs ~0.9 s at import).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import polars as pl
from scipy.special import digamma, gammaln, hyp2f1

ArrayLike = np.ndarray | float

# log-parameters are kept within +-12 (times and money scaled to the data's own mean first):
# a fit pressed against this box is not identified by the data (e.g. no visible dropout, so
# BG/NBD runs towards its Poisson limit); predictions stay finite and a warning says so
_LOG_BOUND = 12.0
# converged: the optimum lies within this many standard errors in every parameter
_TOL_SE = 1e-3
_MIN_CUSTOMERS = 5  # fewer customers than this: no fit
_MIN_REPEATERS = 2  # fewer repeat buyers than this: no purchase model
_STATUS_TEXT = {
    "stopped": "the optimiser stopped before converging; the best parameters found are used",
    "limit": "a parameter runs off to a limit (the data do not identify the model); "
             "the best parameters found are used",
}


@dataclass(frozen=True)
class BgNbdFit:
    """Fitted BG/NBD (or MBG/NBD when `model == "mbgnbd"`) parameters; time in `time_unit`."""

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

    def as_dict(self) -> dict[str, object]:
        """The report's `churn_model` keys."""
        return {"model": self.model, "time_unit": self.time_unit, "r": self.r,
                "alpha": self.alpha, "a": self.a, "b": self.b,
                "log_likelihood": self.log_likelihood}


@dataclass(frozen=True)
class GammaGammaFit:
    """Fitted Gamma-Gamma spend model parameters."""

    p: float
    q: float
    gamma: float
    log_likelihood: float
    n: int
    converged: bool
    warnings: tuple[str, ...] = field(default_factory=tuple)
    status: str = "ok"  # "ok" | "stopped" | "limit", as for BgNbdFit

    def as_dict(self) -> dict[str, object]:
        """The report's `spend_model` keys."""
        return {"model": "gamma_gamma", "p": self.p, "q": self.q, "gamma": self.gamma}

    def population_mean(self) -> float:
        """Mean spend per occasion in the population, p*gamma/(q-1); NaN when q <= 1."""
        return self.p * self.gamma / (self.q - 1.0) if self.q > 1.0 else math.nan


# --- helpers --------------------------------------------------------------------------------


def _dot(u: np.ndarray, v: np.ndarray) -> float:
    """Weighted sum without BLAS: a threaded BLAS dot is slow on a busy machine."""
    return float(np.einsum("i,i->", u, v))


def _arrays(*cols: ArrayLike) -> list[np.ndarray]:
    return [np.asarray(c, dtype=np.float64) for c in cols]


def _factorize(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sorted distinct values, index of each value among them), like np.unique with
    return_inverse. Small whole non-negative numbers (day counts, purchase counts: the usual
    case) take a counting pass instead of a sort: O(n), ~10x faster on 10^5 values."""
    if v.size and v.dtype.kind in "iuf":
        lo, hi = float(v.min()), float(v.max())
        if lo >= 0 and hi < 4 * v.size + 1024 and (v.dtype.kind in "iu"
                                                    or np.array_equal(v, np.floor(v))):
            iv = v.astype(np.int64)
            seen = np.bincount(iv) > 0
            uniq = np.flatnonzero(seen)
            lookup = np.cumsum(seen) - 1
            return uniq.astype(v.dtype), lookup[iv]
    if v.dtype.kind in "iu":  # large integer keys: Polars' parallel sort, about 2x NumPy's
        inverse = pl.Series(v).rank("dense").to_numpy().astype(np.int64) - 1
        uniq = np.empty(int(inverse.max()) + 1 if v.size else 0, dtype=v.dtype)
        uniq[inverse] = v
        return uniq, inverse
    uniq, inverse = np.unique(v, return_inverse=True)
    return uniq, inverse.reshape(-1)


def _compress(*cols: np.ndarray) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """Distinct rows of the columns with their counts: customers sharing a history.
    Whole non-negative numbers (day counts) are packed into one int64 key and made unique
    (sorted); other data are returned as they are, with weight 1. Returns (distinct columns,
    counts, index of each input row among the distinct rows)."""
    ints = all(c.size and np.all(c >= 0) and np.all(c == np.floor(c)) for c in cols)
    if ints:
        spans = [int(c.max()) + 1 for c in cols]
        if math.prod(spans) < 2**62:
            key = np.zeros(cols[0].size, dtype=np.int64)
            for c, span in zip(cols, spans, strict=True):
                key = key * span + c.astype(np.int64)
            ukey, inverse = _factorize(key)
            counts = np.bincount(inverse, minlength=ukey.size)
            out = []
            for span in reversed(spans):
                out.append((ukey % span).astype(np.float64))
                ukey = ukey // span
            return out[::-1], counts.astype(np.float64), inverse
    # other numbers (e.g. mean spend): rarely repeated, a row-wise unique costs more than it
    # saves; every row keeps weight 1
    n = cols[0].size
    return [np.asarray(c, dtype=np.float64) for c in cols], np.ones(n), np.arange(n)


def _hessian(
    objective: Callable[[np.ndarray], tuple[float, np.ndarray]], theta: np.ndarray,
    grad: np.ndarray, step: float = 1e-5,
) -> np.ndarray:
    """Hessian of the objective by forward differences of its analytic gradient (k calls for
    k parameters), symmetrised. Accurate to ~1e-8 relative: plenty for Newton steps and for
    the convergence test."""
    k = theta.size
    h = np.empty((k, k))
    for j in range(k):
        e = np.zeros(k)
        e[j] = step
        h[:, j] = (objective(theta + e)[1] - grad) / step
    return (h + h.T) / 2.0


def _minimise(
    objective: Callable[[np.ndarray], tuple[float, np.ndarray]], x0: np.ndarray,
    n: float = 1.0, max_iter: int = 50, search: bool = True,
) -> tuple[np.ndarray, bool, str]:
    """Maximum likelihood on log-parameters within the box +-_LOG_BOUND; returns (params,
    converged, status).

    `objective` is the MEAN negative log-likelihood over `n` customers, with its analytic
    gradient. L-BFGS-B finds the optimum's neighbourhood (robust along the flat ridges these
    models have, e.g. a -> 0 with b -> large); damped Newton steps with a finite-difference
    Hessian then finish and certify it. Converged means the Newton decrement puts the
    optimum within _TOL_SE standard errors in every parameter: n g'H^-1 g <= _TOL_SE^2 with
    H positive definite (|delta_i| / se_i <= sqrt(n g'H^-1 g) for delta = H^-1 g,
    se_i^2 = (H^-1)_ii / n). A fixed gradient tolerance cannot do this: with 10^4-10^5
    customers the mean log-likelihood's attainable precision ends before such a tolerance
    is met (L-BFGS-B then stops "ABNORMAL" in its line search, the MBG/NBD warning on the
    sample), and a flat direction needs a far smaller gradient than a steep one.
    `search=False` skips L-BFGS-B (a start already near the optimum, e.g. from a subsample
    fit); should Newton fail from there, the full search runs after all.
    """
    from scipy.optimize import minimize

    lo, hi = -_LOG_BOUND, _LOG_BOUND
    theta = np.clip(np.asarray(x0, dtype=np.float64), lo, hi)
    if not search:
        theta_n, ok_n = _newton(objective, theta, n, max_iter=8)
        if ok_n:
            return _with_status(theta_n, ok_n)
    res = minimize(objective, theta, jac=True, method="L-BFGS-B", bounds=[(lo, hi)] * theta.size,
                   options={"maxiter": 2000, "ftol": 1e-10, "gtol": 1e-6})
    if np.all(np.isfinite(res.x)):
        theta = np.asarray(res.x, dtype=np.float64)
    return _with_status(*_newton(objective, theta, n, max_iter))


def _with_status(theta: np.ndarray, ok: bool) -> tuple[np.ndarray, bool, str]:
    """(params, converged, status): "limit" for a parameter near the edge of the box (the
    data do not pin the model down: a limit model fits as well, e.g. no heterogeneity or no
    visible dropout), else "ok" or "stopped"."""
    if bool(np.any(np.abs(theta) >= _LOG_BOUND - 1.5)):
        return theta, False, "limit"
    return theta, ok, "ok" if ok else "stopped"


def _newton(
    objective: Callable[[np.ndarray], tuple[float, np.ndarray]], theta: np.ndarray,
    n: float, max_iter: int,
) -> tuple[np.ndarray, bool]:
    """Damped Newton (Levenberg-Marquardt) steps within the box until the Newton decrement
    certifies the optimum (see `_minimise`); returns (params, certified).

    A Hessian costs k gradient calls, so it is reused (chord steps) while the decrement falls
    at least tenfold per step, i.e. while the steps stay within the quadratic region it was
    taken in; it is taken afresh otherwise, and always when a step fails."""
    lo, hi = -_LOG_BOUND, _LOG_BOUND
    f, g = objective(theta)
    mu = 0.0  # damping, relative to the Hessian's scale
    h: np.ndarray | None = None
    last = math.inf  # the previous step's Newton decrement
    for _ in range(max_iter):
        if not (np.isfinite(f) and np.all(np.isfinite(g))):
            return theta, False
        fresh = h is None
        if h is None:
            h = _hessian(objective, theta, g)
            if not np.all(np.isfinite(h)):
                return theta, False
        try:
            c = np.linalg.cholesky(h)
            decrement = n * float(np.sum(np.linalg.solve(c, g) ** 2))
            if decrement <= _TOL_SE**2:
                # one last full Newton step: quadratic convergence, precision for free
                new = np.clip(theta - np.linalg.solve(h, g), lo, hi)
                f_new, g_new = objective(new)
                if np.isfinite(f_new) and f_new <= f:
                    theta = new
                return theta, True
        except np.linalg.LinAlgError:
            decrement = math.inf  # not positive definite here: damped steps until it is
        if not fresh and decrement > last / 10.0:
            h = _hessian(objective, theta, g)  # slow progress: the stale Hessian is off
            if not np.all(np.isfinite(h)):
                return theta, False
            fresh = True
        last = decrement
        scale = max(float(np.max(np.abs(np.diag(h)))), 1e-12)
        for _ in range(40):
            hd = h + mu * scale * np.eye(theta.size)
            try:
                np.linalg.cholesky(hd)
            except np.linalg.LinAlgError:
                mu = max(mu * 10.0, 1e-6)
                continue
            new = np.clip(theta - np.linalg.solve(hd, g), lo, hi)
            f_new, g_new = objective(new)
            if np.isfinite(f_new) and f_new <= f + 1e-4 * float(g @ (new - theta)):
                theta, f, g = new, f_new, g_new
                mu = mu / 10.0 if mu > 1e-6 else 0.0
                break
            if not fresh:  # a failed step on old curvature: take it afresh once, then damp
                h = _hessian(objective, theta, g)
                if not np.all(np.isfinite(h)):
                    return theta, False
                scale = max(float(np.max(np.abs(np.diag(h)))), 1e-12)
                fresh = True
                continue
            mu = max(mu * 10.0, 1e-6)
        else:  # no descent left at machine precision
            return theta, False
    return theta, False


# --- BG/NBD and MBG/NBD ---------------------------------------------------------------------


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
        (ux, utx, uT), w, _ = _compress(x, t_x, tt)
        self.mbg = mbg
        self.k = 1.0 if mbg else 0.0
        self.total = float(w.sum())
        self.xu, ix = _factorize(ux)
        self.wx = np.bincount(ix, weights=w)  # total weight per distinct x
        self.Tu, iT = _factorize(uT)
        self.Tu = self.Tu / scale  # times in units of `scale`
        once = (ux == 0) & (utx == 0)
        self.w0 = np.bincount(iT[once], weights=w[once], minlength=self.Tu.size)
        rest = ~once
        self.w = w[rest]
        self.x = ux[rest]
        self.iT = iT[rest]
        self.txu, self.itx = _factorize(utx[rest])
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
        ll = _dot(wx, (a1 + a2))
        g_r = _dot(wx, (digamma(r + xu) - digamma(r) + np.log(alpha)))
        g_alpha = r / alpha * self.total
        g_a = _dot(wx, (digamma(ab) - digamma(ab + xu + k)))
        g_b = _dot(wx, (digamma(ab) + digamma(b + xu + k) - digamma(b) - digamma(ab + xu + k)))
        log_at_u = np.log(alpha + self.Tu)
        inv_at_u = 1.0 / (alpha + self.Tu)
        # one-time buyers, per distinct T
        w0 = self.w0
        if self.mbg:  # A4 = ln a - ln b - r ln(alpha): the same for every one-time buyer
            a3 = -r * log_at_u
            a4 = np.log(a) - np.log(b) - r * np.log(alpha)
            lse = np.logaddexp(a3, a4)
            s3, s4 = np.exp(a3 - lse), np.exp(a4 - lse)
            ll += _dot(w0, lse)
            g_r -= _dot(w0, (s3 * log_at_u + s4 * np.log(alpha)))
            g_alpha -= r * _dot(w0, (s3 * inv_at_u + s4 / alpha))
            g_a += _dot(w0, s4) / a
            g_b -= _dot(w0, s4) / b
        else:  # A4 absent: LL part = -r ln(alpha+T)
            ll -= r * _dot(w0, log_at_u)
            g_r -= _dot(w0, log_at_u)
            g_alpha -= r * _dot(w0, inv_at_u)
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
            ll += _dot(w, lse)
            g_r -= _dot(w, s3 * log_at + s4 * log_atx)
            g_alpha -= _dot(w, rx * (s3 * inv_at + s4 * inv_atx))
            g_a += _dot(w, s4) / a
            g_b -= _dot(self.w4, s4 * inv_den)
        grad = np.array([g_r * r, g_alpha * alpha, g_a * a, g_b * b])
        return -ll / self.total, -grad / self.total


_WARM_START_ROWS = 20_000  # larger data: fit a subsample first, then polish on everything


def _warm_start(
    make: Callable[[np.ndarray], Callable[[np.ndarray], tuple[float, np.ndarray]]],
    n: int, x0: np.ndarray,
) -> np.ndarray:
    """Starting point from a fit on a fixed random subsample (same model, same units): the
    full-data optimisation then needs a few steps instead of dozens."""
    if n <= 2 * _WARM_START_ROWS:
        return x0
    idx = np.sort(np.random.default_rng(20240601).choice(n, _WARM_START_ROWS, replace=False))
    theta, _, _ = _minimise(make(idx), x0, n=_WARM_START_ROWS)
    return theta if np.all(np.isfinite(theta)) else x0


def bgnbd_log_likelihood(
    fit: BgNbdFit, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike,
) -> np.ndarray:
    """Per-customer log-likelihood under a fitted BG/NBD or MBG/NBD model."""
    x, t_x, tt = _arrays(frequency, recency, T)
    params = np.log([fit.r, fit.alpha, fit.a, fit.b])
    return _bg_terms(params, x, t_x, tt, fit.model == "mbgnbd")[0]


def _fit_bg(
    frequency: ArrayLike, recency: ArrayLike, T: ArrayLike, mbg: bool, time_unit: str,
) -> BgNbdFit | None:
    model = "mbgnbd" if mbg else "bgnbd"
    name = "MBG/NBD" if mbg else "BG/NBD"
    x, t_x, tt = _arrays(frequency, recency, T)
    ok_rows = np.isfinite(x) & np.isfinite(t_x) & np.isfinite(tt) & (x >= 0) & (t_x >= 0)
    ok_rows &= (tt >= t_x) & (tt > 0)
    x, t_x, tt = x[ok_rows], t_x[ok_rows], tt[ok_rows]
    n = int(x.size)
    repeaters = int((x > 0).sum())
    if n < _MIN_CUSTOMERS or repeaters < _MIN_REPEATERS:
        return None
    scale = float(tt.mean())  # fit in units of the mean T: alpha near 1 whatever the unit
    rate = max(float(x.mean()), 1e-3)  # purchases per mean T
    x0 = _warm_start(lambda i: _BgObjective(x[i], t_x[i], tt[i], mbg, scale), n,
                     np.log([1.0, 1.0 / rate, 1.0, 1.0]))
    objective = _BgObjective(x, t_x, tt, mbg, scale)
    theta, ok, status = _minimise(objective, x0, n=n, search=n <= 2 * _WARM_START_ROWS)
    r, alpha, a, b = (float(v) for v in np.exp(theta))
    alpha *= scale
    # back to the data's time unit: scaling time by s shifts each customer's LL by x ln s
    ll = float(-objective(theta)[0] * objective.total - math.log(scale) * float(x.sum()))
    warnings: tuple[str, ...] = () if ok else (f"{name}: {_STATUS_TEXT[status]}",)
    return BgNbdFit(r=r, alpha=alpha, a=a, b=b, log_likelihood=ll, n=n, converged=ok,
                    model=model, time_unit=time_unit, warnings=warnings, status=status)


def fit_bgnbd(
    frequency: ArrayLike, recency: ArrayLike, T: ArrayLike, time_unit: str = "day",
) -> BgNbdFit | None:
    """Maximum-likelihood BG/NBD; None when there are too few customers or repeat buyers."""
    return _fit_bg(frequency, recency, T, mbg=False, time_unit=time_unit)


def fit_mbgnbd(
    frequency: ArrayLike, recency: ArrayLike, T: ArrayLike, time_unit: str = "day",
) -> BgNbdFit | None:
    """Maximum-likelihood MBG/NBD; None when there are too few customers or repeat buyers."""
    return _fit_bg(frequency, recency, T, mbg=True, time_unit=time_unit)


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
    x, t_x, tt = _arrays(frequency, recency, T)
    return np.exp(-np.logaddexp(0.0, _log_odds_dead(fit, x, t_x, tt)))


def mbgnbd_p_alive(fit: BgNbdFit, frequency: ArrayLike, recency: ArrayLike,
                   T: ArrayLike) -> np.ndarray:
    """P(alive) under MBG/NBD: a one-time buyer may already have dropped out."""
    if fit.model != "mbgnbd":
        raise ValueError("mbgnbd_p_alive needs an MBG/NBD fit")
    return bgnbd_p_alive(fit, frequency, recency, T)


def bgnbd_expected_purchases(
    fit: BgNbdFit, t: ArrayLike, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike,
) -> np.ndarray:
    """Expected purchases in (T, T+t] given the history (works for BG/NBD and MBG/NBD).

    The Gauss hypergeometric term is taken after Euler's transformation,
    (1-z)^(r+x) 2F1(r+x, b+x+k; c; z) = (1-z)^(a-1) 2F1(a+b-1+k-r, a-1; c; z), c = a+b+x-1+k,
    whose parameters stay small for heavy buyers (no overflow, no 0 * inf).
    """
    x, t_x, tt = _arrays(frequency, recency, T)
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
        (ux, uT), _, pair = _compress(x[known], tt[known])
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
    x, t_x, tt = _arrays(frequency, recency, T)
    if horizon <= 0 or x.size == 0:
        return np.zeros_like(x)
    n_steps = max(1, math.ceil(horizon / step - 1e-9))
    edges = np.linspace(0.0, horizon, n_steps + 1)
    # unique histories only: the hypergeometric function is the expensive part
    (ux, utx, uT), _, idx = _compress(x, t_x, tt)
    cum = np.column_stack([
        bgnbd_expected_purchases(fit, e, ux, utx, uT) if e > 0 else np.zeros_like(ux)
        for e in edges
    ])
    mids = (edges[:-1] + edges[1:]) / 2.0
    factors = np.power(1.0 + yearly_rate, -mids / year)
    return np.einsum("ij,j->i", np.diff(cum, axis=1), factors)[idx]


# --- Gamma-Gamma ----------------------------------------------------------------------------


def _gg_terms(params: np.ndarray, x: np.ndarray, m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-customer log-likelihood of the mean repeat spend m over x occasions, and gradient."""
    p, q, g = np.exp(params)
    px = p * x
    xm_g = x * m + g
    ll = (gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(g)
          + (px - 1.0) * np.log(m) + px * np.log(x) - (px + q) * np.log(xm_g))
    d_p = x * (digamma(px + q) - digamma(px) + np.log(m) + np.log(x) - np.log(xm_g))
    d_q = digamma(px + q) - digamma(q) + np.log(g) - np.log(xm_g)
    d_g = q / g - (px + q) / xm_g
    return ll, np.vstack([d_p * p, d_q * q, d_g * g])


class _GgObjective:
    """Mean negative Gamma-Gamma log-likelihood and gradient, fast: x-only special functions
    once per distinct x, parameter-free sums precomputed, two array operations per row."""

    def __init__(self, x: np.ndarray, m: np.ndarray) -> None:
        (ux, um), w, _ = _compress(x, m)
        self.w = w
        self.total = float(w.sum())
        self.xu, ix = _factorize(ux)
        self.wx = np.bincount(ix, weights=w)
        self.xm = ux * um
        self.wxr = w * ux  # weight x x per row
        self.s1 = _dot(w, (ux * (np.log(um) + np.log(ux))))  # sum w x (ln m + ln x)
        self.c = -_dot(w, np.log(um))  # sum w (-ln m)

    def __call__(self, theta: np.ndarray) -> tuple[float, np.ndarray]:
        p, q, g = np.exp(theta)
        xu, wx, tot = self.xu, self.wx, self.total
        px = p * xu
        big_l = np.log(self.xm + g)
        inv = 1.0 / (self.xm + g)
        sum_xl = _dot(self.wxr, big_l)
        sum_l = _dot(self.w, big_l)
        ll = (_dot(wx, (gammaln(px + q) - gammaln(px))) - tot * gammaln(q)
              + tot * q * np.log(g) + p * self.s1 + self.c - p * sum_xl - q * sum_l)
        d_p = _dot(wx, (xu * (digamma(px + q) - digamma(px)))) + self.s1 - sum_xl
        d_q = _dot(wx, digamma(px + q)) - tot * digamma(q) + tot * np.log(g) - sum_l
        d_g = tot * q / g - p * _dot(self.wxr, inv) - q * _dot(self.w, inv)
        grad = np.array([d_p * p, d_q * q, d_g * g])
        return -ll / tot, -grad / tot


def fit_gamma_gamma(frequency: ArrayLike, monetary: ArrayLike) -> GammaGammaFit | None:
    """Maximum-likelihood Gamma-Gamma on repeat buyers with a positive mean repeat spend.

    Customers with x = 0, or with monetary <= 0 or missing (refunds), are left out: the model
    is defined for positive spend only. None when fewer than a handful remain.
    """
    x, m = _arrays(frequency, monetary)
    keep = np.isfinite(x) & np.isfinite(m) & (x > 0) & (m > 0)
    x, m = x[keep], m[keep]
    n = int(x.size)
    if n < _MIN_CUSTOMERS:
        return None
    scale = float(np.mean(m))  # fit in units of the mean spend: gamma near 1
    ms = m / scale
    x0 = _warm_start(lambda i: _GgObjective(x[i], ms[i]), n, np.log([1.0, 2.0, 1.0]))
    objective = _GgObjective(x, ms)
    theta, ok, status = _minimise(objective, x0, n=n, search=n <= 2 * _WARM_START_ROWS)
    p, q, g = (float(v) for v in np.exp(theta))
    # back to money units: gamma scales with spend; the density gains -ln(scale) per customer
    ll = float(-objective(theta)[0] * objective.total - n * math.log(scale))
    warnings: list[str] = [] if ok else [f"Gamma-Gamma: {_STATUS_TEXT[status]}"]
    if q <= 1.0:
        warnings.append("Gamma-Gamma: q <= 1, the population mean spend is not finite")
    return GammaGammaFit(p=p, q=q, gamma=g * scale, log_likelihood=ll, n=n, converged=ok,
                         warnings=tuple(warnings), status=status)


def gg_expected_spend(
    fit: GammaGammaFit, frequency: ArrayLike, monetary: ArrayLike,
    fallback: float | None = None,
) -> np.ndarray:
    """Expected spend per future occasion: E[M | x, m] = p(gamma + x m) / (p x + q - 1).

    Customers without a usable history (x = 0, m missing or <= 0) get the population mean
    p*gamma/(q-1), or `fallback` when q <= 1.
    """
    x, m = _arrays(frequency, monetary)
    pop = fit.population_mean()
    if not math.isfinite(pop):
        pop = fallback if fallback is not None else math.nan
    usable = np.isfinite(x) & np.isfinite(m) & (x > 0) & (m > 0)
    denom = fit.p * x + fit.q - 1.0
    safe_m = np.where(usable, m, 0.0)
    cond = np.where(usable & (denom > 0),
                    fit.p * (fit.gamma + x * safe_m) / np.where(denom > 0, denom, 1.0), pop)
    return cond
