"""The few questions about single order lines, asked of the store and cached here.

The app holds no order lines (`store.load_data(con, lines=False)`: 1.7 GB less resident
memory at 11.5M lines); `crm_logic.lines` answers the questions that need them with one SQL
query on a short read-only connection. Results are held once per server process
(`st.cache_resource`), keyed by the data version and the question's arguments.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from crm_logic import lines, store
from crm_logic.config import CrmConfig
from crm_logic.plausibility import stored_implausible_warning
from ui import state


@st.cache_resource(show_spinner=False, max_entries=64)
def _customer_lines(path: str, version: int, customer_id: str, day: dt.date) -> pl.DataFrame:
    return lines.customer_lines(state.data(), customer_id, day)


def customer_lines(customer_id: str, day: dt.date) -> pl.DataFrame:
    """One customer's order lines up to `day` (Customer 360's order tab and timeline)."""
    return _customer_lines(str(store.db_path()), state.version(), customer_id, day)


@st.cache_resource(show_spinner=False, max_entries=16)
def _order_counts(path: str, version: int, by: str, day: dt.date,
                  start: dt.date | None) -> pl.DataFrame:
    return lines.order_counts(state.data(), by, day, start)


def order_counts(by: str, day: dt.date, start: dt.date | None) -> pl.DataFrame:
    """Orders per product or sales rep in [start, day] (complaint rates per 100 orders)."""
    return _order_counts(str(store.db_path()), state.version(), by, day, start)


@st.cache_resource(show_spinner=False, max_entries=8)
def _implausible(path: str, version: int, day: dt.date, quantile: float,
                 multiple: float) -> dict | None:
    cfg = CrmConfig(implausible_amount_quantile=quantile,
                    implausible_amount_multiple=multiple)
    return stored_implausible_warning(state.data(), cfg, day)


def implausible(cfg: CrmConfig, day: dt.date) -> dict | None:
    """The implausible-amount warning of the lines up to `day` (lifecycle notes)."""
    return _implausible(str(store.db_path()), state.version(), day,
                        cfg.implausible_amount_quantile, cfg.implausible_amount_multiple)
