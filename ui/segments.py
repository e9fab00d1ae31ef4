"""UI-side helpers of the Segments page: the value table from the shared analysis, display
frames.

No cache of its own: the value table is the value part of the analysis `ui.state` holds
once per server process (`state.analysis_for`). A tier-share what-if re-labels that
analysis (milliseconds); a features-stage change (horizon, discount, margin, costs, RFM
bins, model, interval level) analyses once and is shared by every page and session.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from crm_logic import segmentation as seg
from crm_logic import store
from crm_logic.config import CrmConfig
from crm_logic.i18n import t
from crm_logic.pipeline import export_frame
from ui import state

# the config fields the value table depends on (others do not change it)
VALUE_FIELDS: tuple[str, ...] = (
    "tier_platinum_share", "tier_gold_share", "tier_iron_share", "horizon_days",
    "discount_rate_yearly", "margin_share", "cost_per_order", "cost_per_complaint", "rfm_bins",
    "value_model", "interval_level",
)
LIST_COLUMNS: tuple[str, ...] = (
    "customer_id", "value_tier", "lifetime_value", "historic_value", "predicted_value",
    "cost_to_serve", "rfm_segment", "r_score", "f_score", "m_score", "orders", "revenue",
    "last_order_date", "p_alive", "expected_purchases", "expected_spend",
)
_MONEY = ("lifetime_value", "historic_value", "predicted_value", "cost_to_serve", "revenue",
          "expected_spend")


def value(data: store.CrmData, cfg: CrmConfig, day: dt.date) -> tuple[pl.DataFrame,
                                                                        seg.ModelFits]:
    """`segmentation.value_table` (its columns, rows and fits) for the store: the value part
    of the shared analysis under `cfg` as of `day`. `data` is the store's (`state.data()`)."""
    found = state.analysis_for(cfg, day)
    return found.customers.select(seg.VALUE_COLUMNS), found.fits


def customer_list(table: pl.DataFrame, by: str, pick: str | None) -> pl.DataFrame:
    """The customers of one tier or segment (all when pick is None), largest value first."""
    col = "value_tier" if by == "tier" else "rfm_segment"
    out = table if pick is None else table.filter(pl.col(col) == pick)
    return out.sort(["lifetime_value", "customer_id"], descending=[True, False])


def records_of(customers: pl.DataFrame, rows: pl.DataFrame) -> pl.DataFrame:
    """The customer records of the customers in `rows` (what a shown list joins: masking
    every record on each rerun cost 0.18 s at 250,000 customers for 500 shown)."""
    return customers.filter(pl.col("customer_id").is_in(rows.get_column("customer_id").implode()))


def display_list(rows: pl.DataFrame, customers: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Translated, rounded view of a customer list for st.dataframe (never exported)."""
    out = rows.select(LIST_COLUMNS)
    if "name" in customers.columns and customers.height:
        names = customers.unique("customer_id", keep="first").select("customer_id", "name")
        out = out.join(names, on="customer_id", how="left").select(
            "customer_id", "name", *LIST_COLUMNS[1:])
    out = out.with_columns(
        pl.col("value_tier").replace_strict(
            {c: t(f"tier.{c}", lang) for c in seg.TIERS}, default=pl.col("value_tier")),
        pl.col("rfm_segment").replace_strict(
            {c: t(f"rfm.{c}", lang) for c in seg.RFM_SEGMENTS}, default=pl.col("rfm_segment")),
        pl.concat_str([pl.col("r_score"), pl.col("f_score"), pl.col("m_score")],
                      separator="-").alias("r_score"),
        *[pl.col(c).round(0) for c in _MONEY if c != "expected_spend"],
        pl.col("expected_spend").round(1),
        pl.col("p_alive").round(2),
        pl.col("expected_purchases").round(1),
    ).drop("f_score", "m_score")
    labels = {c: t(f"segments.col.{c}", lang) for c in out.columns
              if f"segments.col.{c}" in _keys()}
    labels["customer_id"] = t("customer_id", lang)
    labels["r_score"] = t("segments.col.rfm", lang)
    if "name" in out.columns:
        labels["name"] = t("name", lang)
    return out.rename(labels)


def _keys() -> set[str]:
    from crm_logic.i18n import TEXTS

    return set(TEXTS)


def download_frame(rows: pl.DataFrame, customers: pl.DataFrame) -> pl.DataFrame:
    """The contract's export columns this area owns (+ name, phone, email for masking)."""
    return export_frame(rows, customers)
