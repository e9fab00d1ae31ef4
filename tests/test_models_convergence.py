"""The fits converge (status "ok", certified by the Newton decrement) on the bundled sample."""

from __future__ import annotations

import warnings

import numpy as np
import polars as pl
import pytest

from crm_logic import models
from crm_logic import segmentation as seg
from crm_logic.sample import generate
from crm_logic.value import bgnbd, optimise

pytestmark = pytest.mark.filterwarnings("error")  # no numerical warning may pass unnoticed


@pytest.fixture(scope="module")
def sample_summary() -> pl.DataFrame:
    """The 20,000-customer sample that `load-sample` loads, summarised at its last day."""
    orders = generate(n_customers=20_000, seed=7)["orders"]
    return seg.customer_summary(orders, orders.get_column("order_date").max())


def test_fits_on_the_sample_converge(sample_summary: pl.DataFrame) -> None:
    """The report used to warn "MBG/NBD: the optimiser stopped before converging"."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fits = seg.fit_models(sample_summary)
    for fit in (fits.bgnbd, fits.mbgnbd, fits.gamma_gamma):
        assert fit is not None
        assert fit.status == "ok" and fit.converged and not fit.warnings
    assert not any("optimiser" in w or "limit" in w for w in fits.warnings)


def _certified(objective: bgnbd._BgObjective, theta: np.ndarray, n: float) -> float:
    """n g'H^-1 g at theta: the squared bound on |distance to the optimum| / standard error."""
    _, g = objective(theta)
    h = optimise.hessian(objective, theta, g)
    np.linalg.cholesky(h)  # positive definite: a maximum, not a saddle
    return float(n * g @ np.linalg.solve(h, g))


@pytest.mark.parametrize("mbg", [False, True])
def test_fit_is_a_certified_maximum(sample_summary: pl.DataFrame, mbg: bool) -> None:
    """Independently of the optimiser's own test: the returned parameters sit within
    1e-3 standard errors of a point where the Hessian is positive definite."""
    m = sample_summary.filter(pl.col("occasions") > 0)
    x, t_x, T = (m.get_column(c).to_numpy().astype(float)
                 for c in ("frequency", "recency_days", "T_days"))
    fit = (models.fit_mbgnbd if mbg else models.fit_bgnbd)(x, t_x, T)
    assert fit is not None
    scale = float(T.mean())
    objective = bgnbd._BgObjective(x, t_x, T, mbg, scale)
    theta = np.log([fit.r, fit.alpha / scale, fit.a, fit.b])
    assert _certified(objective, theta, x.size) <= optimise.TOL_SE**2
    # and no neighbour on a coarse grid in log space is better
    f0 = objective(theta)[0]
    for i in range(4):
        for step in (-0.01, 0.01):
            e = np.zeros(4)
            e[i] = step
            assert objective(theta + e)[0] >= f0


def test_stationary_point_with_negative_curvature_is_not_converged() -> None:
    """A saddle has a zero gradient but is no maximum: the fit must not call it converged."""
    def saddle(theta: np.ndarray) -> tuple[float, np.ndarray]:
        return float(theta[0] ** 2 - theta[1] ** 2), np.array([2 * theta[0], -2 * theta[1]])

    theta, ok, status, _ = optimise.minimise(saddle, np.array([0.5, 0.0]), n=1000)
    assert not ok
    assert status in ("stopped", "limit")


def test_quadratic_bowl_converges_to_the_minimum() -> None:
    target = np.array([0.3, -1.2, 2.0])
    weights = np.array([1.0, 1e-4, 50.0])  # one nearly flat direction

    def bowl(theta: np.ndarray) -> tuple[float, np.ndarray]:
        d = theta - target
        return float(weights @ d**2), 2 * weights * d

    theta, ok, status, _ = optimise.minimise(bowl, np.zeros(3), n=10_000)
    assert ok and status == "ok"
    np.testing.assert_allclose(theta, target, atol=1e-6)
