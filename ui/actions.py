"""UI side of the action center, KPIs, 4R scorecard and scenarios: cached results, rules.

Caching lives here (never in crm_logic): each wrapper is keyed by the store path, the data
version, the as-of date, the config and (for actions) the rule table.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import polars as pl
import streamlit as st

from crm_logic import actions, four_r, kpis, scenarios, store
from crm_logic.config import CrmConfig
from ui import state


def _items(cfg: CrmConfig) -> tuple:
    return tuple(sorted(cfg.to_dict().items()))


@st.cache_data(show_spinner=False, max_entries=6)
def _table_at(path: str, version: int, day: dt.date, cfg_items: tuple) -> pl.DataFrame:
    from crm_logic.pipeline import analyse

    return analyse(state.data(), CrmConfig(**dict(cfg_items)), day).customers


def table_at(cfg: CrmConfig, day: dt.date) -> pl.DataFrame:
    """The analysis' customer table as of `day` under `cfg` (the session's as-of: shared)."""
    if day == state.as_of():
        return state.analysis_for(cfg).customers
    return _table_at(str(store.db_path()), state.version(), day, _items(cfg))


@st.cache_data(show_spinner=False, max_entries=6)
def _kpis(path: str, version: int, day: dt.date, cfg_items: tuple) -> tuple[dict, dict]:
    cfg = CrmConfig(**dict(cfg_items))
    return kpis.kpi_report(state.data(), cfg, day, table_at(cfg, day),
                           lambda d: table_at(cfg, d))


def kpi_report(cfg: CrmConfig) -> tuple[dict, dict]:
    """`kpis.kpi_report` for the session's as-of date under `cfg`, cached."""
    return _kpis(str(store.db_path()), state.version(), state.as_of(), _items(cfg))


@st.cache_data(show_spinner=False, max_entries=4)
def _four_r(path: str, version: int, day: dt.date, cfg_items: tuple) -> dict[str, Any]:
    cfg = CrmConfig(**dict(cfg_items))
    k, _ = kpi_report(cfg)
    return four_r.scorecard(state.data(), cfg, day, table_at(cfg, day), k)


def scorecard(cfg: CrmConfig) -> dict[str, Any]:
    """`four_r.scorecard` as of the session's date, cached."""
    return _four_r(str(store.db_path()), state.version(), state.as_of(), _items(cfg))


# --- rules ------------------------------------------------------------------------------------


def saved_rules() -> pl.DataFrame:
    """The rule table saved in the store, else the defaults."""
    got = scenarios.load_rules(state.connection())
    return got if got is not None else actions.default_rules()


@st.cache_data(show_spinner=False, max_entries=6)
def _assigned(path: str, version: int, day: dt.date, cfg_items: tuple,
              rules_json: str) -> pl.DataFrame:
    cfg = CrmConfig(**dict(cfg_items))
    rules = pl.DataFrame(json.loads(rules_json), schema=dict.fromkeys(actions.RULE_COLUMNS,
                                                                      pl.String))
    return actions.action_table(state.data(), cfg, day, table_at(cfg, day), rules)


def assigned(cfg: CrmConfig, rules: pl.DataFrame | None = None) -> pl.DataFrame:
    """Every analysed customer with its action under `rules` (default: the saved ones)."""
    clean = actions.validate_rules(rules if rules is not None else saved_rules())
    return _assigned(str(store.db_path()), state.version(), state.as_of(), _items(cfg),
                     json.dumps(clean.to_dicts()))


def readable_rules(rules: pl.DataFrame, lang: str) -> pl.DataFrame:
    """The rule table in words of `lang` (action names, stage/tier/risk labels, yes/no)."""
    from crm_logic.i18n import t

    prefix = {"stage": "stage", "tier": "tier", "risk": "risk"}

    def cell(cond: str, value: str) -> str:
        if value == actions.ANY:
            return t("actions.any", lang)
        if cond in prefix:
            return "、".join(t(f"{prefix[cond]}.{v}", lang) for v in value.split(",")) \
                if lang == "zh" else ", ".join(t(f"{prefix[cond]}.{v}", lang)
                                               for v in value.split(","))
        return t(f"actions.{value}", lang)

    rows = [{t("actions.col.action", lang): t(f"action.{r['action']}", lang),
             **{t(f"actions.col.{c}", lang): cell(c, r[c]) for c in actions.CONDITIONS}}
            for r in rules.iter_rows(named=True)]
    return pl.DataFrame(rows)


# --- scenarios --------------------------------------------------------------------------------

def current_settings() -> dict[str, Any]:
    """The what-if settings chosen in this session that differ from the defaults."""
    return scenarios.changed_settings(dict(st.session_state.get(state._CFG, {})))


def apply_settings(settings: dict[str, Any]) -> None:
    """Make `settings` the session's what-if config (a button callback: before widgets run)."""
    from crm_logic.config import config_fields

    for field in config_fields():
        st.session_state.pop(f"cfg.{field}", None)
    st.session_state[state._CFG] = dict(settings)  # ui.state's what-if session key
