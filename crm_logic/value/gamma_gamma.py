"""Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV: Using Iso-Value Curves
for Customer Base Analysis", Journal of Marketing Research 42(4); the note "The Gamma-Gamma
Model of Monetary Value", 2013): each occasion's spend ~ Gamma(p, nu), the customer's nu ~
Gamma(q, gamma). Input: `monetary` m, the mean value of the repeat occasions (first purchase
excluded). Needs positive spend: customers with no repeat occasion or a mean repeat value
<= 0 (refunds) are left out of the fit and get the population mean spend.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.special import digamma, gammaln

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


@dataclass(frozen=True)
class GammaGammaFit:
    """Fitted Gamma-Gamma spend model parameters; `cov`: covariance of log(p, q, gamma)."""

    p: float
    q: float
    gamma: float
    log_likelihood: float
    n: int
    converged: bool
    warnings: tuple[str, ...] = field(default_factory=tuple)
    status: str = "ok"  # "ok" | "stopped" | "limit", as for BgNbdFit
    cov: tuple[tuple[float, ...], ...] | None = None

    def as_dict(self) -> dict[str, object]:
        """The report's `spend_model` keys."""
        return {"model": "gamma_gamma", "p": self.p, "q": self.q, "gamma": self.gamma}

    def population_mean(self) -> float:
        """Mean spend per occasion in the population, p*gamma/(q-1); NaN when q <= 1."""
        return self.p * self.gamma / (self.q - 1.0) if self.q > 1.0 else math.nan

    def log_params(self) -> np.ndarray:
        """log(p, q, gamma)."""
        return np.log([self.p, self.q, self.gamma])

    def with_log_params(self, theta: np.ndarray) -> GammaGammaFit:
        """The same model at other parameters (for the delta method)."""
        p, q, g = (float(v) for v in np.exp(theta))
        return GammaGammaFit(p=p, q=q, gamma=g, log_likelihood=math.nan, n=self.n,
                             converged=self.converged)


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
        (ux, um), w, _ = compress(x, m)
        self.w = w
        self.total = float(w.sum())
        self.xu, ix = factorize(ux)
        self.wx = np.bincount(ix, weights=w)
        self.xm = ux * um
        self.wxr = w * ux  # weight x x per row
        self.s1 = dot(w, (ux * (np.log(um) + np.log(ux))))  # sum w x (ln m + ln x)
        self.c = -dot(w, np.log(um))  # sum w (-ln m)

    def __call__(self, theta: np.ndarray) -> tuple[float, np.ndarray]:
        p, q, g = np.exp(theta)
        xu, wx, tot = self.xu, self.wx, self.total
        px = p * xu
        big_l = np.log(self.xm + g)
        inv = 1.0 / (self.xm + g)
        sum_xl = dot(self.wxr, big_l)
        sum_l = dot(self.w, big_l)
        ll = (dot(wx, (gammaln(px + q) - gammaln(px))) - tot * gammaln(q)
              + tot * q * np.log(g) + p * self.s1 + self.c - p * sum_xl - q * sum_l)
        d_p = dot(wx, (xu * (digamma(px + q) - digamma(px)))) + self.s1 - sum_xl
        d_q = dot(wx, digamma(px + q)) - tot * digamma(q) + tot * np.log(g) - sum_l
        d_g = tot * q / g - p * dot(self.wxr, inv) - q * dot(self.w, inv)
        grad = np.array([d_p * p, d_q * q, d_g * g])
        return -ll / tot, -grad / tot


def fit_gamma_gamma(frequency: ArrayLike, monetary: ArrayLike) -> GammaGammaFit | None:
    """Maximum-likelihood Gamma-Gamma on repeat buyers with a positive mean repeat spend.

    Customers with x = 0, or with monetary <= 0 or missing (refunds), are left out: the model
    is defined for positive spend only. None when fewer than a handful remain.
    """
    x, m = arrays(frequency, monetary)
    keep = np.isfinite(x) & np.isfinite(m) & (x > 0) & (m > 0)
    x, m = x[keep], m[keep]
    n = int(x.size)
    if n < MIN_CUSTOMERS:
        return None
    scale = float(np.mean(m))  # fit in units of the mean spend: gamma near 1
    ms = m / scale
    x0 = warm_start(lambda i: _GgObjective(x[i], ms[i]), n, np.log([1.0, 2.0, 1.0]))
    objective = _GgObjective(x, ms)
    theta, ok, status, h = minimise(objective, x0, n=n)
    p, q, g = (float(v) for v in np.exp(theta))
    # back to money units: gamma scales with spend; the density gains -ln(scale) per customer
    ll = float(-objective(theta)[0] * objective.total - n * math.log(scale))
    warnings: list[str] = [] if ok else [f"Gamma-Gamma: {STATUS_TEXT[status]}"]
    if q <= 1.0:
        warnings.append("Gamma-Gamma: q <= 1, the population mean spend is not finite")
    return GammaGammaFit(p=p, q=q, gamma=g * scale, log_likelihood=ll, n=n, converged=ok,
                         warnings=tuple(warnings), status=status, cov=covariance(h, n))


def gg_expected_spend(
    fit: GammaGammaFit, frequency: ArrayLike, monetary: ArrayLike,
    fallback: float | None = None,
) -> np.ndarray:
    """Expected spend per future occasion: E[M | x, m] = p(gamma + x m) / (p x + q - 1).

    Customers without a usable history (x = 0, m missing or <= 0) get the population mean
    p*gamma/(q-1), or `fallback` when q <= 1.
    """
    x, m = arrays(frequency, monetary)
    pop = fit.population_mean()
    if not math.isfinite(pop):
        pop = fallback if fallback is not None else math.nan
    usable = np.isfinite(x) & np.isfinite(m) & (x > 0) & (m > 0)
    denom = fit.p * x + fit.q - 1.0
    safe_m = np.where(usable, m, 0.0)
    cond = np.where(usable & (denom > 0),
                    fit.p * (fit.gamma + x * safe_m) / np.where(denom > 0, denom, 1.0), pop)
    return cond
