"""Data: upload files, check the mapping, import, see what was rejected and why, history."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st

from crm_logic import audit, ingest, store, uploads
from crm_logic.i18n import t
from crm_logic.localise import header
from ui import auth as ua
from ui import data as ud
from ui import privacy, show, state, widgets

state.require_frame(__file__)

lang = state.lang()
tr = state.tr
st.title(tr("data.title"))
st.caption(tr("data.intro"))

with st.sidebar.expander(tr("what_if"), expanded=False):  # import thresholds (config)
    state.cfg_control("future_date_tolerance_days", st.number_input,
                      "data.cfg.future_date_tolerance_days", min_value=0, max_value=3650)
    state.cfg_control("max_cell_chars", st.number_input, "data.cfg.max_cell_chars",
                      min_value=100, max_value=10_000_000, step=1000)
    state.cfg_control("max_file_mb", st.number_input, "data.cfg.max_file_mb",
                      min_value=1, max_value=65_536, step=256)

counts = state.data().counts()
can_change = privacy.can_unmask()  # analysts (and the local user with no sign-in set up)
if not can_change:
    st.info(tr("data.viewer_readonly"))
st.subheader(tr("data.store_counts"))
for col, table in zip(st.columns(len(store.TABLES)), store.TABLES, strict=True):
    col.metric(ud.table_label(table), f"{counts[table]:,}")


DECIMAL_MARKS = {"auto": "data.decimal.auto", ",": "data.decimal.comma",
                 ".": "data.decimal.point"}


def _summary(result: dict[str, Any], key: str) -> None:
    """Validation summary of one import: metrics, notes, rejected rows + CSV download."""
    st.markdown(f"**{tr('data.summary')}**")
    m = st.columns(4)
    for col, k in zip(m, ("rows_read", "rows_loaded", "rows_rejected", "rows_duplicate"),
                      strict=True):
        col.metric(tr(f"data.{k}"), f"{result[k]:,}")
    notes = ud.note_lines(result)
    if notes:
        st.info(tr("data.warnings") + ":\n\n" + "\n".join(f"- {n}" for n in notes))
    if result["rows_rejected"] and result.get("import_id"):
        shown, csv = ud.rejects_display(int(result["import_id"]))
        st.markdown(f"**{tr('data.rejects')}**")
        st.dataframe(shown.head(1000), hide_index=True, key=f"data.rejects_table.{key}")
        privacy.download_button(tr("data.rejects_download"), csv, mime="text/csv",
                                what=f"rejects of import #{result['import_id']}",
                                rows=int(result["rows_rejected"]), masked=False,
                                file_name=f"rejects_import_{result['import_id']}.csv",
                                key=f"data.rejects_download.{key}")


def _log(action: str, what: str, rows: int) -> None:
    """One audit row for an import or a sample reload."""
    audit.record(state.connection(), ua.user_name(), action, what, rows, None, dt.datetime.now())


def _import(path: Path, table: str, mapping: dict[str, str], encoding: str, mode: str,
            name: str, key: str, decimal: str = "auto") -> None:
    """Import, log it, remove the uploaded copy, show the result (after a rerun)."""
    try:
        results[key] = ud.run_import(path, table, mapping, encoding, mode, name,
                                     decimal=decimal)
    except ingest.AmbiguousDecimal as exc:
        st.error(tr("data.decimal_ask", column=privacy.md_text(exc.column),
                    example=privacy.md_text(exc.example)))
        return
    except ingest.UnusableInputError as exc:
        st.error(tr("data.unusable", msg=privacy.md_text(exc)))
        return
    _log("replace" if mode == "replace" else "import", f"{table} <- {name}",
         int(results[key]["rows_loaded"]))
    ud.discard_upload(path)
    st.rerun()  # the counts above and every page now see the new rows


# ---- upload, preview, mapping, import ---------------------------------------------------------
files = widgets.uploader("data.upload", lang, [e.lstrip(".") for e in uploads.ALLOWED_TYPES],
                         help_text=tr("data.upload_help"), accept_multiple_files=True,
                         key="data.upload") if can_change else None
results: dict[str, dict[str, Any]] = st.session_state.setdefault(ud.RESULTS, {})
sample_only = bool(files) and uploads.only_sample(state.connection())

for i, up in enumerate(files or []):
    key = f"{i}.{up.name}"
    with st.container(border=True):
        st.subheader(tr("data.file", name=privacy.md_text(up.name)))
        if key in results:  # imported: its copy is gone, show the outcome only
            st.success(tr("data.imported", name=privacy.md_text(up.name)))
            _summary(results[key], key)
            continue
        problem = uploads.check_bytes(up.name, up.getvalue())
        if problem:
            st.error(tr("data.upload_rejected", name=privacy.md_text(up.name),
                        why=tr(f"data.upload_problem.{problem}")))
            continue
        path = ud.saved_upload(up)
        top = st.columns(3)
        encoding = top[2].selectbox(
            tr("data.encoding"), ud.ENCODINGS, key=f"data.encoding.{key}",
            format_func=lambda e: tr("data.encoding.auto") if e == "auto" else e.upper())
        columns, preview, error = ud.sniffed(str(path), encoding, path.stat().st_size)
        if error:
            st.error(tr("data.unusable", msg=privacy.md_text(error)))
            continue
        guess = ingest.guess_table(columns)
        table = top[0].selectbox(tr("data.table"), store.TABLES,
                                 index=store.TABLES.index(guess), format_func=ud.table_label,
                                 help=tr("data.table_guess"), key=f"data.table.{key}")
        profiles = store.list_profiles(state.connection(), table)
        profile = top[1].selectbox(
            tr("data.profile"), ["", *profiles], key=f"data.profile.{key}.{table}",
            format_func=lambda p: p or tr("data.profile_none"))
        st.markdown(f"**{tr('data.preview')}**")
        st.dataframe(preview.head(10), hide_index=True, key=f"data.preview.{key}")

        st.markdown(f"**{tr('data.mapping')}**")
        st.caption(tr("data.mapping_help"))
        seed = ud.initial_mapping(table, columns, profile or None)
        required = set(store.REQUIRED[table])
        targets = [ingest.IGNORE, *store.SCHEMA[table]]

        def _target_label(c: str, required: set[str] = required) -> str:
            if c == ingest.IGNORE:
                return tr("data.ignore")
            shown = header(c, lang)  # 订单编号 rather than order_id
            return f"{shown} ({tr('data.required')})" if c in required else shown

        mapping: dict[str, str] = {}
        grid = st.columns(3)
        for j, src in enumerate(columns):
            chosen = grid[j % 3].selectbox(
                privacy.md_text(src), targets, index=targets.index(seed.get(src, ingest.IGNORE)),
                format_func=_target_label, key=f"data.map.{key}.{table}.{profile}.{j}")
            if chosen != ingest.IGNORE:
                mapping[src] = chosen
        missing = ingest.missing_required(table, set(mapping.values()))
        if missing:
            st.warning(tr("data.missing_required", cols=", ".join(missing)))

        decimal = st.radio(tr("data.decimal"), list(DECIMAL_MARKS), horizontal=True,
                           help=tr("data.decimal_help"), key=f"data.decimal.{key}",
                           format_func=lambda d: tr(DECIMAL_MARKS[d]))
        p = st.columns([2, 1, 2, 1])
        new_name = p[0].text_input(tr("data.profile_name"), key=f"data.profile_name.{key}")
        if p[1].button(tr("data.profile_save"), key=f"data.profile_save.{key}"):
            if new_name.strip():
                store.save_profile(state.connection(), new_name, table, mapping)
                st.success(tr("data.profile_saved", name=privacy.md_text(new_name.strip())))
            else:
                st.warning(tr("data.profile_need_name"))
        mode = p[2].radio(tr("data.mode"), ["append", "replace"], horizontal=True,
                          index=1 if sample_only else 0,
                          format_func=lambda m: tr(f"data.mode.{m}"), key=f"data.mode.{key}")
        if sample_only:
            st.info(tr("data.only_sample"))
        confirming = f"data.confirming.{key}"
        if p[3].button(tr("data.import"), type="primary", disabled=bool(missing),
                       key=f"data.import.{key}"):
            if mode == "replace" and counts[table]:
                st.session_state[confirming] = True  # nothing lost by one click
            else:
                _import(path, table, mapping, encoding, mode, up.name, key, decimal)
        if st.session_state.get(confirming) and mode == "replace":
            st.warning(tr("data.confirm_replace", rows=f"{counts[table]:,}",
                          table=ud.table_label(table), name=privacy.md_text(up.name)))
            c = st.columns([2, 1, 3])
            if c[0].button(tr("data.confirm_replace_go", table=ud.table_label(table)),
                           type="primary", key=f"data.confirm_replace.{key}"):
                st.session_state.pop(confirming, None)
                _import(path, table, mapping, encoding, mode, up.name, key, decimal)
            if c[1].button(tr("data.confirm_cancel"), key=f"data.confirm_cancel.{key}"):
                st.session_state.pop(confirming, None)
                st.rerun()

# ---- history ----------------------------------------------------------------------------------
st.subheader(tr("data.history"))
history = ud.history_display()
if history.is_empty():
    st.caption(tr("data.history_empty"))
else:
    st.dataframe(history, hide_index=True, key="data.history_table", column_config={
        c: show.count_column(c) for c, d in history.schema.items() if d.is_integer()})
    log = store.import_history(state.connection()).filter(pl.col("rows_rejected") > 0)
    ids = log.get_column("import_id").to_list()
    if ids and can_change:  # rejected rows hold the source rows as they were: analysts only
        pick = st.selectbox(tr("data.history_pick"), ids, key="data.history_pick",
                            format_func=lambda v: f"#{v}")
        row = log.filter(pl.col("import_id") == pick).row(0, named=True)
        _summary(row, f"history.{pick}")

# ---- audit log (analysts) ---------------------------------------------------------------------
if can_change:
    st.subheader(tr("data.audit"))
    st.caption(tr("data.audit_help"))
    log = ud.audit_display(audit.history(state.connection()))
    if log.is_empty():
        st.caption(tr("data.audit_empty"))
    else:
        st.dataframe(log, hide_index=True, key="data.audit_table")


def _reload_sample() -> None:
    from crm_logic.sample import load_sample

    st.session_state.pop("data.confirm_sample", None)
    with st.spinner(t("app.loading_sample", lang)):
        summary = load_sample(state.connection())
    _log("sample", summary, sum(uploads.table_rows(state.connection()).values()))
    st.cache_data.clear()
    st.session_state["data.sample_loaded"] = True
    st.rerun()


# ---- sample (replaces everything: asks first) ---------------------------------------------------
if can_change:
    st.subheader(tr("data.sample"))
    if st.button(tr("data.reload_sample"), help=tr("data.reload_sample_help"),
                 key="data.reload_sample"):
        if sum(counts.values()):
            st.session_state["data.confirm_sample"] = True
        else:
            _reload_sample()
    if st.session_state.get("data.confirm_sample"):
        what = ", ".join(tr("data.table_rows", table=ud.table_label(tb), rows=f"{n:,}")
                         for tb, n in counts.items())
        st.warning(tr("data.confirm_sample", what=what))
        c = st.columns([2, 1, 3])
        if c[0].button(tr("data.confirm_sample_go"), type="primary",
                       key="data.reload_sample.confirm"):
            _reload_sample()
        if c[1].button(tr("data.confirm_cancel"), key="data.reload_sample.cancel"):
            st.session_state.pop("data.confirm_sample", None)
            st.rerun()
    if st.session_state.pop("data.sample_loaded", False):
        st.success(tr("data.sample_loaded"))
