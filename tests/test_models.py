"""BG/NBD, MBG/NBD, Gamma-Gamma: published CDNOW estimates, lifetimes as reference, edge cases."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from crm_logic import models
from crm_logic.segmentation import customer_summary
from crm_logic.value import bgnbd, gamma_gamma, optimise

DATASETS = Path(importlib.util.find_spec("lifetimes").origin).parent / "datasets"
SUMMARY = DATASETS / "cdnow_customers_summary_with_transactions.csv"
RAW = DATASETS / "CDNOW_sample.txt"

# Fader, Hardie & Lee (2005): BG/NBD on the CDNOW 1/10 sample, weeks; Gamma-Gamma (2005 note)
PUBLISHED_BG = {"r": 0.2426, "alpha": 4.414, "a": 0.7929, "b": 2.426}
PUBLISHED_GG = {"p": 6.25, "q": 3.74, "gamma": 15.44}

pytestmark = pytest.mark.filterwarnings("error")  # no numerical warning may pass unnoticed


def _close(got: float, want: float, rel: float = 0.005) -> bool:
    return abs(got - want) <= rel * abs(want)


@pytest.fixture(scope="module")
def cdnow() -> pl.DataFrame:
    if not SUMMARY.exists():
        pytest.skip("lifetimes' CDNOW data not installed")
    return pl.read_csv(SUMMARY)


@pytest.fixture(scope="module")
def cdnow_orders() -> pl.DataFrame:
    """The raw CDNOW 1/10 transactions (customer, date, amount) in the canonical schema."""
    if not RAW.exists():
        pytest.skip("lifetimes' CDNOW data not installed")
    rows = [line.split() for line in RAW.read_text().splitlines() if line.strip()]
    return pl.DataFrame({
        "customer_id": [r[0] for r in rows],
        "order_date": [dt.datetime.strptime(r[2], "%Y%m%d").date() for r in rows],
        "amount": [float(r[4]) for r in rows],
        "order_id": [None] * len(rows),
        "margin": [None] * len(rows),
    }, schema={"customer_id": pl.String, "order_date": pl.Date, "amount": pl.Float64,
               "order_id": pl.String, "margin": pl.Float64})


def _xtT(df: pl.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (df.get_column("x").to_numpy().astype(float), df.get_column("t_x").to_numpy(),
            df.get_column("T").to_numpy())


def test_bgnbd_reproduces_published_cdnow_estimates(cdnow: pl.DataFrame) -> None:
    fit = models.fit_bgnbd(*_xtT(cdnow), time_unit="week")
    assert fit is not None and fit.converged
    assert fit.n == 2357
    for name, want in PUBLISHED_BG.items():
        assert _close(getattr(fit, name), want), (name, getattr(fit, name), want)
    assert fit.log_likelihood == pytest.approx(-9582.4, abs=0.5)  # published LL


def test_gamma_gamma_reproduces_published_cdnow_estimates(cdnow: pl.DataFrame) -> None:
    rep = cdnow.filter(pl.col("x") > 0)
    fit = models.fit_gamma_gamma(rep.get_column("x").to_numpy(), rep.get_column("zbar").to_numpy())
    assert fit is not None and fit.converged and fit.n == 946
    for name, want in PUBLISHED_GG.items():
        assert _close(getattr(fit, name), want), (name, getattr(fit, name), want)


def test_raw_cdnow_through_customer_summary_in_days(cdnow_orders: pl.DataFrame) -> None:
    """Our own summary of the raw transactions (calibration to 1997-09-30), fitted in DAYS:
    r, a, b as published, alpha per day x 7 = alpha per week."""
    s = customer_summary(cdnow_orders, dt.date(1997, 9, 30))
    assert s.height == 2357
    assert int(s.get_column("frequency").sum()) == 2457  # repeat transactions, as published
    x = s.get_column("frequency").to_numpy().astype(float)
    fit = models.fit_bgnbd(x, s.get_column("recency_days").to_numpy(),
                           s.get_column("T_days").to_numpy())
    assert fit is not None and fit.converged and fit.time_unit == "day"
    assert _close(fit.r, PUBLISHED_BG["r"])
    assert _close(fit.alpha / 7.0, PUBLISHED_BG["alpha"])
    assert _close(fit.a, PUBLISHED_BG["a"])
    assert _close(fit.b, PUBLISHED_BG["b"])
    gg = models.fit_gamma_gamma(x, s.get_column("monetary_value").fill_null(np.nan).to_numpy())
    assert gg is not None
    for name, want in PUBLISHED_GG.items():
        assert _close(getattr(gg, name), want), name


def test_predictions_match_lifetimes(cdnow: pl.DataFrame) -> None:
    lifetimes = pytest.importorskip("lifetimes")
    x, t_x, T = _xtT(cdnow)
    ours = models.fit_bgnbd(x, t_x, T, time_unit="week")
    assert ours is not None
    ref = lifetimes.BetaGeoFitter()
    ref.params_ = {"r": ours.r, "alpha": ours.alpha, "a": ours.a, "b": ours.b}
    np.testing.assert_allclose(models.bgnbd_p_alive(ours, x, t_x, T),
                               ref.conditional_probability_alive(x, t_x, T), rtol=1e-9)
    np.testing.assert_allclose(
        models.bgnbd_expected_purchases(ours, 39.0, x, t_x, T),
        ref.conditional_expected_number_of_purchases_up_to_time(39.0, x, t_x, T), rtol=1e-7)
    np.testing.assert_allclose(models.bgnbd_unconditional_expected(ours, 52.0),
                               ref.expected_number_of_purchases_up_to_time(52.0), rtol=1e-7)
    mbg = models.fit_mbgnbd(x, t_x, T, time_unit="week")
    assert mbg is not None and mbg.converged
    ref_m = lifetimes.ModifiedBetaGeoFitter()
    ref_m.params_ = {"r": mbg.r, "alpha": mbg.alpha, "a": mbg.a, "b": mbg.b}
    np.testing.assert_allclose(models.mbgnbd_p_alive(mbg, x, t_x, T),
                               ref_m.conditional_probability_alive(x, t_x, T), rtol=1e-9)
    np.testing.assert_allclose(
        models.bgnbd_expected_purchases(mbg, 39.0, x, t_x, T),
        ref_m.conditional_expected_number_of_purchases_up_to_time(39.0, x, t_x, T), rtol=1e-7)


def test_mbgnbd_matches_lifetimes_fit(cdnow: pl.DataFrame) -> None:
    """lifetimes' ModifiedBetaGeoFitter on CDNOW: r=0.525, alpha=6.183, a=0.891, b=1.614."""
    fit = models.fit_mbgnbd(*_xtT(cdnow), time_unit="week")
    assert fit is not None and fit.model == "mbgnbd"
    for name, want in {"r": 0.5248, "alpha": 6.1830, "a": 0.8914, "b": 1.6140}.items():
        assert _close(getattr(fit, name), want, rel=0.002), name


def test_one_time_buyers_alive_under_bgnbd_not_under_mbgnbd(cdnow: pl.DataFrame) -> None:
    x, t_x, T = _xtT(cdnow)
    bg = models.fit_bgnbd(x, t_x, T)
    mbg = models.fit_mbgnbd(x, t_x, T)
    assert bg is not None and mbg is not None
    once = x == 0
    np.testing.assert_array_equal(models.bgnbd_p_alive(bg, x, t_x, T)[once], 1.0)
    p = models.mbgnbd_p_alive(mbg, x, t_x, T)
    assert np.all(p[once] < 1.0) and np.all(p > 0.0)
    # silent for longer, less likely alive
    assert models.mbgnbd_p_alive(mbg, 0, 0, 50.0)[()] < models.mbgnbd_p_alive(mbg, 0, 0, 5.0)[()]
    with pytest.raises(ValueError):
        models.mbgnbd_p_alive(bg, x, t_x, T)


@pytest.mark.parametrize("mbg", [False, True])
def test_bg_gradient_matches_finite_differences(mbg: bool) -> None:
    x = np.array([0.0, 1.0, 3.0, 10.0])
    t_x = np.array([0.0, 5.0, 20.0, 30.0])
    T = np.array([40.0, 35.0, 38.0, 31.0])
    theta = np.log([0.7, 9.0, 0.9, 2.5])
    _, grad = bgnbd._bg_terms(theta, x, t_x, T, mbg)
    eps = 1e-6
    for i in range(4):
        step = np.zeros(4)
        step[i] = eps
        num = (bgnbd._bg_terms(theta + step, x, t_x, T, mbg)[0]
               - bgnbd._bg_terms(theta - step, x, t_x, T, mbg)[0]) / (2 * eps)
        np.testing.assert_allclose(grad[i], num, rtol=1e-5, atol=1e-8)


def test_gg_gradient_matches_finite_differences() -> None:
    x = np.array([1.0, 2.0, 7.0])
    m = np.array([0.5, 1.3, 2.0])
    theta = np.log([3.0, 2.5, 1.2])
    _, grad = gamma_gamma._gg_terms(theta, x, m)
    eps = 1e-6
    for i in range(3):
        step = np.zeros(3)
        step[i] = eps
        num = (gamma_gamma._gg_terms(theta + step, x, m)[0]
               - gamma_gamma._gg_terms(theta - step, x, m)[0]) / (2 * eps)
        np.testing.assert_allclose(grad[i], num, rtol=1e-5, atol=1e-8)


def test_thin_data_returns_none_not_an_error() -> None:
    empty = np.array([], dtype=float)
    assert models.fit_bgnbd(empty, empty, empty) is None
    assert models.fit_gamma_gamma(empty, empty) is None
    # everybody bought once: nothing to learn about repeat buying
    n = 50
    assert models.fit_bgnbd(np.zeros(n), np.zeros(n), np.linspace(10, 200, n)) is None
    assert models.fit_mbgnbd(np.zeros(n), np.zeros(n), np.linspace(10, 200, n)) is None
    # three customers only
    assert models.fit_bgnbd([1, 2, 0], [5, 9, 0], [10, 10, 10]) is None


def test_gamma_gamma_leaves_out_non_positive_spend() -> None:
    rng = np.random.default_rng(3)
    x = rng.integers(1, 8, 400).astype(float)
    m = rng.gamma(4.0, 10.0, 400)
    base = models.fit_gamma_gamma(x, m)
    spoiled = models.fit_gamma_gamma(np.r_[x, 3.0, 2.0, 0.0], np.r_[m, -50.0, 0.0, 20.0])
    assert base is not None and spoiled is not None
    assert spoiled.n == base.n == 400
    assert spoiled.p == pytest.approx(base.p) and spoiled.gamma == pytest.approx(base.gamma)
    # no usable history: population mean p*gamma/(q-1)
    spend = models.gg_expected_spend(base, [0.0, 2.0, 3.0], [np.nan, -5.0, 30.0])
    assert spend[0] == pytest.approx(base.population_mean())
    assert spend[1] == pytest.approx(base.population_mean())
    assert spend[2] == pytest.approx(base.p * (base.gamma + 90.0) / (3 * base.p + base.q - 1))


def test_heavy_buyers_and_long_horizons_stay_finite() -> None:
    fit = models.BgNbdFit(r=0.8, alpha=30.0, a=0.6, b=3.0, log_likelihood=0.0, n=1,
                          converged=True)
    x = np.array([0.0, 1.0, 50.0, 500.0, 5000.0])
    t_x = np.array([0.0, 10.0, 700.0, 720.0, 729.0])
    T = np.full(5, 730.0)
    for t in (1.0, 365.0, 3650.0):
        e = models.bgnbd_expected_purchases(fit, t, x, t_x, T)
        assert np.all(np.isfinite(e)) and np.all(e >= 0)
    # recent heavy buyers: more past purchases, more expected ones
    assert np.all(np.diff(models.bgnbd_expected_purchases(fit, 365.0, x, t_x, T)[2:]) > 0)
    p = models.bgnbd_p_alive(fit, x, t_x, T)
    assert np.all((p > 0) & (p <= 1))


def test_a_equal_one_is_not_a_singularity() -> None:
    near = models.BgNbdFit(r=0.5, alpha=10.0, a=1.0 + 1e-5, b=2.0, log_likelihood=0.0, n=1,
                           converged=True)
    exact = models.BgNbdFit(r=0.5, alpha=10.0, a=1.0, b=2.0, log_likelihood=0.0, n=1,
                            converged=True)
    args = (30.0, [0.0, 3.0], [0.0, 20.0], [40.0, 40.0])
    np.testing.assert_allclose(models.bgnbd_expected_purchases(exact, *args),
                               models.bgnbd_expected_purchases(near, *args), rtol=1e-3)


def test_discounting() -> None:
    fit = models.BgNbdFit(r=0.8, alpha=30.0, a=0.6, b=3.0, log_likelihood=0.0, n=1,
                          converged=True)
    x, t_x, T = np.array([0.0, 4.0, 4.0]), np.array([0.0, 100.0, 100.0]), np.full(3, 200.0)
    plain = models.bgnbd_expected_purchases(fit, 365.0, x, t_x, T)
    undiscounted = models.discounted_expected_purchases(fit, 365.0, 0.0, x, t_x, T)
    np.testing.assert_allclose(undiscounted, plain, rtol=1e-10)
    discounted = models.discounted_expected_purchases(fit, 365.0, 0.10, x, t_x, T)
    assert np.all(discounted < plain)
    assert np.all(discounted > plain / 1.10)  # every purchase is discounted by less than a year
    assert discounted[1] == pytest.approx(discounted[2])  # identical histories, identical value
    assert np.all(models.discounted_expected_purchases(fit, 0.0, 0.1, x, t_x, T) == 0.0)


@pytest.mark.parametrize("mbg", [False, True])
def test_fast_objectives_equal_the_reference_sums(mbg: bool) -> None:
    rng = np.random.default_rng(8)
    n = 3000
    x = rng.integers(0, 12, n).astype(float)
    T = rng.integers(1, 400, n).astype(float)
    t_x = np.where(x > 0, np.floor(rng.random(n) * T), 0.0)
    theta = np.log([0.6, 40.0, 0.8, 3.0])
    val, grad = bgnbd._BgObjective(x, t_x, T, mbg)(theta)
    ll, g = bgnbd._bg_terms(theta, x, t_x, T, mbg)
    assert val == pytest.approx(-ll.sum() / n, rel=1e-12)
    np.testing.assert_allclose(grad, -g.sum(axis=1) / n, rtol=1e-10)
    m = rng.gamma(3.0, 1.0, n)
    rep = x > 0
    theta_g = np.log([2.0, 3.0, 1.5])
    val_g, grad_g = gamma_gamma._GgObjective(x[rep], m[rep])(theta_g)
    ll_g, gg = gamma_gamma._gg_terms(theta_g, x[rep], m[rep])
    assert val_g == pytest.approx(-ll_g.sum() / rep.sum(), rel=1e-12)
    np.testing.assert_allclose(grad_g, -gg.sum(axis=1) / rep.sum(), rtol=1e-10)


def _simulate_bgnbd(n: int, span: int, seed: int) -> tuple[np.ndarray, ...]:
    """(x, t_x, T) in days from BG/NBD itself (r=0.6, alpha=40, a=0.8, b=2.5), vectorised."""
    rng = np.random.default_rng(seed)
    first = rng.integers(0, span - 1, n)
    lam = rng.gamma(0.6, 1 / 40.0, n)
    repeats = np.minimum(rng.geometric(np.clip(rng.beta(0.8, 2.5, n), 1e-6, 1)), 400)
    cust = np.repeat(np.arange(n), repeats)
    cum = np.cumsum(rng.exponential(1.0 / lam[cust]))
    starts = np.concatenate([[0], np.cumsum(repeats)[:-1]])
    t = cum - np.repeat(np.concatenate([[0.0], cum])[starts], repeats)
    T = (span - first).astype(float)
    alive = t < T[cust]
    x = np.bincount(cust[alive], minlength=n).astype(float)
    last = np.zeros(n)
    np.maximum.at(last, cust[alive], np.floor(t[alive]))
    return x, last, T


def test_simulated_bgnbd_parameters_are_recovered() -> None:
    x, t_x, T = _simulate_bgnbd(30_000, 730, seed=4)
    fit = models.fit_bgnbd(x, t_x, T)
    assert fit is not None and fit.converged
    for name, want in {"r": 0.6, "alpha": 40.0, "a": 0.8, "b": 2.5}.items():
        assert getattr(fit, name) == pytest.approx(want, rel=0.15), name


def test_warm_start_reaches_the_same_optimum(monkeypatch: pytest.MonkeyPatch) -> None:
    """Large data are fitted from a subsample's estimate: same parameters as a cold start."""
    x, t_x, T = _simulate_bgnbd(45_000, 730, seed=12)
    for fit_fn in (models.fit_bgnbd, models.fit_mbgnbd):
        monkeypatch.setattr(optimise, "WARM_START_ROWS", 20_000)
        warm = fit_fn(x, t_x, T)
        monkeypatch.setattr(optimise, "WARM_START_ROWS", 10**9)  # no subsample: cold start
        cold = fit_fn(x, t_x, T)
        assert warm is not None and cold is not None and warm.converged and cold.converged
        assert warm.log_likelihood == pytest.approx(cold.log_likelihood, abs=1e-2)
        for name in ("r", "alpha", "a", "b"):
            assert getattr(warm, name) == pytest.approx(getattr(cold, name), rel=1e-3), name


def test_log_likelihood_is_reported_in_the_data_time_unit(cdnow: pl.DataFrame) -> None:
    x, t_x, T = _xtT(cdnow)
    fit = models.fit_mbgnbd(x, t_x, T, time_unit="week")
    assert fit is not None
    direct = models.bgnbd_log_likelihood(fit, x, t_x, T).sum()
    assert fit.log_likelihood == pytest.approx(direct, rel=1e-10)


def test_discounting_in_weeks_and_days_agree(cdnow: pl.DataFrame) -> None:
    """Non-integer times (weeks) take the uncompressed path: same answer per customer."""
    x, t_x, T = _xtT(cdnow)
    fit = models.fit_bgnbd(x, t_x, T, time_unit="week")
    assert fit is not None
    got = models.discounted_expected_purchases(fit, 52.0, 0.0, x, t_x, T, step=52 / 12,
                                               year=52.0)
    np.testing.assert_allclose(got, models.bgnbd_expected_purchases(fit, 52.0, x, t_x, T),
                               rtol=1e-9)
