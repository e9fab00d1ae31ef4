"""Sign-in, roles, audited downloads, user text as text, the error boundary (AppTest)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from crm_logic import audit, auth, store
from ui import privacy

APP = str(Path(__file__).resolve().parent.parent / "app.py")
T0 = dt.datetime(2026, 1, 1)
EVIL = "![p](http://host/p.png)"


@pytest.fixture()
def with_users(sample_db: Path) -> Path:
    con = store.connect(sample_db)
    auth.add_user(con, "ann", "analyst pass", "analyst", T0)
    auth.add_user(con, "vic", "viewer pass", "viewer", T0)
    con.close()
    return sample_db


def _app(lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = lang
    return at.run()


def _sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="login.user").input(name)
    at.text_input(key="login.password").input(password)
    return at.button(key="login.submit").click().run()


def _on_form(at: AppTest) -> bool:
    keys = {w.key for w in at.text_input}
    return "login.user" in keys and "login.password" in keys


def test_sign_in_form_and_nothing_else(with_users: Path) -> None:
    at = _app()
    assert not at.exception
    assert _on_form(at)
    assert not at.metric and not at.dataframe and not at.get("plotly_chart")
    assert [s.value for s in at.subheader] == ["Sign in"]
    at.switch_page("pages/data.py").run()  # a page opened directly goes through the gate
    assert _on_form(at) and not at.metric


def test_wrong_password_refused_right_one_signs_in(with_users: Path) -> None:
    at = _sign_in(_app(), "ann", "analyst pasS")
    assert [e.value for e in at.error] == ["Wrong user name or password."]
    assert _on_form(at) and not at.metric
    at = _sign_in(at, "ann", "analyst pass")
    assert not at.exception and not _on_form(at)
    assert at.metric, "overview not shown after signing in"
    assert "privacy.unmask" in [t.key for t in at.toggle]  # analysts may show personal data
    assert "ann" in [t.value for t in at.sidebar.text]
    assert at.sidebar.button(key="login.signout")
    at.sidebar.button(key="login.signout").click().run()
    assert _on_form(at) and not at.metric


def test_rate_limit_per_user_kept_server_side(with_users: Path) -> None:
    at = _app("zh")
    for _ in range(auth.LoginPolicy().max_failures):
        at = _sign_in(at, "ann", "nope")
    assert at.error[0].value.startswith("该用户名登录失败次数过多")
    # a fresh browser session: still locked, even with the right password
    again = _sign_in(_app(), "ann", "analyst pass")
    assert again.error[0].value.startswith("Too many failed attempts")
    assert _on_form(again)
    # another user is not affected
    assert not _on_form(_sign_in(_app(), "vic", "viewer pass"))


@pytest.fixture()
def downloads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Callable[[], bytes], str, bool]]:
    """Every audited download the pages offer: (file on click, what, masked)."""
    seen: list[tuple[Callable[[], bytes], str, bool]] = []
    real = privacy._audited

    def spy(data: bytes, what: str, rows: int, masked: bool) -> Callable[[], bytes]:
        f = real(data, what, rows, masked)
        seen.append((f, what, masked))
        return f

    monkeypatch.setattr(privacy, "_audited", spy)
    return seen


def _names(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute("SELECT name FROM customers WHERE name IS NOT NULL "
                                      "LIMIT 50").fetchall()]


def _on_screen(at: AppTest, page: str) -> set[str]:
    """Every cell of every table on a page."""
    at.switch_page(page).run()
    assert not at.exception
    return {str(v) for d in at.dataframe for v in d.value.to_numpy().ravel()}


def test_viewer_cannot_unmask_or_export_unmasked(with_users: Path, downloads: list) -> None:
    at = _sign_in(_app(), "vic", "viewer pass")
    assert "privacy.unmask" not in [t.key for t in at.toggle]  # no "show personal data"
    at.session_state[privacy.UNMASK] = True  # a forged toggle state is ignored too
    at.session_state["segments.mask"] = False  # even a forged widget state changes nothing
    at.switch_page("pages/segments.py").run()
    assert not at.exception
    assert not [c for c in at.checkbox if c.key == "segments.mask"]
    assert any("masked for viewers" in c.value for c in at.caption)
    con = store.connect(with_users)
    names = set(_names(con))
    con.close()
    on_screen = _on_screen(at, "pages/lifecycle.py")  # its customer list shows names
    assert any("*" in v for v in on_screen) and not names & on_screen
    on_screen = _on_screen(at, "pages/segments.py")  # the value list: its shown rows masked
    assert any("*" in v for v in on_screen) and not names & on_screen
    con = store.connect(with_users)
    file, what, masked = downloads[-1]
    assert masked and what.startswith("segments")
    body = file().decode("utf-8-sig")
    assert names and not any(n in body for n in names)
    row = audit.history(con).row(0, named=True)
    assert (row["user_name"], row["action"], row["masked"]) == ("vic", "export", True)
    con.close()
    at.switch_page("pages/data.py").run()
    assert not at.exception
    assert not at.get("file_uploader")
    assert not [b for b in at.button if b.key and b.key.startswith("data.reload_sample")]
    assert at.info[0].value.startswith("You are signed in as a viewer")
    assert "Audit log" not in [s.value for s in at.subheader]


def test_analyst_unmasks_export_and_audit_row(with_users: Path, downloads: list) -> None:
    at = _sign_in(_app(), "ann", "analyst pass")
    at.session_state[privacy.UNMASK] = True  # "show personal data" switched on
    on_screen = _on_screen(at, "pages/lifecycle.py")
    con = store.connect(with_users)
    assert set(_names(con)) & on_screen
    con.close()
    at.switch_page("pages/segments.py").run()
    at.checkbox(key="segments.mask").uncheck().run()
    assert not at.exception
    file, _, masked = downloads[-1]
    assert masked is False
    body = file().decode("utf-8-sig")
    con = store.connect(with_users)
    assert any(n in body for n in _names(con))
    row = audit.history(con).row(0, named=True)
    lines = body.strip().count("\n")  # header + one line per customer
    assert (row["user_name"], row["masked"], row["rows"]) == ("ann", False, lines)
    con.close()
    at.switch_page("pages/data.py").run()
    assert "Audit log" in [s.value for s in at.subheader]
    assert not at.exception


def test_markdown_in_a_name_is_shown_as_text(sample_db: Path) -> None:
    con = store.connect(sample_db)
    cid = con.execute("SELECT customer_id FROM orders LIMIT 1").fetchone()[0]
    con.execute("UPDATE customers SET name = ?, region = ? WHERE customer_id = ?",
                [EVIL, "<img src=x onerror=alert(1)>", cid])
    con.close()
    at = _app()
    at.switch_page("pages/customer.py").run()
    at.text_input(key="customer.query").input(cid).run()
    at.selectbox(key="customer.pick").select(cid).run()
    md = MarkdownIt("commonmark")
    masked = at.subheader[0].value
    assert "<img" not in md.render(masked) and "<em>" not in md.render(masked)
    assert md.render(masked).strip() == f"<p>{cid} · !**********************</p>"
    at.session_state[privacy.UNMASK] = True  # the local analyst's sidebar toggle
    at.run()
    assert not at.exception
    shown = md.render(at.subheader[0].value).strip()
    assert shown == f"<p>{cid} · {EVIL}</p>"  # the characters, not an image
    everything = "".join(md.render(m.value) for m in at.markdown)
    assert "<img" not in everything and "&lt;img src=x" in everything


def test_md_text_escapes_every_markdown_construct() -> None:
    md = MarkdownIt("commonmark").enable("table")
    for raw in (EVIL, "[x](javascript:alert(1))", "**bold** _it_", "# head", "<b>hi</b>",
                "`code`", "$x^2$", ":red[alarm]", "a | b", "1. one", "> quote"):
        out = md.render(privacy.md_text(raw)).strip()
        assert out.startswith("<p>") and out.endswith("</p>"), (raw, out)
        assert "<a" not in out and "<img" not in out and "<strong>" not in out
        assert "<code>" not in out and "<b>" not in out


def _failing_page() -> None:
    from ui import privacy as p

    def page() -> None:
        raise RuntimeError("secret detail /srv/crm/path.py")

    p.run_page(page, "zh")


def test_page_error_shows_reference_not_traceback(caplog: pytest.LogCaptureFixture) -> None:
    at = AppTest.from_function(_failing_page)
    at.session_state["lang"] = "zh"
    with caplog.at_level(logging.ERROR, logger="crm_lens"):
        at.run()
    assert len(at.exception) == 1
    shown = at.exception[0]
    assert "secret detail" not in shown.message and not shown.stack_trace
    assert shown.message.startswith("此页面出错（编号 ")
    ref = shown.message.split("编号 ")[1][:8]
    logged = [r for r in caplog.records if ref in r.getMessage()]
    assert logged and "secret detail" in str(logged[0].exc_info[1])


def test_app_runs_every_page_inside_the_error_boundary() -> None:
    source = Path(APP).read_text(encoding="utf-8")
    assert "privacy.run_page(nav.run, lang)" in source and "\nnav.run()" not in source


def test_oidc_offered_when_configured(sample_db: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = "en"
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "s" * 32,
        "client_id": "crm", "client_secret": "x",
        "server_metadata_url": "https://id.example.com/.well-known/openid-configuration"}
    at.run()
    assert not at.exception
    # no users in the store: single sign-on only, no password form, nothing else
    assert [b.label for b in at.button] == ["Sign in with single sign-on"]
    assert not _on_form(at) and not at.metric and not at.dataframe
