"""The sign-in gate: a password form (users in the store) and Streamlit's `st.login` (OIDC).

`gate()` runs in app.py before anything else. With no users in the store and no OIDC in
`.streamlit/secrets.toml` the app works as before and the local user counts as analyst.
Otherwise it shows the sign-in form and nothing else until someone signs in. Who is signed
in lives in the (server-side) session; the failed-attempt counts live in the store
(`crm_logic.auth`), so a new browser session does not reset them. Each run re-reads the
user's role from the store: a removed user is signed out, a changed role applies at once.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st

from crm_logic import auth, store
from crm_logic.i18n import t
from ui import state

_ACCOUNT = "_account"  # session key: {"name", "role", "via": "password" | "oidc" | "local"}
LOCAL = "local"
_USERS: dict[str, tuple[tuple[int, int, int], dict[str, str]]] = {}  # path -> (stamp, users)
_SETTLED = "_signin_page_settled"  # session key: the sign-in run sits on a navigation page


def _providers() -> list[str | None]:
    """OIDC providers configured in the secrets file (empty when there is none)."""
    try:
        if not st.secrets.load_if_toml_exists():
            return []
        return auth.oidc_providers(st.secrets.to_dict().get("auth"))
    except Exception:  # an unreadable secrets file: no OIDC (the server log says why)
        return []


def account() -> dict[str, str]:
    """The signed-in account; the local analyst when no sign-in is configured."""
    return st.session_state.get(_ACCOUNT) or {"name": LOCAL, "role": "analyst", "via": LOCAL}


def role() -> str:
    """viewer | analyst."""
    return account()["role"]


def user_name() -> str:
    """The name written to the audit log."""
    return account()["name"]


def _users() -> dict[str, str]:
    """{name: role} of the sign-in users, read again only when the store file changed."""
    path = str(store.db_path())
    stamp = store.file_stamp(path)
    known = _USERS.get(path)
    if known is not None and known[0] == stamp:
        return known[1]
    if stamp[0] < 0:  # no store yet: no users
        return {}
    with store.reading(path) as con:
        users = dict(auth.list_users(con))
    _USERS[path] = (stamp, users)
    return users


def _oidc_account(users: dict[str, str]) -> dict[str, str] | None:
    """The OIDC-signed-in user: the role of the store user named by their e-mail, else viewer."""
    try:
        if not st.user.is_logged_in:
            return None
    except Exception:  # no OIDC session support (e.g. under AppTest)
        return None
    name = str(st.user.get("email") or st.user.get("name") or st.user.get("sub") or "oidc")
    return {"name": name, "role": users.get(name, "viewer"), "via": "oidc"}


def gate(lang: str) -> bool:
    """True when the app may show data; else the sign-in form is shown (caller stops)."""
    users, providers = _users(), _providers()
    current = st.session_state.get(_ACCOUNT)
    if not users and not providers:
        st.session_state[_ACCOUNT] = {"name": LOCAL, "role": "analyst", "via": LOCAL}
        return True
    if current and current["via"] == "password":
        found = users.get(current["name"])
        current = {**current, "role": found} if found else None
    elif current and current["via"] == LOCAL:
        current = None
    if current is None and providers:
        current = _oidc_account(users)
    if current:
        st.session_state[_ACCOUNT] = current
        return True
    st.session_state.pop(_ACCOUNT, None)
    st.session_state.pop("_frame", None)  # pages opened directly come back through the gate
    page = st.empty()
    with page.container():
        _form(lang, bool(users), providers)
    if st.session_state.get(_ACCOUNT):  # signed in just now: the app replaces the form
        page.empty()
        return True
    return False


def hidden_navigation(pages: Path, lang: str) -> None:
    """Before sign-in, in a browser: every page known (a bookmarked address keeps its page
    for after signing in) but none listed or run; without a navigation Streamlit would list
    the files in pages/ in the sidebar.

    The first time in a session the run is switched onto a page of this navigation (the
    one a direct link asked for, see `state.require_frame`, else the current one): without
    that, the browser's next run (the form being sent) starts on another page and the
    form's input is lost. AppTest (no browser: no request headers, no sidebar links) runs
    app.py itself each time and needs neither.
    """
    if not st.context.headers:
        return
    found = {f.name: st.Page(f, default=f.name == "overview.py")
             for f in sorted(pages.glob("*.py"))}
    current = st.navigation(list(found.values()), position="hidden")
    wanted = found.get(state.pop_wanted_page() or "")
    settled = st.session_state.get(_SETTLED)
    st.session_state[_SETTLED] = True
    if wanted is not None or not settled:
        st.switch_page(wanted or current, query_params={"lang": lang})


def _form(lang: str, users: bool, providers: list[str | None]) -> None:
    """The sign-in page: password form and/or one button per OIDC provider."""
    st.title("CRM Lens")
    st.subheader(t("login.title", lang))
    if users:
        with st.form("login.form", clear_on_submit=True, border=True):
            name = st.text_input(t("login.user", lang), key="login.user")
            password = st.text_input(t("login.password", lang), type="password",
                                     key="login.password")
            sent = st.form_submit_button(t("login.submit", lang), key="login.submit",
                                         type="primary")
        if sent:
            con = state.connection()
            try:
                res = auth.authenticate(con, name, password, dt.datetime.now())
            finally:
                con.close()
            if res.ok:
                st.session_state[_ACCOUNT] = {"name": name.strip(), "role": str(res.role),
                                              "via": "password"}
            elif res.locked_seconds:
                st.error(t("login.locked", lang, s=res.locked_seconds))
            else:
                st.error(t("login.wrong", lang))
    for provider in providers:
        label = t("login.oidc", lang) + (f" ({provider})" if provider else "")
        st.button(label, key=f"login.oidc.{provider or 'default'}", on_click=st.login,
                  args=(provider,) if provider else ())
    st.caption(t("login.help", lang))


def sidebar_account(lang: str) -> None:
    """Who is signed in, with which role, and the sign-out button (nothing when local)."""
    acct = account()
    if acct["via"] == LOCAL:
        st.sidebar.caption(t("login.local", lang))
        return
    st.sidebar.caption(t("login.signed_in_as", lang, role=t(f"role.{acct['role']}", lang)))
    st.sidebar.text(acct["name"])
    st.sidebar.button(t("login.signout", lang), key="login.signout", on_click=_sign_out)


def _sign_out() -> None:
    """Button callback (runs before the next script run, which then shows the form)."""
    acct = st.session_state.pop(_ACCOUNT, None) or {}
    st.session_state.pop("_frame", None)
    st.session_state.pop("privacy.unmask", None)
    if acct.get("via") == "oidc":
        st.logout()
