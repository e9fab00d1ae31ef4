"""What every page shares: language, as-of date, the store connection, cached data, what-if config.

UI layer only: caching lives here (`st.cache_resource`: each stage's result once per
server process, shared by all sessions), never in `crm_logic`. The store is opened only
for a moment (read-only to read), never held between reruns.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import streamlit as st

from crm_logic import store
from crm_logic.config import CrmConfig
from crm_logic.i18n import LANGS, t

_CFG = "_cfg"  # session key: {config field: value} chosen in what-if controls
_FRAME = "_frame"  # session key: app.py (the frame) has run in this session
_WANTED = "_wanted_page"  # session key: page file asked for before the frame ran
APP = Path(__file__).resolve().parent.parent / "app.py"


def mark_frame() -> None:
    """Called by app.py: the frame (navigation, language, as-of) is in place."""
    st.session_state[_FRAME] = True


def require_frame(page_file: str) -> None:
    """Send a page opened before the frame ran through app.py, then back to the page.

    On a freshly started server whose first visitor opens a page URL directly (a bookmark),
    Streamlit still treats `pages/` as an old-style page folder and runs the page without
    app.py: no language toggle, no as-of date, file names as navigation. Going through
    app.py once switches the server to `st.navigation` for good.
    """
    if st.session_state.get(_FRAME):
        return
    st.session_state[_WANTED] = Path(page_file).name
    st.session_state["_url_params"] = {k: st.query_params[k] for k in st.query_params}  # ui.url
    if st.query_params.get("lang") in LANGS:
        st.session_state["lang"] = st.query_params["lang"]
    st.switch_page(str(APP))


def pop_wanted_page() -> str | None:
    """The page file a direct link asked for (see `require_frame`), once."""
    return st.session_state.pop(_WANTED, None)


def lang() -> str:
    """The current UI language ("en" | "zh"), kept in the URL as ?lang=."""
    value = st.session_state.get("lang") or st.query_params.get("lang", "zh")
    return value if value in LANGS else "zh"


def tr(key: str, **kwargs: object) -> str:
    """`t()` in the current language."""
    return t(key, lang(), **kwargs)


def connection() -> duckdb.DuckDBPyConnection:
    """A short-lived read-write connection for one script run's writes (imports, profiles).

    Opened per call and never cached: it closes when the caller drops it, so the dashboard
    holds no lock on the store between reruns and the command line can import meanwhile
    (issue 11.10). Reads go through `data()` (short read-only connections)."""
    return store.connect(str(store.db_path()))


_STAMPS: dict[str, tuple[tuple[int, int, int], int]] = {}  # path -> (file stamp, version)


def version() -> int:
    """Current data version: bumps on every import (a short read-only look at the store,
    only when its file changed since the last look)."""
    path = str(store.db_path())
    stamp = store.file_stamp(path)
    known = _STAMPS.get(path)
    if known is not None and known[0] == stamp:
        return known[1]
    if stamp[0] < 0:  # no store file yet: create it (empty) once
        store.connect(path).close()
        stamp = store.file_stamp(path)
    try:
        with store.reading(path, wait=2.0 if known else None) as con:
            current = store.data_version(con)
    except store.StoreBusyError:
        if known is None:
            raise
        return known[1]  # an import is writing: show the data as it was until it lands
    _STAMPS[path] = (store.file_stamp(path), current)
    return current


# Each stage's result is held once per server process and shared by every session
# (st.cache_resource: no per-call copy), keyed by what it reads: facts by the data version;
# features by version, as-of and the features-stage fields; labels by those and the
# labels-stage fields (crm_logic.config.field_stage). Entries are bounded.
@st.cache_resource(show_spinner=False, max_entries=2)
def _facts(path: str, data_version: int, orders: str = "") -> store.CrmData:
    with store.reading(path) as con:
        if orders:  # order lines from Parquet (CRM_ORDERS), aggregated on CRM_ENGINE
            from crm_logic import engines

            engine = os.environ.get("CRM_ENGINE", "duckdb")
            return engines.load(con, orders.split("|")[0], engine)[0]
        return store.load_data(con, lines=False)  # lines stay in the store (ui.lines)


def _orders_key() -> str:
    """CRM_ORDERS and its modification time (a rewritten Parquet file reloads), or ""."""
    orders = os.environ.get("CRM_ORDERS", "")
    return f"{orders}|{Path(orders).stat().st_mtime_ns}" if orders and Path(orders).exists() \
        else orders


def data() -> store.CrmData:
    """All canonical tables and the purchase-occasion table, held once per data version."""
    return _facts(str(store.db_path()), version(), _orders_key())


@st.cache_resource(show_spinner=False, max_entries=2)
def _latest_day(path: str, data_version: int, orders: str = "") -> dt.date | None:
    from crm_logic.pipeline import latest_date

    return latest_date(_facts(path, data_version, orders))


def default_as_of(d: store.CrmData) -> dt.date:
    """The latest date in the data (orders, else complaints), else today (UI only); for the
    store's data looked up once per data version, not on every rerun."""
    key = (str(store.db_path()), version(), _orders_key())
    if d is _facts(*key):
        return _latest_day(*key) or dt.date.today()
    from crm_logic.pipeline import latest_date

    return latest_date(d) or dt.date.today()


def as_of() -> dt.date:
    """The as-of date chosen in the sidebar (defaults to the latest date in the data)."""
    value = st.session_state.get("as_of")
    return value if isinstance(value, dt.date) else default_as_of(data())


def config() -> CrmConfig:
    """The default config overridden by every what-if control set in this session."""
    return dataclasses.replace(CrmConfig(), **st.session_state.get(_CFG, {}))


# features: the KPIs' earlier period ends read held snapshots (`_snapshot`), not analyses
@st.cache_resource(show_spinner=False, max_entries=4)
def _features(path: str, data_version: int, day: dt.date, features: tuple,
              orders: str = "") -> Any:
    from crm_logic.pipeline import analyse
    from ui import lifecycle as ul

    data, cfg = _facts(path, data_version, orders), CrmConfig(**dict(features))
    # the value fits and, as of the data's latest day (the default as-of), the life curves
    # are held stages of their own: a horizon or discount change refits nothing and draws no
    # curve again. Other days (the KPIs' period ends) compute their lifecycle in passing
    # rather than hold a series each (about 0.6 GB per day at 250,000 customers).
    held = not orders and day == _latest_day(path, data_version, orders)
    life = ul.held_customers(path, data_version, day, cfg, data) if held else None
    return analyse(data, cfg, day, fits=_fits(path, data_version, day, orders), life=life)


@st.cache_resource(show_spinner=False, max_entries=3)
def _fits(path: str, data_version: int, day: dt.date, orders: str = "") -> Any:
    """The value models fitted as of `day` (they read no config field)."""
    from crm_logic import occasions
    from crm_logic import segmentation as seg

    occ = occasions.table(_facts(path, data_version, orders), day)
    return seg.fit_models(seg.summary_from_occasions(occ, day))


@st.cache_resource(show_spinner=False, max_entries=16)
def _labels(path: str, data_version: int, day: dt.date, features: tuple, labels: tuple,
            orders: str = "") -> Any:
    from crm_logic.pipeline import relabel

    base = _features(path, data_version, day, features, orders)
    rank = _value_rank(path, data_version, day, features, orders)
    return relabel(base, CrmConfig(**dict(features), **dict(labels)), rank)


@st.cache_resource(show_spinner=False, max_entries=4)
def _value_rank(path: str, data_version: int, day: dt.date, features: tuple,
                orders: str = "") -> Any:
    from crm_logic.pipeline import value_rank

    return value_rank(_features(path, data_version, day, features, orders))


def stage_keys(cfg: CrmConfig, day: dt.date | None = None) -> tuple:
    """(store path, data version, as-of, features-stage items, labels-stage items, orders
    key): what `analysis_for(cfg, day)` is cached by; a page's derived cache keys on these
    (or on the part it reads) so it is computed once per stage, like the analysis."""
    from crm_logic.config import stage_items

    return (str(store.db_path()), version(), day if day is not None else as_of(),
            stage_items(cfg, "features"), stage_items(cfg, "labels"), _orders_key())


def analysis_for(cfg: CrmConfig, day: dt.date | None = None) -> Any:
    """Value, lifecycle and churn per customer (`crm_logic.pipeline.Analysis`) under `cfg`,
    as of `day` (default: the session's as-of): the features stage (models, lifecycle,
    churn features) cached per data version, as-of and features-stage fields; a
    labels-stage change (tier shares, risk levels) only re-labels, and the other labels
    fields (`pipeline.RELABEL_FIELDS` are all it reads) not even that."""
    from crm_logic.pipeline import RELABEL_FIELDS

    path, data_version, when, features, _, orders = stage_keys(cfg, day)
    return _labels(path, data_version, when, features,
                   tuple((f, getattr(cfg, f)) for f in RELABEL_FIELDS), orders)


@st.cache_resource(show_spinner=False, max_entries=4)
def _snapshot(path: str, data_version: int, day: dt.date, features: tuple,
              orders: str = "") -> Any:
    from crm_logic.pipeline import snapshot

    return snapshot(_facts(path, data_version, orders), CrmConfig(**dict(features)), day)


def snapshot_for(cfg: CrmConfig, day: dt.date) -> Any:
    """What a past period's value KPIs read as of `day` (`pipeline.snapshot`: no life
    curves, no intervals; 7 s instead of 13 s at 250,000 customers), held per features
    stage and re-labelled for the labels stage."""
    from crm_logic.pipeline import relabel_snapshot

    path, data_version, when, features, labels, orders = stage_keys(cfg, day)
    base = _snapshot(path, data_version, when, features, orders)
    return relabel_snapshot(base, CrmConfig(**dict(features), **dict(labels)))


def features_for(cfg: CrmConfig, day: dt.date | None = None) -> Any:
    """The features stage's analysis for `cfg` (labels-stage fields at their defaults):
    the base a derived cache starts from when only its labels change (`analysis_for`)."""
    path, data_version, when, features, _, orders = stage_keys(cfg, day)
    return _features(path, data_version, when, features, orders)


def analysis() -> Any:
    """`analysis_for` the config of this session's what-if controls."""
    return analysis_for(config())


@st.cache_resource(show_spinner=False, max_entries=2)
def _first_order_day(path: str, data_version: int, orders: str = "") -> dt.date | None:
    from crm_logic import occasions

    occ = occasions.table(_facts(path, data_version, orders), occasions.ALL_DAYS, ("day",))
    first = occ.get_column("day").min() if occ.height else None
    return first if isinstance(first, dt.date) else None


def first_order_day() -> dt.date | None:
    """The first day with an order line (any customer), once per data version: pages ask
    it instead of filtering every order line on every rerun."""
    return _first_order_day(str(store.db_path()), version(), _orders_key())


def has_orders(day: dt.date) -> bool:
    """Is there an order line on or before `day`?"""
    first = first_order_day()
    return first is not None and first <= day


def cfg_control(field: str, widget: Callable[..., Any], label_key: str, **kwargs: Any) -> Any:
    """A what-if control bound to config `field`; its value persists across pages.

    `widget` is a Streamlit input (st.slider, st.number_input, st.selectbox, …; or the
    sidebar/column variant). The widget key is `cfg.<field>` (for AppTest and browser tests).
    """
    chosen = st.session_state.setdefault(_CFG, {})
    current = chosen.get(field, getattr(CrmConfig(), field))
    if "options" in kwargs:
        kwargs.setdefault("index", list(kwargs["options"]).index(current))
    else:
        kwargs.setdefault("value", current)
    st.session_state.setdefault("_cfg_labels", {})[field] = label_key  # ui.url's marker
    value = widget(tr(label_key), key=f"cfg.{field}", **kwargs)
    chosen[field] = value
    return value
