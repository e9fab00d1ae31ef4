"""Texts of the segments area (English, 中文)."""

TEXTS: dict[str, tuple[str, str]] = {}
