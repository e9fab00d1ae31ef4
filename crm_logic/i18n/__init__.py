"""Both languages for every label, title and message.

Texts live in one module per area (`common`, `data`, `segments`, `lifecycle`, `churn`,
`complaints`, `prospects`), each a dict `key -> (english, chinese)`. `t(key, lang)` looks a
key up; a missing key raises in tests (see tests/test_i18n.py) rather than showing a raw
key to users.
Column names in frames are never display labels: pages translate at render time.
"""

from __future__ import annotations

import importlib
import pkgutil

LANGS: tuple[str, ...] = ("en", "zh")

# Every submodule of this package is a text module with a TEXTS dict (found, not listed, so
# an area adds its texts by adding a file).
_MODULES = tuple(
    importlib.import_module(f"{__name__}.{m.name}")
    for m in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name)
)


def _merge() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for mod in _MODULES:
        for key, pair in mod.TEXTS.items():
            if key in merged:
                raise KeyError(f"i18n key defined twice: {key}")
            merged[key] = pair
    return merged


TEXTS: dict[str, tuple[str, str]] = _merge()


def t(key: str, lang: str = "en", **kwargs: object) -> str:
    """The text for `key` in `lang` ("en" or "zh"), formatted with `kwargs`."""
    en, zh = TEXTS[key]
    text = zh if lang == "zh" else en
    return text.format(**kwargs) if kwargs else text


def label_map(prefix: str, values: list[str] | tuple[str, ...], lang: str) -> dict[str, str]:
    """Display labels for coded values, e.g. label_map("tier", ["gold"], "zh")."""
    return {v: t(f"{prefix}.{v}", lang) for v in values}
