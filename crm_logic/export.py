"""Safe CSV exports: no cell runs as a spreadsheet formula; personal data masked by default.

Every CSV the product writes (CLI `export`, page downloads) goes through `to_safe_csv`:
- text starting with = + - @ tab or CR gets a leading `'` (OWASP CSV injection advice),
  so Excel/WPS show it as text instead of running it;
- name, phone and email are masked unless the user asks otherwise (`mask=False`);
- list columns become "a; b"; UTF-8 with a BOM so Excel opens Chinese correctly, or GBK
  on request (written as GB18030, GBK's superset, so no character is lost).
"""

from __future__ import annotations

import polars as pl

PERSONAL_COLUMNS: tuple[str, ...] = ("name", "phone", "email")
FORMULA_START = r"^[=+\-@\t\r]"


def neutralise_formulas(col: str) -> pl.Expr:
    """Prefix text that a spreadsheet would run as a formula with a quote."""
    c = pl.col(col)
    return pl.when(c.str.contains(FORMULA_START)).then(pl.lit("'") + c).otherwise(c).alias(col)


def mask_name() -> pl.Expr:
    """张三丰 -> 张**; Alice Smith -> A**********."""
    c = pl.col("name")
    return (c.str.slice(0, 1) + pl.lit("*").repeat_by(c.str.len_chars() - 1).list.join("")).alias(
        "name"
    )


def mask_phone() -> pl.Expr:
    """13812345678 -> 138****5678: keep the first 3 and the last 4 digits."""
    c = pl.col("phone")
    n = c.str.len_chars()
    masked = c.str.slice(0, 3) + pl.lit("****") + c.str.slice(n - 4, 4)
    return (
        pl.when(c.is_null()).then(None).when(n >= 8).then(masked).otherwise(pl.lit("****"))
    ).alias("phone")


def mask_email() -> pl.Expr:
    """alice@example.com -> a***@example.com."""
    c = pl.col("email")
    local = c.str.extract(r"^([^@]*)@", 1)
    domain = c.str.extract(r"@(.*)$", 1)
    masked = local.str.slice(0, 1) + pl.lit("***@") + domain
    return (
        pl.when(c.is_null()).then(None).when(domain.is_not_null()).then(masked)
        .otherwise(pl.lit("***"))
    ).alias("email")


_MASKS = {"name": mask_name, "phone": mask_phone, "email": mask_email}


def mask_frame(df: pl.DataFrame) -> pl.DataFrame:
    """Personal columns (name, phone, email) masked, everything else as it is (for screens)."""
    present = [c for c in PERSONAL_COLUMNS if c in df.columns and df.schema[c] == pl.String]
    return df.with_columns(_MASKS[c]() for c in present) if present else df


def safe_frame(df: pl.DataFrame, mask: bool = True) -> pl.DataFrame:
    """The frame as it will be written: lists joined, personal data masked, formulas defused."""
    out = df
    lists = [c for c, dt in out.schema.items() if isinstance(dt, pl.List)]
    if lists:
        out = out.with_columns(pl.col(c).cast(pl.List(pl.String)).list.join("; ") for c in lists)
    if mask:
        out = mask_frame(out)
    strings = [c for c, dt in out.schema.items() if dt == pl.String]
    if strings:
        out = out.with_columns(neutralise_formulas(c) for c in strings)
    return out


def to_safe_csv(df: pl.DataFrame, encoding: str = "utf-8-sig", mask: bool = True) -> bytes:
    """CSV bytes safe to open in a spreadsheet (see module docstring)."""
    text = safe_frame(df, mask=mask).write_csv(date_format="%Y-%m-%d")
    if encoding.lower() in ("gbk", "gb2312", "gb18030"):
        return text.encode("gb18030")
    return text.encode("utf-8-sig")
