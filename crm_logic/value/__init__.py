"""Customer-base models and how far to trust them: one model per module.

- `bgnbd`: BG/NBD (Fader, Hardie & Lee 2005) -> p_alive, expected purchases, predicted value.
- `mbgnbd`: MBG/NBD (Batislam, Denizel & Filiztekin 2007) -> p_alive_mbg (churn signal) and,
  where the user's own backtest favours it, the value forecast (`CrmConfig.value_model`).
- `gamma_gamma`: Gamma-Gamma spend (Fader, Hardie & Lee 2005, "RFM and CLV").
- `optimise`: distinct-history compression, L-BFGS-B with an early stop for fits that run
  off to a limit, the Hessian (convergence check and parameter covariance).
- `intervals`: 90% intervals per customer and for the total (delta method + the purchase
  process).
- `backtest`: fit before a cut-off, predict the horizon, compare with what happened.

Written here (not lifetimes, which is unmaintained; not PyMC-Marketing, too heavy for an
interactive page): vectorised NumPy/SciPy in log space with analytic gradients.
`crm_logic.models` re-exports the model functions under their old names.
"""
