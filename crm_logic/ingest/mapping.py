"""Header mapping: source column names -> canonical columns of a table."""

from __future__ import annotations

import re

from crm_logic import store
from crm_logic.ingest.result import IGNORE, UnusableInputError, note, note_text
from crm_logic.ingest.synonyms import COMMON_SYNONYMS, DATE_SYNONYMS

# --- header mapping ----------------------------------------------------------------------------


def normalise_header(name: str) -> str:
    """Case, space, underscore, dash, dot and bracket-insensitive form of a column header."""
    return re.sub(r"[\s_\-./()（）:：#]+", "", str(name).strip().lower().lstrip("\ufeff"))


def _synonym_index(table: str) -> dict[str, str]:
    """Normalised spelling -> canonical column, for the columns of `table`."""
    index: dict[str, str] = {}
    for col in store.SCHEMA[table]:
        spellings = DATE_SYNONYMS.get(col) or COMMON_SYNONYMS.get(col, ())
        for s in (col, *spellings):
            index.setdefault(normalise_header(s), col)
    return index


def suggest_mapping(table: str, columns: list[str]) -> dict[str, str]:
    """Source column -> canonical column of `table`, from English and Chinese synonyms.

    Each canonical column is taken by the first source column that names it; source columns
    without a match are left out (they will be ignored on import).
    """
    if table not in store.SCHEMA:
        raise UnusableInputError(f"unknown table {table!r}")
    index = _synonym_index(table)
    out: dict[str, str] = {}
    taken: set[str] = set()
    for src in columns:
        dst = index.get(normalise_header(src))
        if dst and dst not in taken:
            out[src] = dst
            taken.add(dst)
    return out


def guess_table(columns: list[str]) -> str:
    """The canonical table whose required columns the headers cover best (ties: more columns)."""
    def score(table: str) -> tuple[int, int, int]:
        mapped = set(suggest_mapping(table, columns).values())
        complete = not missing_required(table, mapped)
        return (int(complete), len(mapped & set(store.REQUIRED[table])), len(mapped))

    order = ("prospects", "complaints", "interactions", "orders",
             "customers")  # specific tables first
    return max(order, key=score)


def missing_required(table: str, mapped: set[str]) -> list[str]:
    """Required columns of `table` that `mapped` lacks (amount may come from qty x price)."""
    missing = [c for c in store.REQUIRED[table] if c not in mapped]
    if table == "orders" and "amount" in missing and {"quantity", "unit_price"} <= mapped:
        missing.remove("amount")
    return missing


def resolve_mapping(table: str, columns: list[str],
                    mapping: dict[str, str] | None = None) -> tuple[dict[str, str], list[str]]:
    """The mapping an import uses: suggestions overridden by `mapping`, plus warnings.

    `mapping` values may be a canonical column or "-" / "" to ignore the source column.
    Raises UnusableInputError for a source column not in the file or an unknown target.
    """
    explicit = dict(mapping or {})
    targets = set(store.SCHEMA[table])
    for src, dst in explicit.items():
        if src not in columns:
            raise UnusableInputError(
                f"mapping names column {src!r}, which is not in the file "
                f"(columns: {', '.join(columns)})")
        if dst not in ("", IGNORE) and dst not in targets:
            raise UnusableInputError(
                f"mapping target {dst!r} is not a column of table {table} "
                f"(columns: {', '.join(targets)})")
    chosen = {s: d for s, d in explicit.items() if d not in ("", IGNORE)}
    if len(set(chosen.values())) < len(chosen):
        raise UnusableInputError("mapping sends two source columns to the same column")
    for src, dst in suggest_mapping(table, [c for c in columns if c not in explicit]).items():
        if dst not in chosen.values():
            chosen[src] = dst
    ordered = {c: chosen[c] for c in columns if c in chosen}
    warnings = [note_text(note("unmapped", column=c)) for c in columns if c not in ordered]
    return ordered, warnings

