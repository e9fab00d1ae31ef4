"""What an import reports: notes (warnings as codes), reject reasons, the result, timing."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("crm_logic.ingest")


@contextmanager
def _step(name: str, own_thread: bool = False) -> Iterator[None]:
    """Log one import step's wall and CPU seconds (INFO; the benchmark prints them).

    CPU is the whole process's (all threads), or only this thread's with `own_thread`.
    """
    clock = time.thread_time if own_thread else time.process_time
    wall, cpu = time.perf_counter(), clock()
    try:
        yield
    finally:
        log.info("import step %-9s wall %6.2f s  cpu %6.2f s  peak RSS so far %5.0f MB",
                 name, time.perf_counter() - wall, clock() - cpu, _peak_mb())


def _peak_mb() -> float:
    """The process's peak resident memory so far in MB (0 where the OS does not say).

    Linux: VmHWM (ru_maxrss would include a parent's memory copied before exec).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            return next(int(x.split()[1]) for x in fh if x.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration, ValueError):
        pass
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


IGNORE = "-"  # mapping target meaning "do not import this column"
ID_COLUMNS: frozenset[str] = frozenset({"customer_id", "order_id", "complaint_id", "phone",
                                        "prospect_id", "converted_customer_id"})
REJECT_REASONS: tuple[str, ...] = ("missing", "invalid_date", "invalid_number",
                                   "invalid_boolean", "invalid_code", "field_count",
                                   "encoding", "field_too_long", "future_date",
                                   "date_before_1900", "resolved_before_received")


# Notes an import reports: code -> English text (the CLI's `warnings`); the UI translates
# the same codes (i18n keys data.note.<code>) with the same parameters.
NOTE_TEXT: dict[str, str] = {
    "unmapped": "column {column!r} not mapped: ignored",
    "duplicates": "rows repeating an earlier row exactly, loaded once: {n}",
    "reimport": "this file was already imported into {table} (import {import_id}): "
                "nothing loaded",
    "already_stored": "rows equal to rows already in the store (same id), not loaded "
                      "again: {n}",
    "repeats_kept": "rows repeating an earlier row exactly, loaded (no id tells them "
                    "apart; use --duplicates drop to drop them): {n}",
    "decimal_comma": "column {column!r}: numbers read with a decimal comma (12,50 = 12.5)",
    "date_order": "column {column!r}: dates like 3/4/2024 read month first (no value "
                  "decides)",
    "generated_ids": "no {column} column: ids made from the file and row number "
                     "(e.g. {example})",
    "implausible_amount": "amounts beyond the plausibility bound {bound} (1,000 x the file's "
                          "99.9th percentile by default), loaded; check them: {n} rows, "
                          "customers {customers}",
    "field_count_unchecked": "rows with more or fewer fields than the header could not be "
                             "located (unbalanced quotes): fields read as the reader saw them",
}


def note(code: str, **params: Any) -> dict[str, Any]:
    """One note: {"code": code, **params}."""
    return {"code": code, **params}


def note_text(n: dict[str, Any]) -> str:
    """A note in English."""
    return NOTE_TEXT[n["code"]].format(**{k: v for k, v in n.items() if k != "code"})


class UnusableInputError(Exception):
    """The file or arguments cannot be used at all: one plain-language line."""


class AmbiguousDecimal(UnusableInputError):
    """A number column reads two ways (1.234): the user says which decimal mark."""

    def __init__(self, column: str, example: str) -> None:
        super().__init__(f"column {column!r}: numbers like {example!r} read two ways (decimal "
                         "comma or point); say which with --decimal , or --decimal .")
        self.column, self.example = column, example


@dataclass
class ImportResult:
    """What one import did (rows_read = rows_loaded + rows_rejected + rows_duplicate)."""

    table: str
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    rows_duplicate: int
    rejects_file: str | None = None
    warnings: list[str] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    import_id: int | None = None
    notes: list[dict[str, Any]] = field(default_factory=list)  # warnings as codes (UI)

    def add_note(self, code: str, **params: Any) -> None:
        """Record a note, in English in `warnings` and as a code in `notes`."""
        self.notes.append(note(code, **params))
        self.warnings.append(note_text(self.notes[-1]))

    def to_json_dict(self) -> dict[str, Any]:
        """The contract's keys, in the contract's order (+ import_id)."""
        return {
            "table": self.table, "rows_read": self.rows_read, "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected, "rows_duplicate": self.rows_duplicate,
            "rejects_file": self.rejects_file, "warnings": self.warnings,
            "errors": self.errors, "import_id": self.import_id,
        }


