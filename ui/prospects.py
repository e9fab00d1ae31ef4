"""The Prospects page's display frames: columns and coded values in the chosen language."""

from __future__ import annotations

import polars as pl

from crm_logic.charts.prospects import source_label
from ui import state


def _labels(frame: pl.DataFrame, lang: str) -> pl.Expr:
    """source_code -> its display label, as column `source`."""
    codes = frame.get_column("source_code").unique().to_list()
    return pl.col("source_code").replace_strict(
        codes, [source_label(c, lang) for c in codes], return_dtype=pl.String).alias("source")


def source_table(sources: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Per-source figures with translated sources and column names (rates in %, money 0 dp)."""
    tr = state.tr
    out = sources.select(
        _labels(sources, lang),
        pl.when(pl.col("relation")).then(pl.lit(tr("prospects.yes")))
        .otherwise(pl.lit(tr("prospects.no"))).alias("relation"),
        "prospects", "qualified", "converted",
        (pl.col("conversion_rate") * 100).round(1).alias("conversion_rate"),
        pl.col("avg_lifetime_value").round(0), pl.col("value").round(0),
    )
    names = {c: tr(f"prospects.col.{c}") for c in out.columns}
    names["conversion_rate"] += " %"
    return out.rename(names)


def open_list(rows: pl.DataFrame, lang: str) -> pl.DataFrame:
    """The open-prospects list as shown and downloaded: translated sources and column names,
    dates as text, blanks for missing contacts. Mask personal data before (`privacy`)."""
    shown = rows.with_columns(
        _labels(rows, lang), pl.col("created_date").dt.to_string("%Y-%m-%d"),
    ).drop("source_code").with_columns(pl.col("name", "phone", "email").fill_null(""))
    return shown.rename({c: state.tr(f"prospects.col.{c}") for c in shown.columns})
