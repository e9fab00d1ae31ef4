"""How numbers, customers and codes look on the pages: one place, built on `crm_logic.fmt`.

- `money(x)`: ¥405,032 in the currency of the config (else the data's, else CNY);
- `money_column(label)`, `count_column`, `risk_column`, `date_column`: st.column_config
  entries so tables show thousands separators, the currency in the header, risk as % and
  dates as YYYY-MM-DD while still sorting as numbers/dates;
- `with_links(df)`: the customer_id column as a link to Customer 360 in the same view
  (`/customer?lang=..&as_of=..&customer=ID`), with `link_column(label)` showing the ID.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import polars as pl
import streamlit as st

from crm_logic import fmt
from ui import state, url

# Streamlit's tables wrap long text only when rows are taller than 4rem (64 px): tables
# with advice texts use this height so nothing is cut off.
WRAP_ROW_HEIGHT = 84


@st.cache_data(show_spinner=False, max_entries=4)
def _data_currency(path: str, data_version: int) -> str | None:
    d = state.data()
    currencies = (d.orders.get_column("currency").to_list()
                  if "currency" in d.orders.columns else [])
    regions = (d.customers.get_column("region").drop_nulls().to_list()
               if "region" in d.customers.columns else [])
    return fmt.currency_from_data(currencies, regions)


def currency_of_data() -> str:
    """The currency the data suggest (else CNY), ignoring the config."""
    from crm_logic import store

    return fmt.resolve_currency("", _data_currency(str(store.db_path()), state.version()))


def currency() -> str:
    """The currency code money is shown in."""
    from crm_logic import store

    return fmt.resolve_currency(state.config().currency,
                                _data_currency(str(store.db_path()), state.version()))


def money(x: float | None, compact: bool = False) -> str:
    """Money in the view's currency and language."""
    return fmt.money(x, currency(), state.lang(), compact=compact)


def money_label(label: str) -> str:
    """A money column header with the currency symbol."""
    return fmt.money_label(label, currency())


def money_column(label: str, **kw: Any) -> Any:
    """A money column: grouped whole numbers, the currency in the header."""
    return st.column_config.NumberColumn(money_label(label), format="localized", **kw)


def count_column(label: str, **kw: Any) -> Any:
    """A count column with thousands separators."""
    return st.column_config.NumberColumn(label, format="localized", **kw)


def risk_column(label: str, **kw: Any) -> Any:
    """Churn risk in [0, 1] as a bar with a percentage."""
    return st.column_config.ProgressColumn(label, min_value=0.0, max_value=1.0,
                                           format="percent", **kw)


def date_column(label: str, **kw: Any) -> Any:
    """A date column as YYYY-MM-DD (no 00:00:00 times)."""
    return st.column_config.DateColumn(label, format="YYYY-MM-DD", **kw)


def customer_href(customer_id: str) -> str:
    """Customer 360 of one customer in the current view (language, as-of, what-ifs)."""
    view = url.view_params("customer.py", state.lang(), state.as_of(),
                           state.default_as_of(state.data()))
    view.pop("customer", None)
    view["customer"] = str(customer_id)  # last: the link column shows what follows it
    return "/customer?" + urlencode(view)


def with_links(df: pl.DataFrame, col: str = "customer_id") -> pl.DataFrame:
    """`col` (customer IDs) replaced by links to Customer 360 in the current view."""
    if col not in df.columns or df.is_empty():
        return df
    ids = df.get_column(col).cast(pl.String)
    base = customer_href("\x00")
    prefix = base[: base.index("%00")]
    return df.with_columns(
        pl.when(ids.is_null()).then(None).otherwise(
            pl.lit(prefix) + ids.map_elements(lambda v: urlencode({"": v})[1:],
                                              return_dtype=pl.String)
        ).alias(col)
    )


def link_column(label: str, **kw: Any) -> Any:
    """A link column that shows the customer ID of a `with_links` URL."""
    return st.column_config.LinkColumn(label, display_text=r"customer=([^&]*)$", **kw)


def blank(value: Any) -> str:
    """A cell or figure as text, blanks as "—"."""
    return fmt.text(value)
