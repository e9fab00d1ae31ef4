"""Views you can share: the address holds the view, opening the address restores it.

`/PAGE?lang=zh&as_of=2024-06-30&customer=C00012&sla_days=5&tier=gold` — language, as-of
date, the chosen customer, the page's filters and every what-if value that differs from its
default (URL name: the config field; widget key `cfg.<field>`). `restore()` reads the address
into session state once per session (and again when `?customer=` changes), before any
widget exists; `sync(page)` writes the view back after every run. `changed_settings()` and
`reset_defaults()` feed the sidebar's "settings differ from the defaults" marker.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import streamlit as st

from crm_logic.config import CrmConfig, config_fields

_CFG = "_cfg"  # ui.state's session key of the what-if values
_RESTORED = "_url_restored"
_SEEN_CUSTOMER = "_url_customer"
STASH = "_url_params"  # the address of a page opened before the frame ran (ui.state)
CUSTOMER_KEY = "customer.pick"

# URL name -> (page file, session key, is a list): the filters a view keeps.
FILTERS: dict[str, tuple[str, str, bool]] = {
    "pick": ("overview.py", "overview.pick", False),
    "levels": ("churn.py", "churn.list_levels", True),
    "tiers": ("churn.py", "churn.list_tiers", True),
    "category": ("complaints.py", "complaints.f_category", True),
    "channel": ("complaints.py", "complaints.f_channel", True),
    "rep": ("complaints.py", "complaints.f_rep", True),
    "status": ("complaints.py", "complaints.f_status", True),
    "lc_status": ("lifecycle.py", "lifecycle.list.status", False),  # default "all": left out
    "lc_stages": ("lifecycle.py", "lifecycle.list.stages", True),
    "lc_patterns": ("lifecycle.py", "lifecycle.list.patterns", True),
    "lc_tiers": ("lifecycle.py", "lifecycle.list.tiers", True),
    "by": ("segments.py", "segments.by", False),
    "tier": ("segments.py", "segments.pick_tier", False),
    "segment": ("segments.py", "segments.pick_segment", False),
}
_SEP = ","
_DEFAULTS: dict[str, tuple[str, ...]] = {"lc_status": ("all",), "by": ("tier",)}


def parse_value(field: str, text: str) -> Any:
    """A config value from its URL text, typed like the field's default; None if unusable."""
    default = getattr(CrmConfig(), field)
    try:
        if isinstance(default, bool):
            return text.lower() in ("1", "true", "yes")
        if isinstance(default, int):
            return int(float(text))
        if isinstance(default, float):
            return float(text)
    except ValueError:
        return None
    return text


def format_value(value: Any) -> str:
    """URL text of a config value (floats without noise: 0.1, not 0.1000000001)."""
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)


def changed(values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """{field: (default, value)} of the values that differ from the defaults."""
    defaults = CrmConfig()
    out = {}
    for field, value in values.items():
        default = getattr(defaults, field, None)
        if isinstance(default, float) and isinstance(value, int | float):
            if abs(float(value) - default) > 1e-12:
                out[field] = (default, value)
        elif value != default:
            out[field] = (default, value)
    return out


def config_from_params(params: dict[str, str]) -> dict[str, Any]:
    """The what-if values an address carries (unknown or unusable ones dropped)."""
    fields = set(config_fields())
    out = {}
    for name, text in params.items():
        if name in fields:
            value = parse_value(name, text)
            if value is not None:
                out[name] = value
    try:
        dataclasses.replace(CrmConfig(), **out)
    except (TypeError, ValueError):
        return {}
    return out


def _params() -> dict[str, str]:
    stash = st.session_state.pop(STASH, None)
    return dict(stash) if stash else {k: st.query_params[k] for k in st.query_params}


def restore() -> None:
    """Read the address into session state (first run of a session; `?customer=` always)."""
    params = _params()
    customer = params.get("customer")
    if customer and customer != st.session_state.get(_SEEN_CUSTOMER):
        st.session_state[_SEEN_CUSTOMER] = customer
        st.session_state[CUSTOMER_KEY] = customer
        st.session_state["customer.query"] = ""
    if st.session_state.get(_RESTORED):
        return
    st.session_state[_RESTORED] = True
    try:
        if params.get("as_of"):
            st.session_state["as_of"] = dt.date.fromisoformat(params["as_of"])
    except ValueError:
        pass
    values = config_from_params(params)
    if values:
        st.session_state.setdefault(_CFG, {}).update(values)
    for name, (_, key, is_list) in FILTERS.items():
        if params.get(name):
            text = params[name]
            st.session_state[key] = [v for v in text.split(_SEP) if v] if is_list else text


def current_config_values() -> dict[str, Any]:
    """The what-if values of this session (widgets' latest values first)."""
    values = dict(st.session_state.get(_CFG, {}))
    for field in config_fields():
        key = f"cfg.{field}"
        if key in st.session_state:
            values[field] = st.session_state[key]
    return values


def changed_settings() -> dict[str, tuple[Any, Any]]:
    """{field: (default, value)} of every what-if value that differs from its default."""
    return changed(current_config_values())


def reset_defaults() -> None:
    """Every what-if value back to its default (a button's on_click: before widgets)."""
    st.session_state[_CFG] = {}
    for field in config_fields():
        st.session_state.pop(f"cfg.{field}", None)


def view_params(page: str, lang: str, as_of: dt.date | None, default_as_of: dt.date | None
                ) -> dict[str, str]:
    """The address of the current view: language, as-of, customer, filters, what-ifs."""
    out = {"lang": lang}
    if as_of is not None and as_of != default_as_of:
        out["as_of"] = as_of.isoformat()
    for field, (_, value) in sorted(changed_settings().items()):
        out[field] = format_value(value)
    if page == "customer.py" and st.session_state.get(CUSTOMER_KEY):
        out["customer"] = str(st.session_state[CUSTOMER_KEY])
    for name, (file, key, is_list) in FILTERS.items():
        value = st.session_state.get(key) if file == page else None
        if value is None or value == [] or value == "" or value in _DEFAULTS.get(name, ()):
            continue
        out[name] = _SEP.join(map(str, value)) if is_list else str(value)
    return out


def sync(page: str, lang: str, as_of: dt.date | None, default_as_of: dt.date | None) -> None:
    """Write the current view into the address (only what changed)."""
    wanted = view_params(page, lang, as_of, default_as_of)
    have = {k: st.query_params[k] for k in st.query_params}
    if have != wanted:
        st.query_params.from_dict(wanted)
