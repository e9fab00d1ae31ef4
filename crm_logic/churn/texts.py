"""Readable texts of flags and actions in both languages."""

from __future__ import annotations

import polars as pl

from crm_logic.codes import ACTIONS, FLAGS
from crm_logic.config import CrmConfig
from crm_logic.i18n import t

# --- readable texts ------------------------------------------------------------------------


def flags_text(flags: list[str] | None, lang: str = "en") -> str:
    """Flag codes as readable text in `lang`, joined with "; " (Chinese: "；")."""
    sep = "；" if lang == "zh" else "; "
    return sep.join(t(f"churn.flag.{f}", lang) for f in (flags or []))


def readable_flags_expr(lang: str = "en", col: str = "risk_flags") -> pl.Expr:
    """The List[String] flag codes in `col` as one readable String (for lists and CSV)."""
    mapping = {f: t(f"churn.flag.{f}", lang) for f in FLAGS}
    sep = "；" if lang == "zh" else "; "
    return (
        pl.col(col).list.eval(pl.element().replace_strict(mapping, default=pl.element()))
        .list.join(sep).alias(col)
    )


def action_text_expr(lang: str = "en", col: str = "recommended_action") -> pl.Expr:
    """The action code in `col` as the domain strategy's text in `lang`."""
    mapping = {a: t(f"churn.action.{a}", lang) for a in ACTIONS}
    return pl.col(col).replace_strict(mapping, default=pl.col(col)).alias(col)


def flag_explanations(cfg: CrmConfig, lang: str = "en") -> list[tuple[str, str]]:
    """(flag label, one sentence with the current thresholds) for every flag."""
    params = {
        "inactive": {"m": cfg.inactive_gap_multiple},
        "frequency_drop": {"w": cfg.recent_window_days, "s": cfg.frequency_drop_share},
        "spend_drop": {"w": cfg.recent_window_days, "s": cfg.spend_drop_share},
        "complaint_open": {},
        "complaint_late": {"d": cfg.sla_days},
        "complaint_repeat": {"n": cfg.repeat_complaints_min, "w": cfg.recent_window_days},
        "low_p_alive": {"p": cfg.p_alive_low},
        "decline": {},
    }
    return [(t(f"churn.flag.{f}", lang), t(f"churn.explain.{f}", lang, **params[f]))
            for f in FLAGS]
