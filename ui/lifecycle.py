"""UI-side helpers of the Lifecycle and Customer 360 pages: cached lifecycle frames, guarded
value/churn lookups, display frames.

Caching lives here (never in crm_logic), in two stages held once per server process
(`st.cache_resource`, bounded): the per-customer volume series per (store, data version,
as-of date, series fields: period, volume, smoothing, the lost rule, unknown starts), and
the stage rules applied to it per rule field (`lifecycle.frames_from_series`): a stage-rule
what-if re-labels the held series without a pass over the purchase occasions, and moving
back to a setting seen before is instant. Value tiers come from the shared analysis.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import polars as pl
import streamlit as st

from crm_logic import lifecycle as lc
from crm_logic import store
from crm_logic.config import CrmConfig
from crm_logic.i18n import TEXTS, t
from ui import lines as ui_lines
from ui import state

# the config fields the lifecycle depends on (others do not change it)
LIFECYCLE_FIELDS: tuple[str, ...] = lc.CONFIG_FIELDS  # every field the lifecycle reads
LIST_COLUMNS: tuple[str, ...] = (
    "customer_id", "name", "value_tier", "lifetime_value", "lifecycle_stage",
    "lifecycle_pattern", "churned", "churn_date", "churn_source", "peak_stage",
    "stability_months", "lifetime_days", "first_purchase", "last_purchase", "occasions",
    "revenue", "typical_gap_days", "days_since_last", "share_of_peak",
)
# what the page's notes read besides the series' columns of the lifecycle table (unknown
# starts, re-trials): the observable window's rules and the plausibility bound
_NOTE_FIELDS: tuple[str, ...] = ("exploration_min_months", "long_term_min_months",
                                 "implausible_amount_multiple", "implausible_amount_quantile")


def _items(cfg: CrmConfig, fields: tuple[str, ...]) -> tuple:
    return tuple((f, getattr(cfg, f)) for f in sorted(fields))


def lifecycle_items(cfg: CrmConfig) -> tuple:
    """The lifecycle part of the config, hashable (the cache key)."""
    return _items(cfg, LIFECYCLE_FIELDS)


@st.cache_resource(show_spinner=False, max_entries=2)
def _series(path: str, version: int, day: dt.date, series: tuple,
            _data: store.CrmData) -> tuple[pl.DataFrame, pl.DataFrame]:
    return lc.lifecycle_series(_data, CrmConfig(**dict(series)), day)


# two rule settings held (the one in use and the one before): each holds the stage history
# of every customer and period, about 335 MB at 250,000 customers (4 held: 1.3 GB)
@st.cache_resource(show_spinner=False, max_entries=2)
def _frames(path: str, version: int, day: dt.date, series: tuple, rules: tuple,
            _data: store.CrmData) -> tuple[pl.DataFrame, pl.DataFrame]:
    ends, held = _series(path, version, day, series, _data)
    return lc.frames_from_series(ends, held, CrmConfig(**dict(series), **dict(rules)), day)


def frames(data: store.CrmData, cfg: CrmConfig,
           day: dt.date) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(customer_lifecycle, stage_history), cached per data version, as-of and config: the
    series per series field, the stages per rule field."""
    return held_frames(str(store.db_path()), state.version(), day, cfg, data)


def held_frames(path: str, version: int, day: dt.date, cfg: CrmConfig,
                data: store.CrmData) -> tuple[pl.DataFrame, pl.DataFrame]:
    """`frames` for an explicit store and data version."""
    return _frames(path, version, day, _items(cfg, lc.SERIES_FIELDS),
                   _items(cfg, lc.RULE_FIELDS), data)


@st.cache_resource(show_spinner=False, max_entries=4)
def _customers(path: str, version: int, day: dt.date, series: tuple, rules: tuple,
               _data: store.CrmData) -> pl.DataFrame:
    ends, held = _series(path, version, day, series, _data)
    return lc.customers_from_series(ends, held, CrmConfig(**dict(series), **dict(rules)), day)


def held_customers(path: str, version: int, day: dt.date, cfg: CrmConfig,
                   data: store.CrmData) -> pl.DataFrame:
    """`customer_lifecycle` from the held series (the analysis stage reads it: a value or
    churn setting recomputes no life curve; no stage history is made for it)."""
    return _customers(path, version, day, _items(cfg, lc.SERIES_FIELDS),
                      _items(cfg, lc.RULE_FIELDS), data)


# the summaries of the stage history the page draws (small frames), by name
_VIEWS: dict[str, Any] = {
    "curves": lambda life, history, normalise, min_customers: lc.life_curves(
        history, life, normalise=normalise, min_customers=min_customers),
    "mix": lambda life, history, periods: lc.stage_mix(history, periods),
    "flow": lambda life, history, periods: lc.stage_transitions(history, periods),
    "cohorts": lambda life, history, cohorts, offsets: lc.cohort_retention(
        history, cohorts=cohorts, offsets=offsets),
}


@st.cache_resource(show_spinner=False, max_entries=32)
def _view(name: str, params: tuple, path: str, version: int, day: dt.date, series: tuple,
          rules: tuple, _data: store.CrmData) -> pl.DataFrame:
    life, history = _frames(path, version, day, series, rules, _data)
    return _VIEWS[name](life, history, **dict(params))


def history_view(name: str, data: store.CrmData, cfg: CrmConfig, day: dt.date,
                 **params: Any) -> pl.DataFrame:
    """A summary of `frames(data, cfg, day)`'s stage history ("curves": `life_curves`,
    "mix": `stage_mix`, "flow": `stage_transitions`, "cohorts": `cohort_retention`), held
    per the frames' keys and `params`: a rerun (a list filter, a toggle seen before) does not
    scan the history again."""
    return _view(name, tuple(sorted(params.items())), str(store.db_path()), state.version(),
                 day, _items(cfg, lc.SERIES_FIELDS), _items(cfg, lc.RULE_FIELDS), data)


@st.cache_resource(show_spinner=False, max_entries=8)
def _notes(path: str, version: int, day: dt.date, items: tuple, _data: store.CrmData,
           _life: pl.DataFrame) -> dict[str, Any]:
    cfg = CrmConfig(**dict(items))
    return lc.lifecycle_notes(_life, _data, cfg, day, implausible=ui_lines.implausible(cfg, day))


def notes(data: store.CrmData, cfg: CrmConfig, day: dt.date,
          life: pl.DataFrame) -> dict[str, Any]:
    """`lifecycle.lifecycle_notes` for `life` (= `frames(data, cfg, day)[0]`), held per the
    series fields and the fields the notes read (its counts are of series columns): the
    order lines are not scanned on every rerun, nor for a stage rule."""
    return _notes(str(store.db_path()), state.version(), day,
                  _items(cfg, lc.SERIES_FIELDS + _NOTE_FIELDS), data, life)


def value_table(data: store.CrmData, cfg: CrmConfig, day: dt.date) -> pl.DataFrame | None:
    """Value tier and lifetime value per customer where the value analysis is available.

    From the shared analysis (`state.analysis_for`) with the lifecycle's fields at their
    defaults: the value table reads none of them, so a lifecycle what-if needs no new
    analysis for it (and the default one is usually held already)."""
    try:
        table = state.analysis_for(_without_lifecycle(cfg), day).customers
    except Exception:  # noqa: BLE001 - value is optional here: show what exists
        return None
    cols = [c for c in ("customer_id", "value_tier", "lifetime_value") if c in table.columns]
    return table.select(cols) if "customer_id" in cols else None


def _without_lifecycle(cfg: CrmConfig) -> CrmConfig:
    defaults = CrmConfig()
    return dataclasses.replace(cfg, **{f: getattr(defaults, f) for f in LIFECYCLE_FIELDS})


@st.cache_resource(show_spinner=False, max_entries=4)
def _listing(path: str, version: int, day: dt.date, series: tuple, rules: tuple,
             value_key: tuple | None, _data: store.CrmData,
             _value: pl.DataFrame | None) -> pl.DataFrame:
    life, _ = _frames(path, version, day, series, rules, _data)
    table = with_value(life, _value, _data.customers)
    order = "lifetime_value" if "lifetime_value" in table.columns else "revenue"
    # held in the list's order: a filter keeps it, no rerun sorts 250,000 rows (0.15 s)
    return table.sort([order, "customer_id"], descending=[True, False], nulls_last=True)


def listing(data: store.CrmData, cfg: CrmConfig, day: dt.date) -> tuple[pl.DataFrame, bool]:
    """(the lifecycle table with value tier, lifetime value and name: `with_value`, whether
    tiers are there), held per the frames' keys and the value's stage keys (a rerun for a
    list filter joins nothing again)."""
    value = value_table(data, cfg, day)
    key = state.stage_keys(_without_lifecycle(cfg), day)[3:5] if value is not None else None
    table = _listing(str(store.db_path()), state.version(), day, _items(cfg, lc.SERIES_FIELDS),
                     _items(cfg, lc.RULE_FIELDS), key, data, value)
    return table, value is not None and "value_tier" in table.columns


def analysis_table() -> pl.DataFrame | None:
    """The shared per-customer analysis (value, lifecycle, churn) where available."""
    try:
        return state.analysis().customers  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - churn/value are optional on these pages
        return None


def with_value(life: pl.DataFrame, value: pl.DataFrame | None,
               customers: pl.DataFrame) -> pl.DataFrame:
    """The lifecycle table with value tier, lifetime value and name where they exist."""
    out = life
    if value is not None:
        out = out.join(value, on="customer_id", how="left")
    if "name" in customers.columns and customers.height:
        names = customers.unique("customer_id", keep="first").select("customer_id", "name")
        out = out.join(names, on="customer_id", how="left")
    return out


def customer_list(table: pl.DataFrame, status: str, stages: list[str], patterns: list[str],
                  tiers: list[str]) -> pl.DataFrame:
    """The customers matching the filters, in the order of `table` (`listing`'s: largest
    value first)."""
    churned = {"active": False, "lost": True}.get(status)
    out = lc.filter_lifecycle(table, stages=stages, patterns=patterns, churned=churned)
    if tiers and "value_tier" in out.columns:
        out = out.filter(pl.col("value_tier").is_in(tiers))
    return out


def export_frame(rows: pl.DataFrame) -> pl.DataFrame:
    """The list as downloaded: codes kept (machine-readable), contract-like column names."""
    return rows.select([c for c in LIST_COLUMNS if c in rows.columns])


def display_list(rows: pl.DataFrame, lang: str) -> pl.DataFrame:
    """The list for the screen: codes translated, headers in the user's language."""
    def code_label(col: str, prefix: str) -> pl.Expr:
        return pl.col(col).map_elements(lambda v, _p=prefix: t(f"{_p}.{v}", lang),
                                        return_dtype=pl.String)

    shown = export_frame(rows)
    exprs: list[pl.Expr] = []
    for col in shown.columns:
        if col in ("lifecycle_stage", "peak_stage"):
            e = code_label(col, "stage")
        elif col == "lifecycle_pattern":
            e = code_label(col, "pattern")
        elif col == "value_tier":
            e = code_label(col, "tier")
        elif col == "churn_source":
            e = code_label(col, "lifecycle.churn_source")
        elif col == "churned":
            e = pl.when(pl.col(col)).then(pl.lit(t("lifecycle.yes", lang))).otherwise(
                pl.lit(t("lifecycle.no", lang)))
        elif col in ("lifetime_value", "revenue"):
            e = pl.col(col).round(0)  # money: whole units (the column shows the currency)
        elif col in ("typical_gap_days", "stability_months"):
            e = pl.col(col).round(1)
        elif col == "share_of_peak":
            e = (pl.col(col) * 100).round(0)
        else:
            e = pl.col(col)
        exprs.append(e.alias(t(f"lifecycle.col.{col}", lang)))
    return shown.select(exprs)


def label(key: str, lang: str, fallback: str = "") -> str:
    """A translated text if the key exists (other areas' keys may not, yet), else fallback."""
    return t(key, lang) if key in TEXTS else fallback


def search_customers(customers: pl.DataFrame, life: pl.DataFrame, query: str,
                     limit: int = 50) -> pl.DataFrame:
    """Customers whose id or name contains `query` (case-insensitive): exact id first, then
    ids starting with it, then the rest. Columns: customer_id, name."""
    people = life.select("customer_id")
    if "name" in customers.columns and customers.height:
        names = customers.unique("customer_id", keep="first").select("customer_id", "name")
        people = (pl.concat([people, names.select("customer_id")]).unique()
                  .join(names, on="customer_id", how="left"))
    else:
        people = people.with_columns(pl.lit(None, pl.String).alias("name"))
    q = query.strip().lower()
    if not q:
        return people.sort("customer_id").head(limit)
    cid = pl.col("customer_id").str.to_lowercase()
    name = pl.col("name").fill_null("").str.to_lowercase()
    hit = cid.str.contains(q, literal=True) | name.str.contains(q, literal=True)
    rank = (pl.when(cid == q).then(0).when(cid.str.starts_with(q)).then(1)
            .when(name == q).then(2).otherwise(3))
    return (people.filter(hit).with_columns(rank.alias("_r"))
            .sort("_r", "customer_id").drop("_r").head(limit))


def one_row(frame: pl.DataFrame | None, customer_id: str) -> dict[str, Any] | None:
    """The customer's row of a per-customer frame, as a dict (None when absent)."""
    if frame is None or "customer_id" not in frame.columns:
        return None
    rows = frame.filter(pl.col("customer_id") == customer_id)
    return rows.row(0, named=True) if rows.height else None
