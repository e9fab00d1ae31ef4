"""The value models under their historical import path: see `crm_logic.value`.

BG/NBD -> `crm_logic.value.bgnbd`, MBG/NBD -> `crm_logic.value.mbgnbd`, Gamma-Gamma ->
`crm_logic.value.gamma_gamma`; the optimiser in `crm_logic.value.optimise`.
"""

from __future__ import annotations

from crm_logic.value.bgnbd import (
    BgNbdFit,
    bgnbd_expected_purchases,
    bgnbd_log_likelihood,
    bgnbd_p_alive,
    bgnbd_unconditional_expected,
    discounted_expected_purchases,
    fit_bgnbd,
)
from crm_logic.value.gamma_gamma import GammaGammaFit, fit_gamma_gamma, gg_expected_spend
from crm_logic.value.mbgnbd import fit_mbgnbd, mbgnbd_p_alive

__all__ = [
    "BgNbdFit", "GammaGammaFit", "bgnbd_expected_purchases", "bgnbd_log_likelihood",
    "bgnbd_p_alive", "bgnbd_unconditional_expected", "discounted_expected_purchases",
    "fit_bgnbd", "fit_gamma_gamma", "fit_mbgnbd", "gg_expected_spend", "mbgnbd_p_alive",
]
