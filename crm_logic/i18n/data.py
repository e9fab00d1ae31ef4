"""Texts of the data area (English, 中文)."""

TEXTS: dict[str, tuple[str, str]] = {}
