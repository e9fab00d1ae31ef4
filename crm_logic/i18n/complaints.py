"""Texts of the complaints area (English, 中文)."""

TEXTS: dict[str, tuple[str, str]] = {}
