"""Tables a manager reads: headers and coded values in the page language, money with the
currency, risk as %, dates without times, blanks as "—", customer IDs as links, long advice
wrapped. `table(df, lang)` renders any frame with canonical column names that way."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from crm_logic.fmt import BLANK
from crm_logic.i18n import t
from crm_logic.localise import header, localise_frame
from ui import show

MONEY = {"amount", "unit_price", "margin", "lifetime_value", "lifetime_value_low",
         "lifetime_value_high", "historic_value", "predicted_value", "revenue",
         "value_at_stake", "expected_loss", "lost_value", "cost_to_serve"}
CENTS = {"amount", "unit_price", "margin"}
COUNTS = {"orders", "quantity", "customers", "occasions", "complaints", "age_days",
          "days_to_resolve", "days_since_last", "lifetime_days"}
RISK = {"churn_risk", "p_alive"}
LONG_TEXT = {"recommended_action", "risk_flags", "description", "action"}


def column_config(columns: list[str], lang: str, labels: dict[str, str] | None = None
                  ) -> dict[str, Any]:
    """st.column_config for canonical `columns`, keyed by their display headers."""
    labels = labels or {c: header(c, lang) for c in columns}
    out: dict[str, Any] = {}
    for c in columns:
        label = labels.get(c, c)
        if c in MONEY:
            out[label] = show.money_column(label)
        elif c in RISK:
            out[label] = show.risk_column(label)
        elif c in COUNTS:
            out[label] = show.count_column(label)
        elif c.endswith("_date") or c in ("first_purchase", "last_purchase"):
            out[label] = show.date_column(label)
        elif c == "customer_id":
            out[label] = show.link_column(label)
        elif c in LONG_TEXT:
            out[label] = st.column_config.TextColumn(label, width="medium")  # wraps
    return out


def prepared(df: pl.DataFrame, lang: str, links: bool = True) -> pl.DataFrame:
    """`df` with coded values as labels, money rounded, datetimes as dates, IDs as links."""
    out = localise_frame(df, lang, headers=False)
    money = [c for c in out.columns if c in MONEY and out.schema[c].is_float()]
    if money:  # order lines keep their cents; values and sums are whole units
        out = out.with_columns(pl.col(c).round(2 if c in CENTS else 0) for c in money)
    times = [c for c, d in out.schema.items() if isinstance(d, pl.Datetime)]
    if times:
        out = out.with_columns(pl.col(c).dt.date() for c in times)
    return show.with_links(out) if links else out


def table(df: pl.DataFrame, lang: str, links: bool = True, key: str | None = None,
          **kwargs: Any) -> Any:
    """Render `df` (canonical column names) as the manager's table."""
    shown = prepared(df, lang, links)
    labels = {c: header(c, lang) for c in shown.columns}
    config = column_config(shown.columns, lang, labels)
    if not links:
        config.pop(labels.get("customer_id", ""), None)
    if any(c in LONG_TEXT for c in shown.columns):
        kwargs.setdefault("row_height", show.WRAP_ROW_HEIGHT)
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("width", "stretch")
    return st.dataframe(shown.rename(labels), column_config=config, key=key,
                        placeholder=BLANK, **kwargs)


def coded_cells(codes: dict[str, tuple[str, ...]], lang: str) -> dict[str, dict[str, str]]:
    """{column: {code: label}} for editable cells holding comma-separated codes."""
    prefix = {"stage": "stage", "tier": "tier", "risk": "risk"}
    out: dict[str, dict[str, str]] = {}
    for col, values in codes.items():
        out[col] = {v: (t(f"{prefix[col]}.{v}", lang) if col in prefix else t(f"export.{v}", lang))
                    for v in values}
    return out


def _map_cells(df: pl.DataFrame, mapping: dict[str, dict[str, str]]) -> pl.DataFrame:
    def one(text: str | None, m: dict[str, str]) -> str | None:
        if text is None:
            return None
        return ",".join(m.get(p.strip(), m.get(p.strip().lower(), p.strip()))
                        for p in text.split(",") if p.strip())

    return df.with_columns(
        pl.col(c).map_elements(lambda v, _m=m: one(v, _m), return_dtype=pl.String)
        for c, m in mapping.items() if c in df.columns)


def cells_to_labels(df: pl.DataFrame, mapping: dict[str, dict[str, str]]) -> pl.DataFrame:
    """Editable code cells shown as labels ("platinum,gold" -> "铂金层,黄金层")."""
    return _map_cells(df, mapping)


def cells_to_codes(df: pl.DataFrame, mapping: dict[str, dict[str, str]]) -> pl.DataFrame:
    """Edited label cells back to codes (codes typed as they are stay codes)."""
    return _map_cells(df, {c: {v: k for k, v in m.items()} | {k: k for k in m}
                           for c, m in mapping.items()})
