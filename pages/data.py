"""Data: upload files, check the mapping, import, see what was rejected and why, history."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from crm_logic import ingest, store
from crm_logic.i18n import t
from crm_logic.localise import header
from ui import data as ud
from ui import show, state, widgets

state.require_frame(__file__)

lang = state.lang()
tr = state.tr
st.title(tr("data.title"))
st.caption(tr("data.intro"))

con = state.connection()
counts = state.data().counts()
st.subheader(tr("data.store_counts"))
for col, table in zip(st.columns(len(store.TABLES)), store.TABLES, strict=True):
    col.metric(ud.table_label(table), f"{counts[table]:,}")


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
        st.download_button(tr("data.rejects_download"), csv, mime="text/csv",
                           file_name=f"rejects_import_{result['import_id']}.csv",
                           key=f"data.rejects_download.{key}")


# ---- upload, preview, mapping, import ---------------------------------------------------------
uploads = widgets.uploader("data.upload", lang, ["csv", "tsv", "txt", "xlsx", "xlsm", "parquet"],
                           help_text=tr("data.upload_help"), accept_multiple_files=True,
                           key="data.upload")
results: dict[str, dict[str, Any]] = st.session_state.setdefault(ud.RESULTS, {})

for i, up in enumerate(uploads or []):
    key = f"{i}.{up.name}"
    with st.container(border=True):
        st.subheader(tr("data.file", name=up.name))
        path = ud.saved_upload(up)
        top = st.columns(3)
        encoding = top[2].selectbox(
            tr("data.encoding"), ud.ENCODINGS, key=f"data.encoding.{key}",
            format_func=lambda e: tr("data.encoding.auto") if e == "auto" else e.upper())
        columns, preview, error = ud.sniffed(str(path), encoding, path.stat().st_size)
        if error:
            st.error(tr("data.unusable", msg=error))
            continue
        guess = ingest.guess_table(columns)
        table = top[0].selectbox(tr("data.table"), store.TABLES,
                                 index=store.TABLES.index(guess), format_func=ud.table_label,
                                 help=tr("data.table_guess"), key=f"data.table.{key}")
        profiles = store.list_profiles(con, table)
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
                src, targets, index=targets.index(seed.get(src, ingest.IGNORE)),
                format_func=_target_label, key=f"data.map.{key}.{table}.{profile}.{j}")
            if chosen != ingest.IGNORE:
                mapping[src] = chosen
        missing = ingest.missing_required(table, set(mapping.values()))
        if missing:
            st.warning(tr("data.missing_required", cols=", ".join(missing)))

        p = st.columns([2, 1, 2, 1])
        new_name = p[0].text_input(tr("data.profile_name"), key=f"data.profile_name.{key}")
        if p[1].button(tr("data.profile_save"), key=f"data.profile_save.{key}"):
            if new_name.strip():
                store.save_profile(con, new_name, table, mapping)
                st.success(tr("data.profile_saved", name=new_name.strip()))
            else:
                st.warning(tr("data.profile_need_name"))
        mode = p[2].radio(tr("data.mode"), ["append", "replace"], horizontal=True,
                          format_func=lambda m: tr(f"data.mode.{m}"), key=f"data.mode.{key}")
        if p[3].button(tr("data.import"), type="primary", disabled=bool(missing),
                       key=f"data.import.{key}"):
            try:
                results[key] = ud.run_import(path, table, mapping, encoding, mode, up.name)
            except ingest.UnusableInputError as exc:
                st.error(tr("data.unusable", msg=str(exc)))
            else:
                st.rerun()  # the counts above and every page now see the new rows
        if key in results:
            st.success(tr("data.imported", name=up.name))
            _summary(results[key], key)

# ---- history ----------------------------------------------------------------------------------
st.subheader(tr("data.history"))
history = ud.history_display()
if history.is_empty():
    st.caption(tr("data.history_empty"))
else:
    st.dataframe(history, hide_index=True, key="data.history_table", column_config={
        c: show.count_column(c) for c, d in history.schema.items() if d.is_integer()})
    log = store.import_history(con).filter(pl.col("rows_rejected") > 0)
    ids = log.get_column("import_id").to_list()
    if ids:
        pick = st.selectbox(tr("data.history_pick"), ids, key="data.history_pick",
                            format_func=lambda v: f"#{v}")
        row = log.filter(pl.col("import_id") == pick).row(0, named=True)
        _summary(row, f"history.{pick}")

# ---- sample -----------------------------------------------------------------------------------
st.subheader(tr("data.sample"))
if st.button(tr("data.reload_sample"), help=tr("data.reload_sample_help"),
             key="data.reload_sample"):
    from crm_logic.sample import load_sample

    with st.spinner(t("app.loading_sample", lang)):
        load_sample(con)
    st.cache_data.clear()
    st.session_state["data.sample_loaded"] = True
    st.rerun()
if st.session_state.pop("data.sample_loaded", False):
    st.success(tr("data.sample_loaded"))
