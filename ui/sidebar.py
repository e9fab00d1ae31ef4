"""The sidebar's facts about the view: the data's date range and last import, and a marker
listing every what-if setting that differs from its default (with a reset button)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import streamlit as st

from crm_logic import fmt, occasions, store
from crm_logic.i18n import TEXTS, t
from ui import state, url

PAGES = Path(__file__).resolve().parent.parent / "pages"
_CONTROL = re.compile(r"cfg_control\(\s*\"(\w+)\",\s*[\w.\[\]]+,\s*\"([\w.]+)\"")


@cache
def control_labels() -> dict[str, str]:
    """{config field: label key} of every what-if control in pages/ (read from the source,
    so the marker names settings of pages not visited yet)."""
    found: dict[str, str] = {}
    for page in sorted(PAGES.glob("*.py")):
        for field, key in _CONTROL.findall(page.read_text(encoding="utf-8")):
            found.setdefault(field, key)
    return found


def setting_label(field: str, lang: str) -> str:
    """The what-if control's label of a config field (the field name if none is known)."""
    key = st.session_state.get("_cfg_labels", {}).get(field) or control_labels().get(field)
    return t(key, lang) if key in TEXTS else field


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return fmt.text(value)


def data_facts(lang: str) -> None:
    """Date range of the orders (else complaints) and the last import, as a caption."""
    d = state.data()
    lines = []
    days = occasions.table(d, occasions.ALL_DAYS, ("day",))
    for frame, col in ((days, "day"), (d.complaints, "received_date")):
        if frame.height:
            dates = frame.get_column(col)
            lines.append(t("app.data_range", lang, start=fmt.date(dates.min(), lang),
                           end=fmt.date(dates.max(), lang)))
            break
    history = store.import_history(state.connection())
    if history.height:
        last = history.row(0, named=True)
        when = last["imported_at"]
        lines.append(t("app.last_import", lang, when=f"{fmt.date(when, lang)} "
                       f"{when:%H:%M}", file=last["file_name"]))
    else:
        lines.append(t("app.last_import_none", lang))
    st.sidebar.caption("  \n".join(lines))


CURRENCIES: tuple[str, ...] = ("", "CNY", "GBP", "USD", "EUR", "HKD", "JPY")


def currency_control(lang: str) -> None:
    """What-if control of `CrmConfig.currency` (key cfg.currency): "" = from the data."""
    from ui import show

    auto = t("app.currency_auto", lang, code=show.currency_of_data())
    state.cfg_control("currency", st.sidebar.selectbox, "app.currency", options=CURRENCIES,
                      format_func=lambda c: auto if c == "" else f"{c} {fmt.symbol(c).strip()}")


def settings_marker(box: Any, lang: str) -> None:
    """In `box`: the settings that differ from their defaults, and a reset button."""
    diff = url.changed_settings()
    if not diff:
        return
    with box.container(border=True):
        st.markdown(f":material/tune: **{t('app.settings_changed', lang, n=len(diff))}**")
        st.caption("  \n".join(
            f"{setting_label(f, lang)}: {_shown(d)} → {_shown(v)}" for f, (d, v) in diff.items()
        ))
        st.button(t("app.reset_defaults", lang), key="app.reset_defaults",
                  on_click=url.reset_defaults, icon=":material/restart_alt:")
