"""Texts of the churn area (English, 中文)."""

TEXTS: dict[str, tuple[str, str]] = {}
