"""Streamlit widgets whose own English texts cannot be translated, labelled around instead.

The file uploader prints "Drag and drop files here", "200MB per file" and "Upload" in
English whatever the page language. `uploader()` hides those texts (CSS on the uploader's
test ids) and shows the same facts in the page language: a label, a caption with the size
limit and file types, and the button's word through a CSS ::after content.
"""

from __future__ import annotations

import json
from typing import Any

import streamlit as st

from crm_logic.i18n import t


def _css(button_word: str) -> str:
    word = json.dumps(button_word, ensure_ascii=False)  # CSS string: our text, never user's
    return (
        "<style>"
        '[data-testid="stFileUploaderDropzoneInstructions"]{display:none}'
        '[data-testid="stFileUploaderDropzone"] button > *{display:none}'
        '[data-testid="stFileUploaderDropzone"] button::after{content:' + word + "}"
        "</style>"
    )


def uploader(label_key: str, lang: str, types: list[str], help_text: str | None = None,
             **kwargs: Any) -> Any:
    """st.file_uploader with every visible text in `lang`."""
    mb = int(st.get_option("server.maxUploadSize"))
    st.html(_css(t("upload.button", lang)))
    files = st.file_uploader(t(label_key, lang), type=types, help=help_text, **kwargs)
    st.caption(t("upload.help", lang, mb=mb) + " · " + ", ".join(x.upper() for x in types))
    return files
