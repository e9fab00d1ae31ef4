"""MBG/NBD (Batislam, Denizel & Filiztekin 2007, "Empirical validation and comparison of
models for customer base analysis", International Journal of Research in Marketing 24(3)).

BG/NBD calls every one-time buyer alive (P = 1 when x = 0); MBG/NBD lets a customer drop
out right after the first purchase too, so a one-time buyer silent for long gets a low
P(alive). Same likelihood as BG/NBD with the dropout chance shifted by one purchase (the
k = 1 terms of `crm_logic.value.bgnbd`). Feeds the churn early warning's P(alive) signal
(`p_alive_mbg`) and, where the user's backtest favours it, the value forecast
(`CrmConfig.value_model`).
"""

from __future__ import annotations

from crm_logic.value.bgnbd import BgNbdFit, bgnbd_p_alive, fit_bg
from crm_logic.value.optimise import ArrayLike


def fit_mbgnbd(
    frequency: ArrayLike, recency: ArrayLike, T: ArrayLike, time_unit: str = "day",
) -> BgNbdFit | None:
    """Maximum-likelihood MBG/NBD; None when there are too few customers or repeat buyers."""
    return fit_bg(frequency, recency, T, mbg=True, time_unit=time_unit)


def mbgnbd_p_alive(fit: BgNbdFit, frequency: ArrayLike, recency: ArrayLike,
                   T: ArrayLike) -> ArrayLike:
    """P(alive) under MBG/NBD: a one-time buyer may already have dropped out."""
    if fit.model != "mbgnbd":
        raise ValueError("mbgnbd_p_alive needs an MBG/NBD fit")
    return bgnbd_p_alive(fit, frequency, recency, T)
