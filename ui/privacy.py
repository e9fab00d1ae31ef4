"""Role-aware controls every page shares: masking, audited downloads, user text as text.

- `can_unmask()`: only an analyst (or the local user when no sign-in is configured).
- `mask_control(key)`: the "mask personal data" checkbox for analysts; viewers get no
  control and always masked output.
- `screen(df)`: personal columns masked on screen unless an analyst ticked "show personal
  data" in the sidebar (`privacy.unmask`).
- `download_button(...)`: `st.download_button` whose file is handed out on click (deferred)
  and writes an audit row (who, what, rows, masked) when it is.
- `md_text(s)`: user text made safe for any Markdown-rendering element (titles, alerts,
  widget labels): every ASCII punctuation mark is backslash-escaped, so `![p](http://…)`
  shows as those characters instead of fetching an image.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from collections.abc import Callable
from typing import Any

import polars as pl
import streamlit as st

from crm_logic import audit, store
from crm_logic.export import PERSONAL_COLUMNS, mask_frame
from crm_logic.i18n import t
from ui import auth as ua
from ui import state

UNMASK = "privacy.unmask"  # sidebar toggle (analysts): show personal data on screen
_LOG = logging.getLogger("crm_lens")
_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")


def md_text(value: object) -> str:
    """`value` as literal text inside Markdown (no links, images, emphasis, HTML, LaTeX)."""
    text = "" if value is None else str(value)
    return _PUNCT.sub(r"\\\1", text).replace("\n", " ")


def can_unmask() -> bool:
    """True for an analyst (the local user counts as one when no sign-in is configured)."""
    return ua.role() == "analyst"


def unmask_toggle() -> None:
    """Sidebar toggle for analysts: show names, phones and e-mails on screen (default off)."""
    if can_unmask():
        st.sidebar.toggle(state.tr("privacy.unmask"), key=UNMASK,
                          help=state.tr("privacy.unmask_help"))
    else:
        st.session_state.pop(UNMASK, None)


def screen(df: pl.DataFrame) -> pl.DataFrame:
    """A frame for display: personal columns masked unless an analyst chose to show them."""
    if can_unmask() and st.session_state.get(UNMASK):
        return df
    return mask_frame(df)


def screen_value(column: str, value: object) -> str:
    """One personal value (name, phone, email) for display, masked as `screen` would."""
    if value is None:
        return ""
    return str(screen(pl.DataFrame({column: [str(value)]})).item())


def mask_control(key: str) -> bool:
    """True when a download must be masked: always for viewers (no control shown)."""
    if not can_unmask():
        st.caption(state.tr("privacy.viewer_masked"))
        return True
    return bool(st.checkbox(state.tr("mask_personal"), value=True, key=key))


def _audited(data: bytes | Callable[[], bytes], what: str, rows: int,
             masked: bool) -> Callable[[], bytes]:
    """The file, handed out on click, writing one audit row first (runs off the script,
    with its own short connection: the page holds none between runs). `data` may be a
    callable making the file then."""
    path, user = store.db_path(), ua.user_name()

    def _file() -> bytes:
        con = store.connect(path)
        try:
            audit.record(con, user, "export", what, rows, masked, dt.datetime.now())
        finally:
            con.close()
        return data() if callable(data) else data

    return _file


def download_button(label: str, data: bytes | Callable[[], bytes], *, what: str, rows: int,
                    masked: bool, container: Any = None, **kwargs: Any) -> None:
    """`st.download_button` (same keyword arguments) with an audit row on each download.

    `what` names the list (e.g. "segments: gold"), `rows` its data rows, `masked` whether
    personal data was masked. An unmasked file is never offered to a viewer. `data` may be
    a callable (no arguments) that makes the file on click: a large list is not written to
    CSV on every rerun of the page.
    """
    where = container if container is not None else st
    if not masked and not can_unmask():
        where.caption(state.tr("privacy.viewer_masked"))
        return
    where.download_button(label, _audited(data, what, rows, masked), **kwargs)


def personal_columns(df: pl.DataFrame) -> list[str]:
    """The personal columns present in a frame."""
    return [c for c in PERSONAL_COLUMNS if c in df.columns]


class PageError(Exception):
    """What a visitor sees instead of a traceback: a short message with a reference id."""


def run_page(run: Callable[[], Any], lang: str) -> None:
    """Run a page; on an error show a short message with a reference id (no traceback, no
    file paths) and write the details with the same id to the server log.

    Shown as an exception element (message only, no stack) so tests still notice it.
    """
    try:
        run()
    except Exception:
        ref = uuid.uuid4().hex[:8]
        _LOG.exception("page error, reference %s", ref)
        err = PageError(state.tr("app.error", ref=ref))
        err.alternate_name = t("app.error_title", lang)  # type: ignore[attr-defined]
        st.exception(err)
