"""UI-side helpers of the Complaints page: cached analysis results, drill-down, display frames.

Caching lives here (never in crm_logic): results are keyed by the store path, the data
version, the as-of date and the config, so an import or a what-if change recomputes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import polars as pl
import streamlit as st

from crm_logic import complaints as cl
from crm_logic import store
from crm_logic.charts.complaints import CODE_PREFIX, code_label
from crm_logic.config import CrmConfig
from ui import lines as ui_lines
from ui import state

# config fields of the complaints area: they do not change who is lost
COMPLAINT_FIELDS: tuple[str, ...] = (
    "sla_days", "new_customer_days", "backlog_age_1_days", "backlog_age_2_days",
    "backlog_age_3_days", "repeat_complainer_min", "complaint_rate_min_orders", "ci_level",
    "escalation_channels",
)


def _cfg_items(cfg: CrmConfig) -> tuple:
    return tuple(sorted(cfg.to_dict().items()))


@st.cache_resource(show_spinner=False, max_entries=8)
def _facts(path: str, version: int, day: dt.date, cfg_items: tuple,
           _data: store.CrmData) -> pl.DataFrame:
    from crm_logic import occasions  # first order day per customer: the occasion table's

    days = occasions.table(_data, day, ("customer_id", "day")).select(
        "customer_id", pl.col("day").alias("order_date"))
    return cl.complaint_facts(_data.complaints, CrmConfig(**dict(cfg_items)), day,
                              orders=days, customers=_data.customers)


def facts(data: store.CrmData, cfg: CrmConfig, day: dt.date) -> pl.DataFrame:
    """`complaint_facts` over the whole store, cached."""
    return _facts(str(store.db_path()), state.version(), day, _cfg_items(cfg), data)


@st.cache_resource(show_spinner=False, max_entries=8)
def _rule_churned(path: str, version: int, day: dt.date, cfg_items: tuple,
                  _data: store.CrmData) -> pl.DataFrame:
    return cl.churned_frame(_data, CrmConfig(**dict(cfg_items)), day)[0]


@st.cache_resource(show_spinner=False, max_entries=8)
def _yearly_revenue(path: str, version: int, day: dt.date,
                    _data: store.CrmData) -> pl.DataFrame:
    from crm_logic import occasions

    return cl.yearly_revenue(occasions.table(_data, day, occasions.DAYS), day)


def yearly_revenue(data: store.CrmData, day: dt.date) -> pl.DataFrame:
    """customer_id, yearly_revenue (see `crm_logic.complaints.yearly_revenue`), cached."""
    return _yearly_revenue(str(store.db_path()), state.version(), day, data)


def churned(data: store.CrmData, cfg: CrmConfig, day: dt.date) -> tuple[pl.DataFrame, str]:
    """(customer_id, churned) and its source ("lifecycle"): the lifecycle's one lost rule.

    With orders: the shared customer analysis (`ui.state`'s cache, run with the complaint
    fields at their defaults since they do not change who is lost, so moving the SLA slider
    does not refit the models); else the same rule on its own (`churned_frame`).
    """
    base = dataclasses.replace(
        cfg, **{f: getattr(CrmConfig(), f) for f in COMPLAINT_FIELDS}
    )
    path = str(store.db_path())
    if state.has_orders(day):
        try:
            analysis = state.analysis_for(base)
            table = analysis.customers
            if {"customer_id", "churned"} <= set(table.columns):
                return table.select(
                    "customer_id", pl.col("churned").fill_null(False).cast(pl.Boolean)
                ), "lifecycle"
        except (ImportError, AttributeError):
            pass
    return _rule_churned(path, state.version(), day, _cfg_items(base), data), "lifecycle"


@st.cache_resource(show_spinner=False, max_entries=16)
def _repeat(path: str, version: int, day: dt.date, cfg_items: tuple, filters: tuple,
            _facts: pl.DataFrame) -> pl.DataFrame:
    return cl.repeat_complainers(_facts, CrmConfig(**dict(cfg_items)))


def repeat_complainers(facts: pl.DataFrame, cfg: CrmConfig, day: dt.date,
                       filters: tuple) -> pl.DataFrame:
    """`repeat_complainers` of the page's facts (`facts(...)` narrowed by `filters`), held:
    a rerun (a revisit, another widget) does not group the complaints again."""
    return _repeat(str(store.db_path()), state.version(), day, _cfg_items(cfg), filters, facts)


@st.cache_resource(show_spinner=False, max_entries=8)
def _vs_churn(path: str, version: int, day: dt.date, cfg_items: tuple,
              _facts: pl.DataFrame, _churned: pl.DataFrame) -> pl.DataFrame:
    return cl.complaints_vs_churn(_facts, _churned, CrmConfig(**dict(cfg_items)))


def vs_churn(facts: pl.DataFrame, churned: pl.DataFrame, cfg: CrmConfig,
             day: dt.date) -> pl.DataFrame:
    """`complaints_vs_churn` of the store's facts and who is lost (both follow from the data
    version, the as-of and the config), held."""
    return _vs_churn(str(store.db_path()), state.version(), day, _cfg_items(cfg), facts,
                     churned)


@st.cache_resource(show_spinner=False, max_entries=8)
def _report(path: str, version: int, day: dt.date, cfg_items: tuple,
            _data: store.CrmData) -> dict[str, Any]:
    return cl.complaint_report(_data.complaints, CrmConfig(**dict(cfg_items)), day)


def report(data: store.CrmData, cfg: CrmConfig, day: dt.date) -> dict[str, Any]:
    """`complaint_report` (the Overview's complaint figures), held per data version, as-of
    and config (0.4 s at 170,000 complaints on every Overview rerun before)."""
    return _report(str(store.db_path()), state.version(), day, _cfg_items(cfg), data)


def rates(data: store.CrmData, facts: pl.DataFrame, by: str, day: dt.date,
          start: dt.date | None) -> pl.DataFrame:
    """Complaints per 100 orders by product or rep; the order counts are cached."""
    counts = ui_lines.order_counts(by, day, start)
    return cl.rates_per_100_orders(facts, counts, by, day, start=start)


def selected_values(event: Any) -> list[Any]:
    """The codes (customdata) of the bars a user clicked in a chart, in click order."""
    if not event:
        return []
    selection = event.get("selection") if isinstance(event, dict) else getattr(
        event, "selection", None
    )
    points = (selection or {}).get("points", []) if selection is not None else []
    out: list[Any] = []
    for p in points:
        value = p.get("customdata")
        if isinstance(value, list):
            value = value[0] if value else None
        if value is not None and value not in out:
            out.append(value)
    return out


def translate_codes(df: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Coded columns (category, channel, status_code, …) as display labels; unknown values
    stay as they are, missing ones read "not recorded"."""
    exprs = []
    for c in df.columns:
        if c not in CODE_PREFIX or df.schema[c] != pl.String:
            continue
        mapping = {v: code_label(c, v, lang) for v in df.get_column(c).drop_nulls().unique()}
        mapping[cl.UNKNOWN] = code_label(c, None, lang)
        exprs.append(pl.col(c).fill_null(cl.UNKNOWN).replace_strict(mapping,
                                                                     return_dtype=pl.String))
    return df.with_columns(exprs) if exprs else df


DISPLAY_COLUMNS: tuple[str, ...] = (
    "complaint_id", "received_date", "customer_id", "product", "category", "channel",
    "sales_rep", "status_code", "resolved_date", "days_to_resolve", "age_days",
    "sla_breached", "escalated", "desired_resolution", "reasonable", "satisfaction",
    "description",
)


def _screen(df: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Codes translated (also inside "; "-joined category lists), dates as plain ISO text."""
    out = translate_codes(df, lang)
    if "categories" in out.columns and out.height:
        words = out.get_column("categories").str.split("; ").explode().drop_nulls().unique()
        mapping = {w: code_label("category", w, lang) for w in words if w}
        out = out.with_columns(
            pl.col("categories").str.split("; ")
            .list.eval(pl.element().replace_strict(mapping, default=pl.element()))
            .list.join("; ")
        )
    dates = [c for c, t in out.schema.items() if t == pl.Date]
    return out.with_columns(pl.col(dates).dt.to_string("%Y-%m-%d")) if dates else out


def _header(c: str) -> str:
    from crm_logic.i18n import TEXTS

    key = "customer_id" if c == "customer_id" else f"complaints.col.{c}"
    return state.tr(key) if key in TEXTS else c


def header(c: str) -> str:
    """The display header of a complaint column in the current language."""
    return _header(c)


def display_frame(df: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Complaint rows for the screen: known codes translated, headers in the language."""
    cols = [c for c in DISPLAY_COLUMNS if c in df.columns]
    out = _screen(df.select(cols), lang)
    return out.rename({c: _header(c) for c in cols})


def show_table(container: Any, df: pl.DataFrame, lang: str, percent: tuple[str, ...] = (),
               **kwargs: Any) -> None:
    """A small result table: codes and headers translated, rate columns as percentages."""
    config: dict[str, Any] = {
        _header(c): st.column_config.NumberColumn(format="%.2f")
        for c, t in df.schema.items() if t == pl.Float64 and c not in percent
    }
    config |= {_header(c): st.column_config.NumberColumn(format="percent")
               for c in percent if c in df.columns}
    container.dataframe(_screen(df, lang).rename({c: _header(c) for c in df.columns}),
                        hide_index=True, width="stretch", column_config=config, **kwargs)
