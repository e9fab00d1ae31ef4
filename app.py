"""CRM Lens: the frame. Page config, language toggle, shared controls, navigation."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import streamlit as st

from crm_logic.i18n import t
from ui import auth as ua
from ui import privacy, sidebar, state, url

HERE = Path(__file__).parent
PAGES = HERE / "pages"

st.set_page_config(page_title="CRM Lens", page_icon=":material/insights:", layout="wide")


def _set_lang() -> None:
    """The toggle was clicked: its choice becomes the session's language (a click on the
    chosen option deselects it; the language then stays)."""
    if st.session_state.get("lang.toggle") in ("zh", "en"):
        st.session_state["lang"] = st.session_state["lang.toggle"]


def _language_toggle() -> str:
    """中文/English toggle, kept in the URL as ?lang=zh|en.

    The session's language lives in the plain key "lang"; the widget has its own key, set
    from it on every run. Bound to "lang" directly, the widget's state was dropped when the
    page changed and the toggle showed neither option chosen.
    """
    if st.session_state.get("lang") not in ("zh", "en"):
        st.session_state["lang"] = state.lang()
    st.session_state["lang.toggle"] = st.session_state["lang"]
    st.sidebar.segmented_control(
        "Language / 语言", options=["zh", "en"], key="lang.toggle", on_change=_set_lang,
        format_func=lambda v: "中文" if v == "zh" else "English",
    )
    choice = st.session_state["lang"]
    if st.query_params.get("lang") != choice:
        st.query_params["lang"] = choice
    return choice


def _ensure_data() -> None:
    """On an empty store, load the bundled synthetic sample once (a few seconds)."""
    if any(state.data().counts().values()):  # no write connection needed
        return
    con = state.connection()
    from crm_logic import store

    if store.is_empty(con) and not os.environ.get("CRM_ORDERS"):
        from crm_logic.sample import load_sample

        with st.spinner(t("app.loading_sample", state.lang())):
            load_sample(con)


def _as_of_control(lang: str) -> None:
    """Shared as-of date: every page analyses data up to and including it."""
    d = state.data()
    latest = state.default_as_of(d)
    if "as_of" not in st.session_state:
        st.session_state["as_of"] = latest
    st.sidebar.date_input(
        t("app.as_of", lang), key="as_of", max_value=max(latest, dt.date(2100, 1, 1)),
        min_value=dt.date(1990, 1, 1), help=t("app.as_of_help", lang),
    )


url.restore()  # the address (as-of, customer, filters, what-ifs) into session state
lang = _language_toggle()
if not ua.gate(lang):  # sign-in configured and nobody signed in: the form and nothing else
    ua.hidden_navigation(PAGES, lang)
    st.stop()
state.mark_frame()
_ensure_data()
_as_of_control(lang)
sidebar.currency_control(lang)
marker = st.sidebar.empty()  # settings that differ from the defaults, filled after the page

# (file in pages/, title key, icon): every page listed explicitly.
ANALYSE = [
    ("overview.py", "nav.overview", ":material/home:"),
    ("actions.py", "nav.actions", ":material/task_alt:"),
    ("segments.py", "nav.segments", ":material/diamond:"),
    ("lifecycle.py", "nav.lifecycle", ":material/timeline:"),
    ("churn.py", "nav.churn", ":material/warning:"),
    ("complaints.py", "nav.complaints", ":material/campaign:"),
    ("prospects.py", "nav.prospects", ":material/person_add:"),
    ("customer.py", "nav.customer", ":material/person_search:"),
]
DATA = [("data.py", "nav.data", ":material/upload_file:")]


PAGE = {f: st.Page(PAGES / f, title=t(key, lang), icon=icon, default=f == "overview.py")
        for f, key, icon in ANALYSE + DATA}

nav = st.navigation({t("nav.group.analyse", lang): [PAGE[f] for f, _, _ in ANALYSE],
                     t("nav.group.data", lang): [PAGE[f] for f, _, _ in DATA]})
wanted = state.pop_wanted_page()
if wanted in PAGE:
    st.switch_page(PAGE[wanted], query_params={"lang": lang})
sidebar.data_facts(lang)
ua.sidebar_account(lang)
privacy.unmask_toggle()
page_file = next((f for f, p in PAGE.items() if p.url_path == nav.url_path), "overview.py")
try:
    privacy.run_page(nav.run, lang)
finally:  # also after st.stop(): the address and the marker show the view as it is
    url.sync(page_file, lang, state.as_of(), state.default_as_of(state.data()))
    sidebar.settings_marker(marker, lang)
