"""Opening a page under AppTest the way a user does: through app.py, in one language."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def open_page(page: str, lang: str = "en", as_of: object = None, timeout: float = 120,
              check: bool = True) -> AppTest:
    """Run app.py (the frame), switch to `page` ("pages/x.py"); fail on any exception."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.session_state["lang"] = lang
    if as_of is not None:
        at.session_state["as_of"] = as_of
    at.run()
    at.switch_page(page).run()
    if check:
        assert not at.exception, [e.value for e in at.exception]
    return at


def metric(at: AppTest, label: str) -> str:
    """The value shown by the metric with this label."""
    for m in at.metric:
        if m.label == label:
            return m.value
    raise AssertionError(f"no metric {label!r}: {[m.label for m in at.metric]}")


def metric_int(at: AppTest, label: str) -> int:
    """A metric's value as a whole number ("1,234" -> 1234)."""
    return int(str(metric(at, label)).replace(",", ""))
