"""90% (cfg.interval_level) intervals around each customer's predicted value and around the
total revenue forecast: what the fitted models say about how far to trust a number.

Two sources of spread are combined (their variances add):
- the purchase process itself: given the models, a customer buys a random number N of times
  in the horizon and spends a random amount each time. Alive with probability pi, the rate
  lambda ~ Gamma(r + x, alpha + T) (the BG/NBD posterior), so N given alive is
  negative-binomial-like: Var = m1 (1 + h / (alpha + T)) around its mean m1 = E[N] / pi;
  Var(N) = E[N] (1 + h / (alpha + T)) + E[N]^2 (1 - pi) / pi. Spend per occasion follows
  the Gamma-Gamma posterior nu ~ Gamma(A = p x + q, B = gamma + x m):
  Var(revenue) = E[N] sigma_w^2 + Var(N) s^2 + (Var(N) + E[N]^2) tau^2 with s = E[p / nu],
  sigma_w^2 = E[p / nu^2] (occasion to occasion), tau^2 = Var(p / nu) (the customer's mean).
- parameter uncertainty, by the delta method: the gradient of each prediction with respect to
  the models' log-parameters (forward differences) and their covariance from the Hessian at
  the maximum. Measured against a bootstrap over customers (scripts/benchmark_value_trust.py):
  see the README for speed and agreement.
Per customer the spread is "no purchase at all" with its exact probability
p0 = 1 - pi + pi ((alpha + T) / (alpha + T + h))^(r + x), else a Gamma distribution matched
to the mean and variance (non-negative, right-skewed like one customer's future spend); its
equal-tailed interval is widened to hold the point forecast where the customer is so
unlikely to buy that the mean lies above its 95th percentile. The total is a sum over many
independent customers plus the shared parameter error: a normal interval.

Not covered: a wrong model (e.g. a market shock, a catalogue change, customers who behave
unlike BG/NBD). The backtest's coverage shows how often such intervals held on the user's
own past.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import gammaincinv, ndtri

from crm_logic.value.bgnbd import BgNbdFit, bgnbd_expected_purchases, bgnbd_p_alive
from crm_logic.value.gamma_gamma import GammaGammaFit, gg_expected_spend
from crm_logic.value.optimise import compress

_STEP = 1e-4  # forward-difference step on the log-parameters


@dataclass(frozen=True)
class Intervals:
    """Per-customer mean/low/high (arrays) and the total's (floats); sd parts for checks."""

    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray
    sd_process: np.ndarray
    sd_param: np.ndarray
    total: float
    total_low: float
    total_high: float
    total_sd_process: float
    total_sd_param: float


def _spend_moments(
    gg: GammaGammaFit | None, x: np.ndarray, m: np.ndarray, spend: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(sigma_w^2, tau^2) per customer under the Gamma-Gamma posterior; without a spend
    model the spend is taken as known (both zero)."""
    if gg is None:
        return np.zeros_like(spend), np.zeros_like(spend)
    usable = np.isfinite(x) & np.isfinite(m) & (x > 0) & (m > 0)
    big_a = np.where(usable, gg.p * np.where(usable, x, 0.0) + gg.q, gg.q)
    big_b = np.where(usable, gg.gamma + np.where(usable, x * m, 0.0), gg.gamma)
    ok = big_a > 2.0
    safe_a = np.where(ok, big_a, 3.0)
    inv2 = big_b**2 / ((safe_a - 1.0) * (safe_a - 2.0))  # E[1/nu^2]
    inv1 = big_b / (safe_a - 1.0)  # E[1/nu]
    sigma_w = np.where(ok, gg.p * inv2, spend**2 / gg.p)
    tau = np.where(ok, gg.p**2 * np.maximum(inv2 - inv1**2, 0.0), spend**2)
    return sigma_w, tau


def _history_terms(
    bg: BgNbdFit, horizon: float, x: np.ndarray, t_x: np.ndarray, tt: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """(P(alive), P(no purchase in the horizon), d E[N] / d log-parameters (n x 4, None
    without a covariance)) per customer, computed once per distinct (x, t_x, T): in day
    counts most customers share their history with others (one-time buyers by T alone)."""
    (ux, utx, u_t), _, idx = compress(x, t_x, tt)
    pi = np.clip(bgnbd_p_alive(bg, ux, utx, u_t), 1e-12, 1.0)
    # no purchase at all in the horizon: dropped out already, or alive and no Poisson event
    # (dropout only follows a purchase): exact under BG/NBD and MBG/NBD
    p0 = 1.0 - pi + pi * np.exp((bg.r + ux) * (np.log(bg.alpha + u_t)
                                               - np.log(bg.alpha + u_t + horizon)))
    grad = None
    if bg.cov is not None:
        base = bg.log_params()
        at_fit = bgnbd_expected_purchases(bg, horizon, ux, utx, u_t)
        grad = np.empty((ux.size, 4))
        for j in range(4):
            theta = base.copy()
            theta[j] += _STEP
            moved = bgnbd_expected_purchases(bg.with_log_params(theta), horizon, ux, utx, u_t)
            grad[:, j] = (moved - at_fit) / _STEP
        grad = grad[idx]
    return pi[idx], np.clip(p0, 0.0, 1.0)[idx], grad


def _spend_gradient(gg: GammaGammaFit | None, x: np.ndarray, m: np.ndarray,
                    spend: np.ndarray, fallback: float) -> np.ndarray | None:
    """d (expected spend) / d log(p, q, gamma) per customer (n x 3); None without a
    covariance (no spend model, or a fit at a limit)."""
    if gg is None or gg.cov is None:
        return None
    base = gg.log_params()
    grad = np.empty((x.size, 3))
    for j in range(3):
        theta = base.copy()
        theta[j] += _STEP
        moved = gg_expected_spend(gg.with_log_params(theta), x, m, fallback=fallback)
        grad[:, j] = (moved - spend) / _STEP
    return grad


def value_intervals(
    bg: BgNbdFit, gg: GammaGammaFit | None, horizon: float, x: np.ndarray, t_x: np.ndarray,
    tt: np.ndarray, m: np.ndarray, spend: np.ndarray, level: float = 0.9,
    factor: np.ndarray | float = 1.0, share: np.ndarray | float = 1.0,
    expected: np.ndarray | None = None, fallback: float = math.nan,
) -> Intervals:
    """Intervals for value = share x factor x E[N over horizon] x expected spend.

    `factor` turns undiscounted purchases into discounted ones (discounted / undiscounted
    expected purchases; 1 for revenue as it happens), `share` is the margin share (value per
    unit of revenue), `expected` the undiscounted expected purchases if already computed,
    `spend` the expected spend per occasion (`gg_expected_spend`), `fallback` the spend
    used for customers the spend model leaves out.
    """
    x, t_x, tt, m, spend = (np.asarray(v, dtype=np.float64) for v in (x, t_x, tt, m, spend))
    if expected is None:
        expected = bgnbd_expected_purchases(bg, horizon, x, t_x, tt)
    factor_a = np.broadcast_to(np.asarray(factor, dtype=np.float64), x.shape)
    share_a = np.broadcast_to(np.asarray(share, dtype=np.float64), x.shape)
    scale = factor_a * share_a  # value per unit of undiscounted revenue
    pi, p0, d_n = _history_terms(bg, horizon, x, t_x, tt)
    var_n = expected * (1.0 + horizon / (bg.alpha + tt)) + expected**2 * (1.0 - pi) / pi
    sigma_w, tau = _spend_moments(gg, x, m, spend)
    var_proc = (expected * sigma_w + var_n * spend**2 + (var_n + expected**2) * tau) * scale**2
    d_s = _spend_gradient(gg, x, m, spend, fallback)
    var_param = np.zeros_like(x)
    total_var_param = 0.0
    # d value / d parameters: purchases' gradient x spend, spend's gradient x purchases
    for grad, other, fit in ((d_n, spend, bg), (d_s, expected, gg)):
        if grad is None or fit is None or fit.cov is None:
            continue
        cov = np.asarray(fit.cov)
        g = grad * (other * scale)[:, None]
        var_param += np.einsum("ij,jk,ik->i", g, cov, g)
        gsum = g.sum(axis=0)
        total_var_param += float(gsum @ cov @ gsum)
    mean = expected * spend * scale
    var = var_proc + var_param
    low, high = _mixture_interval(np.abs(mean), var, p0, level)
    low, high = np.where(mean >= 0, low, -high), np.where(mean >= 0, high, -low)
    z = float(ndtri(0.5 + level / 2.0))
    total = float(mean.sum())
    total_sd = math.sqrt(float(var_proc.sum()) + total_var_param)
    return Intervals(
        mean=mean, low=np.minimum(low, mean), high=np.maximum(high, mean),
        sd_process=np.sqrt(var_proc), sd_param=np.sqrt(var_param), total=total,
        total_low=total - z * total_sd, total_high=total + z * total_sd,
        total_sd_process=math.sqrt(float(var_proc.sum())),
        total_sd_param=math.sqrt(total_var_param),
    )


def _mixture_interval(mean: np.ndarray, var: np.ndarray, p0: np.ndarray,
                      level: float) -> tuple[np.ndarray, np.ndarray]:
    """Equal-tailed interval of "nothing with probability p0, else a Gamma" matched to the
    mean and variance: a customer who most likely buys nothing gets a low end of 0. The
    point itself where the variance or the mean is zero."""
    buys = np.maximum(1.0 - p0, 1e-12)
    m_c = mean / buys  # mean and variance given at least one purchase
    v_c = np.maximum((var + mean**2) / buys - m_c**2, 1e-12 * m_c**2)
    ok = (mean > 0) & (var > 0) & np.isfinite(var) & (p0 < 1.0)
    shape = np.where(ok, m_c**2 / np.where(ok, v_c, 1.0), 1.0)
    scale = np.where(ok, v_c / np.where(m_c > 0, m_c, 1.0), 0.0)

    def quantile(q: float) -> np.ndarray:
        out = np.zeros_like(mean)  # q <= p0: no purchase, 0
        need = ok & (q > p0)  # the costly inversion (0.2 s per 250,000) only where needed
        inner = np.clip((q - p0[need]) / buys[need], 0.0, 1.0)
        out[need] = gammaincinv(shape[need], inner) * scale[need]
        return out

    tail = (1.0 - level) / 2.0
    return np.where(ok, quantile(tail), mean), np.where(ok, quantile(1.0 - tail), mean)
