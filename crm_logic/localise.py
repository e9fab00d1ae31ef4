"""A frame in the reader's language: Chinese (or English) headers and coded values as labels.

`localise_frame(df, "zh")` is what `export ... --lang zh` and the pages' downloads write:
every known column gets its label (`export.col.<name>`), coded values (tier, stage,
pattern, risk level, RFM segment, complaint status and category, churn cause and type,
actions, warning flags) become their labels, and true/false become 是/否. With
`lang="en"` and `headers=False` the contract's column names stay (for scripts) and only
list columns are joined, as before. Logic never uses these labels as column names.
"""

from __future__ import annotations

import polars as pl

from crm_logic.i18n import TEXTS, t

# column -> i18n prefix of its coded values
VALUE_PREFIX: dict[str, str] = {
    "value_tier": "tier",
    "lifecycle_stage": "stage",
    "peak_stage": "stage",
    "lifecycle_pattern": "pattern",
    "risk_level": "risk",
    "rfm_segment": "rfm",
    "status_code": "complaints.status",
    "category": "complaints.category",
    "churn_reason": "churn_reason",
    "churn_type": "churn_type",
    "recommended_action": "churn.action",
    "action": "churn.action",
}
LIST_PREFIX: dict[str, str] = {"risk_flags": "churn.flag"}


def header(col: str, lang: str) -> str:
    """The display header of a column (the column name itself if no label is known)."""
    key = f"export.col.{col}"
    return t(key, lang) if key in TEXTS else col


def _codes(prefix: str) -> dict[str, str]:
    """{code: key} of every i18n key under `prefix.`."""
    start = prefix + "."
    return {k[len(start):]: k for k in TEXTS if k.startswith(start) and "." not in k[len(start):]}


def _value_expr(col: str, dtype: pl.DataType, lang: str) -> pl.Expr | None:
    if dtype == pl.Boolean:
        yes, no = t("export.yes", lang), t("export.no", lang)
        return pl.when(pl.col(col)).then(pl.lit(yes)).when(~pl.col(col)).then(pl.lit(no)) \
            .otherwise(None).alias(col)
    if col in LIST_PREFIX and isinstance(dtype, pl.List):
        mapping = {c: t(k, lang) for c, k in _codes(LIST_PREFIX[col]).items()}
        sep = "；" if lang == "zh" else "; "
        return pl.col(col).cast(pl.List(pl.String)).list.eval(
            pl.element().replace(mapping)).list.join(sep).alias(col)
    if col in VALUE_PREFIX and dtype == pl.String:
        mapping = {c: t(k, lang) for c, k in _codes(VALUE_PREFIX[col]).items()}
        return pl.col(col).replace(mapping).alias(col)
    return None


def localise_frame(df: pl.DataFrame, lang: str, headers: bool = True) -> pl.DataFrame:
    """Coded values as labels in `lang`, and (if `headers`) display headers in `lang`."""
    exprs = [e for c, d in df.schema.items() if (e := _value_expr(c, d, lang)) is not None]
    out = df.with_columns(exprs) if exprs else df
    if headers:
        names = [header(c, lang) for c in out.columns]
        if len(set(names)) == len(names):
            out = out.rename(dict(zip(out.columns, names, strict=True)))
    return out
