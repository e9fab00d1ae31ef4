"""The README's Layout section names every module and package of `crm_logic/` and `ui/`
(issue 10: "the module layout in the README matches the tree"), and names nothing that
is gone."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _layout() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## Layout")
    return text[start:text.index("\n## ", start + 1)]


def _modules(folder: str) -> set[str]:
    """Top-level modules (without .py) and packages of a folder, private ones left out."""
    base = ROOT / folder
    names = {p.stem for p in base.glob("*.py") if not p.name.startswith("_")}
    names |= {p.name for p in base.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    return names


def _row(layout: str, path: str) -> str:
    return next(line for line in layout.splitlines() if line.startswith(f"| `{path}` |"))


def test_every_logic_module_is_in_the_layout() -> None:
    row = _row(_layout(), "crm_logic/")
    named = set(re.findall(r"`([a-z_0-9]+)/?`", row))
    missing = _modules("crm_logic") - named - {"auth", "audit", "uploads"}  # their own row
    assert not missing, f"README Layout does not name crm_logic modules: {sorted(missing)}"


def test_every_ui_module_is_in_the_layout() -> None:
    row = _row(_layout(), "ui/")
    named = {n.removesuffix(".py") for n in re.findall(r"`([a-z_0-9]+\.py)`", row)}
    missing = _modules("ui") - named - {"auth", "privacy"}  # named in their own row
    assert not missing, f"README Layout does not name ui modules: {sorted(missing)}"
    gone = named - _modules("ui")
    assert not gone, f"README Layout names ui modules that do not exist: {sorted(gone)}"
