"""90% value intervals: right coverage where the model is right, and every exported customer
has lifetime_value_low <= lifetime_value <= lifetime_value_high."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest

from crm_logic import models
from crm_logic.cli import main
from crm_logic.pipeline import EXPORT_COLUMNS
from crm_logic.value.intervals import value_intervals


def _simulate(n: int, seed: int, span: float = 730.0, horizon: float = 365.0):
    """BG/NBD purchases (r=0.6, alpha=40, a=0.8, b=2.5, days) and Gamma-Gamma spend
    (p=6, q=4, gamma=60), continuous time: calibration (x, t_x, T, mean repeat spend) and
    the holdout's revenue per customer."""
    rng = np.random.default_rng(seed)
    first = rng.uniform(0.0, span, n)
    lam = rng.gamma(0.6, 1 / 40.0, n)
    drop = rng.beta(0.8, 2.5, n)
    nu = rng.gamma(4.0, 1 / 60.0, n)
    x = np.zeros(n)
    last = np.zeros(n)
    spend_sum = np.zeros(n)
    hold = np.zeros(n)
    t = np.zeros(n)  # time since the first purchase
    alive = np.ones(n, dtype=bool)
    T = span - first
    for _ in range(400):
        if not alive.any():
            break
        t = t + rng.exponential(1.0 / lam)
        z = rng.gamma(6.0, 1.0 / nu)
        in_cal = alive & (t < T)
        in_hold = alive & (t >= T) & (t < T + horizon)
        x += in_cal
        last = np.where(in_cal, t, last)
        spend_sum += np.where(in_cal, z, 0.0)
        hold += np.where(in_hold, z, 0.0)
        alive &= (t < T + horizon) & (rng.random(n) >= drop)  # drop out after a purchase
    m = np.where(x > 0, spend_sum / np.maximum(x, 1), np.nan)
    return x, last, T, m, hold


def test_coverage_is_near_nominal_where_the_model_is_right() -> None:
    x, t_x, T, m, hold = _simulate(20_000, seed=21)
    bg = models.fit_bgnbd(x, t_x, T)
    gg = models.fit_gamma_gamma(x, m)
    assert bg is not None and gg is not None and bg.cov is not None and gg.cov is not None
    pop = gg.population_mean()
    spend = models.gg_expected_spend(gg, x, m, fallback=pop)
    iv = value_intervals(bg, gg, 365.0, x, t_x, T, m, spend, level=0.9, fallback=pop)
    assert np.all(iv.low <= iv.mean) and np.all(iv.mean <= iv.high) and np.all(iv.low >= 0)
    inside = (hold >= iv.low) & (hold <= iv.high)
    assert 0.86 <= inside.mean() <= 0.97
    # the total: the actual within three of the interval's standard deviations
    sd = (iv.total_high - iv.total) / 1.6449
    assert abs(hold.sum() - iv.total) < 3 * sd
    assert iv.total_sd_param > 0 and iv.total_sd_process > 0
    # a wider level gives a wider interval
    wide = value_intervals(bg, gg, 365.0, x, t_x, T, m, spend, level=0.99, fallback=pop)
    assert np.all(wide.high >= iv.high - 1e-9) and wide.total_high > iv.total_high


def test_without_parameter_uncertainty_only_the_process_remains() -> None:
    x, t_x, T, m, _ = _simulate(5_000, seed=3)
    bg = models.fit_bgnbd(x, t_x, T)
    assert bg is not None
    spend = np.full(x.size, 50.0)
    bare = models.BgNbdFit(bg.r, bg.alpha, bg.a, bg.b, bg.log_likelihood, bg.n, True)
    iv = value_intervals(bare, None, 365.0, x, t_x, T, m, spend)
    assert np.all(iv.sd_param == 0) and iv.total_sd_param == 0
    # spend known: Var(revenue) = 50^2 Var(N), Var(N) from the formula in the module
    e = models.bgnbd_expected_purchases(bg, 365.0, x, t_x, T)
    pi = np.clip(models.bgnbd_p_alive(bg, x, t_x, T), 1e-12, 1.0)  # as the module does
    var_n = e * (1 + 365.0 / (bg.alpha + T)) + e**2 * (1 - pi) / pi
    np.testing.assert_allclose(iv.sd_process, 50.0 * np.sqrt(var_n), rtol=1e-9)


def test_every_exported_customer_has_low_le_value_le_high(
    sample_db_master: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "customers.csv"
    assert main(["--db", str(sample_db_master), "export", "customers", "--out", str(out)]) == 0
    capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows
    header = list(rows[0])
    i = header.index("recommended_action")
    assert header[i + 1:i + 3] == ["lifetime_value_low", "lifetime_value_high"]
    assert tuple(header[:len(EXPORT_COLUMNS)]) == EXPORT_COLUMNS
    widths = 0
    for r in rows:
        low, value, high = (float(r[k]) for k in ("lifetime_value_low", "lifetime_value",
                                                  "lifetime_value_high"))
        assert low <= value <= high
        widths += high > low
    assert widths > len(rows) / 2  # real intervals, not the point repeated
