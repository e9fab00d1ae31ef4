"""UI-side helpers of the Data page: uploads on disk, cached sniffing, imports with progress.

The importer works on files (it streams them), so each upload is written once to a file
in a private temporary folder (mode 0700, files 0600; removed after the import and when
the server stops). Sniffing (header, preview, table guess) is cached per file and
encoding; history and rejects are read fresh (they are small and change with every import).
"""

from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import shutil
from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st

from crm_logic import ingest, store, uploads
from crm_logic.export import to_safe_csv
from ui import state

UPLOAD_DIR = uploads.private_dir()
atexit.register(shutil.rmtree, UPLOAD_DIR, ignore_errors=True)
ENCODINGS: tuple[str, ...] = ("auto", "utf-8", "gb18030", "utf-16")
RESULTS = "data.results"  # session key: {upload key: ImportResult.to_json_dict()}


def saved_upload(upload: Any) -> Path:
    """The upload written to the private folder (once per upload; named as the user's file)."""
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()[:16]
    folder = UPLOAD_DIR / digest
    path = folder / Path(upload.name).name
    if not path.exists():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        uploads.write_private(folder, upload.name, data)
    return path


def discard_upload(path: Path) -> None:
    """Remove an imported upload's copy (and its folder)."""
    shutil.rmtree(path.parent, ignore_errors=True)


def audit_display(log: pl.DataFrame) -> pl.DataFrame:
    """The audit log with translated headers and actions."""
    yes, no = state.tr("data.audit.masked.yes"), state.tr("data.audit.masked.no")
    out = log.drop("audit_id").with_columns(
        pl.col("action").replace({a: state.tr(f"data.audit.action.{a}")
                                  for a in ("export", "import", "replace", "sample")}),
        pl.when(pl.col("masked")).then(pl.lit(yes))
        .when(~pl.col("masked")).then(pl.lit(no)).otherwise(pl.lit("")).alias("masked"))
    return out.rename({c: state.tr(f"data.audit.col.{c}") for c in out.columns})


@st.cache_data(show_spinner=False, max_entries=32)
def sniffed(path: str, encoding: str, size: int) -> tuple[list[str], pl.DataFrame, str | None]:
    """(columns, first rows, error message) of a file; `size` keys the cache to its content."""
    try:
        src = ingest.sniff(Path(path), encoding)
    except ingest.UnusableInputError as exc:
        return [], pl.DataFrame(), str(exc)
    return src.columns, src.sample.head(20), None


def table_label(table: str) -> str:
    return state.tr(f"data.table.{table}")


def initial_mapping(table: str, columns: list[str], profile: str | None) -> dict[str, str]:
    """Suggestions from the headers, overridden by a saved profile's entries for this file."""
    mapping = ingest.suggest_mapping(table, columns)
    if profile:
        _, saved = store.load_profile(state.connection(), profile)
        for src, dst in saved.items():
            if src in columns:
                mapping = {s: d for s, d in mapping.items() if d != dst}
                mapping[src] = dst
    return mapping


def run_import(path: Path, table: str, mapping: dict[str, str], encoding: str, mode: str,
               name: str, decimal: str = "auto") -> dict[str, Any]:
    """Import with a progress bar; clears cached data so every page sees the new rows."""
    bar = st.progress(0.0, text=state.tr("data.importing", name=name))
    full = {c: mapping.get(c, ingest.IGNORE) for c in sniffed(str(path), encoding,
                                                             path.stat().st_size)[0]}
    try:
        result = ingest.import_file(state.connection(), table, path, mapping=full,
                                    encoding=encoding, mode=mode, file_name=name,
                                    decimal=None if decimal == "auto" else decimal,
                                    cfg=state.config(), today=dt.date.today(),  # the import's day
                                    progress=lambda f: bar.progress(min(max(f, 0.0), 1.0)))
    finally:
        bar.empty()
    st.cache_data.clear()
    return {**result.to_json_dict(), "notes": result.notes}


def note_lines(result: dict[str, Any]) -> list[str]:
    """An import's notes in the UI language (values from the file escaped for Markdown)."""
    from ui.privacy import md_text

    return [state.tr(f"data.note.{n['code']}",
                     **{k: md_text(v) if isinstance(v, str) else v
                        for k, v in n.items() if k != "code"})
            for n in result.get("notes", [])]


def rejects_display(import_id: int) -> tuple[pl.DataFrame, bytes]:
    """Rejected rows of an import for display (reasons translated) and as a safe CSV."""
    raw = store.import_rejects(state.connection(), import_id)
    table = ingest.rejects_table(raw)
    csv = to_safe_csv(table, mask=False)
    if table.height:
        labels = {r: state.tr(f"data.reason.{r}") for r in ingest.REJECT_REASONS}
        table = table.with_columns(pl.col("reason").replace(labels))
    shown = table.rename({c: state.tr(f"data.col.{c}") for c in
                          ("row_number", "column_name", "reason") if c in table.columns})
    return shown, csv


def history_display() -> pl.DataFrame:
    """The import log with translated headers and table names."""
    hist = store.import_history(state.connection())
    cols = ["import_id", "imported_at", "file_name", "table_name", "mode", "rows_read",
            "rows_loaded", "rows_rejected", "rows_duplicate"]
    hist = hist.select(cols).with_columns(
        pl.col("table_name").replace({t: table_label(t) for t in store.TABLES}),
        pl.col("mode").replace({m: state.tr(f"data.mode.{m}") for m in ("append", "replace")}),
    )
    names = {c: state.tr(f"data.col.{c}") for c in cols[:5]}
    names.update({c: state.tr(f"data.{c}") for c in cols[5:]})
    return hist.rename(names)
