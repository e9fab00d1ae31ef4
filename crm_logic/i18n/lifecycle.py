"""Texts of the lifecycle area (English, 中文)."""

TEXTS: dict[str, tuple[str, str]] = {}
