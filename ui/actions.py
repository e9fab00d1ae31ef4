"""UI side of the action center, KPIs, 4R scorecard and scenarios: cached results, rules.

Caching lives here (never in crm_logic), held once per server process (`st.cache_resource`,
bounded; never a per-call copy): the analyses at the as-of and at earlier period ends are
`ui.state`'s stages; each wrapper here is keyed by the store path, the data version, the
as-of date, the config's stage items and (for actions) the rule table. The action facts
(lost list, open complaints, top categories) are made once per features stage; a
labels-stage change (tiers, risk levels) or a rule edit only re-labels and re-assigns them.
Results are shared: callers must not change them.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import polars as pl
import streamlit as st

from crm_logic import actions, four_r, kpis, scenarios
from crm_logic.config import CrmConfig
from ui import state


def table_at(cfg: CrmConfig, day: dt.date) -> pl.DataFrame:
    """The analysis' customer table as of `day` under `cfg` (`ui.state`'s stages: shared,
    a labels-stage change re-labels)."""
    return state.analysis_for(cfg, day).customers


@st.cache_resource(show_spinner=False, max_entries=6)
def _kpis(path: str, version: int, day: dt.date, features: tuple, labels: tuple,
          orders: str) -> tuple[dict, dict]:
    cfg = CrmConfig(**dict(features), **dict(labels))
    table = table_at(cfg, day)
    return kpis.kpi_report(state.data(), cfg, day, table,
                           lambda d: table if d == day else state.snapshot_for(cfg, d))


def kpi_report(cfg: CrmConfig) -> tuple[dict, dict]:
    """`kpis.kpi_report` for the session's as-of date under `cfg`, cached (shared: read
    only)."""
    return _kpis(*state.stage_keys(cfg))


@st.cache_resource(show_spinner=False, max_entries=4)
def _four_r(path: str, version: int, day: dt.date, features: tuple, labels: tuple,
            orders: str) -> dict[str, Any]:
    cfg = CrmConfig(**dict(features), **dict(labels))
    k, _ = kpi_report(cfg)
    return four_r.scorecard(state.data(), cfg, day, table_at(cfg, day), k)


def scorecard(cfg: CrmConfig) -> dict[str, Any]:
    """`four_r.scorecard` as of the session's date, cached (shared: read only)."""
    return _four_r(*state.stage_keys(cfg))


# --- rules ------------------------------------------------------------------------------------


def saved_rules() -> pl.DataFrame:
    """The rule table saved in the store, else the defaults."""
    got = scenarios.load_rules(state.connection())
    return got if got is not None else actions.default_rules()


@st.cache_resource(show_spinner=False, max_entries=4)
def _action_facts(path: str, version: int, day: dt.date, features: tuple,
           orders: str) -> pl.DataFrame:
    cfg = CrmConfig(**dict(features))
    base = state.features_for(cfg, day).customers
    return actions.customer_facts(state.data(), cfg, day, base)


@st.cache_resource(show_spinner=False, max_entries=16)
def _assigned(path: str, version: int, day: dt.date, features: tuple, labels: tuple,
              orders: str, rules_json: str) -> pl.DataFrame:
    cfg = CrmConfig(**dict(features), **dict(labels))
    rules = pl.DataFrame(json.loads(rules_json), schema=dict.fromkeys(actions.RULE_COLUMNS,
                                                                      pl.String))
    facts = actions.label_facts(_action_facts(path, version, day, features, orders),
                                table_at(cfg, day))
    return actions.assign(facts, rules)


def assigned(cfg: CrmConfig, rules: pl.DataFrame | None = None) -> pl.DataFrame:
    """Every analysed customer with its action under `rules` (default: the saved ones)."""
    clean = actions.validate_rules(rules if rules is not None else saved_rules())
    return _assigned(*state.stage_keys(cfg), json.dumps(clean.to_dicts()))


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
