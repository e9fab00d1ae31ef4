"""Shared fitting machinery of the value models: distinct-history compression, a plain
maximum-likelihood optimiser (scipy's L-BFGS-B) with a stopping rule for fits that run off
to a limit, and the Hessian that certifies the optimum and gives the parameters' covariance.

Measured at 200,000 customers (BG/NBD simulated, 2-core machine under load): the former
hand-written damped-Newton finish took 0.33 s, L-BFGS-B to ftol 1e-12 plus one Hessian
0.45-0.6 s cold and the same as Newton from the subsample warm start (within 20%), so scipy
stays (plain over clever). What pays and stays: the likelihood over distinct (x, t_x, T)
rows (2.5 s -> 0.1 s per fit) and the warm start from a 20,000-customer subsample.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import polars as pl

ArrayLike = np.ndarray | float
Objective = Callable[[np.ndarray], tuple[float, np.ndarray]]

# log-parameters are kept within +-8 (times and money scaled to the data's own mean first):
# a fit pressed against this box is not identified by the data (e.g. no visible dropout, so
# BG/NBD runs towards its Poisson limit); predictions stay finite and a warning says so
LOG_BOUND = 8.0
# converged: the optimum lies within this many standard errors in every parameter
TOL_SE = 1e-3
# the likelihood-gain stopping rule: once the last GAIN_STEPS steps together gained less
# than GAIN_MIN in total log-likelihood (a likelihood ratio under 1.65: no evidence worth
# another step), L-BFGS-B stops and Newton steps finish, certified by the Hessian. A fit
# that is not certified with a log-parameter beyond RUNAWAY (e^6 ~ 400x the data's own scale)
# runs off to a limit (e.g. no visible dropout): it stops there with a warning. (b = 430 on
# the bundled sample is a genuine, certified optimum out there.) Measured on 200,000
# customers without dropout: 6 s -> 0.3 s per fit.
RUNAWAY = 6.0
GAIN_STEPS = 3
GAIN_MIN = 0.5
MIN_CUSTOMERS = 5  # fewer customers than this: no fit
WARM_START_ROWS = 20_000  # larger data: fit a subsample first, then polish on everything
STATUS_TEXT = {
    "stopped": "the optimiser stopped before converging; the best parameters found are used",
    "limit": "a parameter runs off to a limit (the data do not identify the model); "
             "the best parameters found are used",
}


def dot(u: np.ndarray, v: np.ndarray) -> float:
    """Weighted sum without BLAS: a threaded BLAS dot is slow on a busy machine."""
    return float(np.einsum("i,i->", u, v))


def arrays(*cols: ArrayLike) -> list[np.ndarray]:
    return [np.asarray(c, dtype=np.float64) for c in cols]


def factorize(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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


def compress(*cols: np.ndarray) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
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
            ukey, inverse = factorize(key)
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


def hessian(
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



def minimise(
    objective: Objective, x0: np.ndarray, n: float = 1.0,
) -> tuple[np.ndarray, bool, str, np.ndarray | None]:
    """Maximum likelihood on log-parameters within the box +-LOG_BOUND; returns (params,
    converged, status, Hessian of the objective at params or None).

    `objective` is the MEAN negative log-likelihood over `n` customers with its analytic
    gradient. L-BFGS-B (ftol 1e-12) searches until the likelihood-gain rule above ends it
    (status "limit" for a fit running off to a limit). A finite-difference Hessian then
    certifies the optimum: converged means the Newton decrement puts it within TOL_SE
    standard errors in every parameter, n g'H^-1 g <= TOL_SE^2 with H positive definite
    (|delta_i| / se_i <= sqrt(n g'H^-1 g), se_i^2 = (H^-1)_ii / n). Where L-BFGS-B stops
    short of that (its line search ends at the mean log-likelihood's precision on 10^4-10^5
    customers), up to three Newton steps finish the job.
    """
    from scipy.optimize import OptimizeResult, minimize
    from threadpoolctl import threadpool_limits

    lo, hi = -LOG_BOUND, LOG_BOUND
    theta = np.clip(np.asarray(x0, dtype=np.float64), lo, hi)
    gains: list[float] = []

    def stop_rule(intermediate_result: OptimizeResult) -> None:
        gains.append(float(intermediate_result.fun) * n)
        if len(gains) > GAIN_STEPS and gains[-1 - GAIN_STEPS] - gains[-1] < GAIN_MIN:
            raise StopIteration

    def search(start: np.ndarray, rule: bool) -> np.ndarray:
        # one BLAS thread: L-BFGS-B's 4-parameter algebra gains nothing from threads, and idle
        # OpenBLAS threads spinning on a busy 2-core machine cost 1.2 s CPU instead of 0.74 s
        # for the three fits at 250,000 customers
        with threadpool_limits(limits=1, user_api="blas"):
            res = minimize(objective, start, jac=True, method="L-BFGS-B",
                           bounds=[(lo, hi)] * start.size, callback=stop_rule if rule else None,
                           options={"maxiter": 1000, "ftol": 1e-12, "gtol": 1e-9})
        return np.asarray(res.x, dtype=np.float64) if np.all(np.isfinite(res.x)) else start

    theta = search(theta, rule=True)
    for final in (False, True):
        if np.any(np.abs(theta) >= LOG_BOUND - 1.0):
            return theta, False, "limit", None
        far = bool(np.any(np.abs(theta) > RUNAWAY))
        theta, ok, h = _certify(objective, theta, n, steps=3)
        if ok:
            return theta, True, "ok", h
        if far or final:
            return theta, False, "limit" if far else "stopped", h
        # stopped by the gain rule short of an optimum (small data: a gain of 0.5 still
        # moves the estimate): search on without the rule
        theta = search(theta, rule=False)
    raise AssertionError("unreachable")


def _certify(objective: Objective, theta: np.ndarray, n: float,
             steps: int) -> tuple[np.ndarray, bool, np.ndarray | None]:
    """(params, certified, Hessian): the Newton-decrement test, with up to `steps` Newton
    steps (each accepted only when it lowers the objective)."""
    f, g = objective(theta)
    h: np.ndarray | None = None
    for _ in range(steps + 1):
        if not (np.isfinite(f) and np.all(np.isfinite(g))):
            return theta, False, None
        h = hessian(objective, theta, g)
        try:
            step = np.linalg.solve(h, g)
            np.linalg.cholesky(h)
        except np.linalg.LinAlgError:
            return theta, False, None
        if n * float(g @ step) <= TOL_SE**2:
            return theta, True, h
        new = np.clip(theta - step, -LOG_BOUND, LOG_BOUND)
        f_new, g_new = objective(new)
        if not (np.isfinite(f_new) and f_new <= f):
            return theta, False, h
        theta, f, g = new, f_new, g_new
    return theta, False, h


def warm_start(make: Callable[[np.ndarray], Objective], n: int, x0: np.ndarray) -> np.ndarray:
    """Starting point from a fit on a fixed random subsample (same model, same units): the
    full-data optimisation then needs a few steps instead of dozens."""
    if n <= 2 * WARM_START_ROWS:
        return x0
    idx = np.sort(np.random.default_rng(20240601).choice(n, WARM_START_ROWS, replace=False))
    theta = minimise(make(idx), x0, n=WARM_START_ROWS)[0]
    return theta if np.all(np.isfinite(theta)) else x0


def covariance(h: np.ndarray | None, n: float) -> tuple[tuple[float, ...], ...] | None:
    """Covariance of the log-parameters, (n H)^-1, from the mean objective's Hessian."""
    if h is None:
        return None
    try:
        cov = np.linalg.inv(h * n)
    except np.linalg.LinAlgError:
        return None
    if not np.all(np.isfinite(cov)) or np.any(np.diag(cov) <= 0):
        return None
    return tuple(tuple(float(v) for v in row) for row in cov)
