"""Texts of the data area: the Data page (import, mapping, rejects, history) (English, 中文)."""

TEXTS: dict[str, tuple[str, str]] = {
    "data.title": ("Data", "数据"),
    "data.intro": (
        "Import customer, order, complaint and interaction files (CSV, TSV, Excel, Parquet). "
        "Column names in English or Chinese are recognised; check the mapping before importing.",
        "导入客户、订单、投诉和互动文件（CSV、TSV、Excel、Parquet）。系统会识别中英文列名；"
        "导入前请核对列映射。",
    ),
    "data.store_counts": ("What the store holds", "数据库现有数据"),
    # upload + per file
    "data.upload": ("Files to import", "选择要导入的文件"),
    "data.upload_help": (
        "Several files at once are fine; each gets its own table, mapping and import button.",
        "可一次选择多个文件；每个文件单独选择目标表、列映射并导入。",
    ),
    "data.file": ("File: {name}", "文件：{name}"),
    "data.table": ("Import into table", "导入到数据表"),
    "data.table_guess": ("Guessed from the column names", "根据列名推断"),
    "data.table.customers": ("Customers", "客户"),
    "data.table.orders": ("Orders", "订单"),
    "data.table.complaints": ("Complaints", "投诉"),
    "data.table.interactions": ("Interactions", "互动"),
    "data.preview": ("Preview (first rows, as in the file)", "预览（文件前几行，原样显示）"),
    "data.unusable": ("This file cannot be imported: {msg}", "该文件无法导入：{msg}"),
    # mapping editor
    "data.mapping": ("Column mapping", "列映射"),
    "data.mapping_help": (
        "Which column of the file goes into which field. Suggestions come from the column "
        "names; change any of them, or choose “ignore”.",
        "文件中的每一列导入到哪个字段。建议值根据列名自动生成；可逐项修改，或选择“忽略”。",
    ),
    "data.source_column": ("Column in the file", "文件中的列"),
    "data.target_column": ("Field", "字段"),
    "data.ignore": ("(ignore)", "（忽略）"),
    "data.required": ("required", "必填"),
    "data.missing_required": (
        "Required fields not mapped yet: {cols}", "以下必填字段尚未映射：{cols}",
    ),
    "data.profile": ("Mapping profile", "映射方案"),
    "data.profile_none": ("(suggested from the column names)", "（根据列名自动建议）"),
    "data.profile_name": ("Save this mapping as", "将当前映射保存为"),
    "data.profile_save": ("Save profile", "保存方案"),
    "data.profile_saved": ("Profile “{name}” saved.", "已保存映射方案“{name}”。"),
    "data.profile_need_name": ("Give the profile a name.", "请为映射方案命名。"),
    # import
    "data.mode": ("When the table already holds rows", "数据表已有数据时"),
    "data.mode.append": ("Add to them", "追加"),
    "data.mode.replace": ("Replace them", "替换"),
    "data.encoding": ("Text encoding", "文本编码"),
    "data.encoding.auto": ("Detect automatically", "自动识别"),
    "data.import": ("Import", "导入"),
    "data.importing": ("Importing {name}…", "正在导入 {name}…"),
    "data.imported": ("{name}: import finished.", "{name}：导入完成。"),
    # validation summary
    "data.summary": ("Validation summary", "校验结果"),
    "data.rows_read": ("Rows read", "读取行数"),
    "data.rows_loaded": ("Rows loaded", "导入行数"),
    "data.rows_rejected": ("Rows rejected", "拒绝行数"),
    "data.rows_duplicate": ("Duplicate rows", "重复行数"),
    "data.warnings": ("Notes", "提示"),
    "data.note.unmapped": (
        "Column “{column}” is not mapped: ignored.", "列“{column}”未映射，已忽略。",
    ),
    "data.note.duplicates": (
        "{n} rows repeat an earlier row exactly: loaded once.",
        "{n} 行与前面某行完全相同：只导入一次。",
    ),
    "data.note.reimport": (
        "This file was already imported into this table (import #{import_id}): nothing loaded.",
        "该文件此前已导入到此数据表（导入编号 {import_id}）：本次未导入任何行。",
    ),
    "data.note.already_stored": (
        "{n} rows equal rows already in the store (same id): not loaded again.",
        "{n} 行与库中已有的行相同（编号相同）：未重复导入。",
    ),
    "data.note.repeats_kept": (
        "{n} rows repeat an earlier row exactly and were loaded (no id tells them apart; "
        "drop them with --duplicates drop).",
        "{n} 行与前面某行完全相同，已导入（没有编号可区分；可用 --duplicates drop 去除）。",
    ),
    "data.note.decimal_comma": (
        "Column “{column}”: numbers read with a decimal comma (12,50 = 12.5).",
        "列“{column}”：数字按小数逗号读取（12,50 = 12.5）。",
    ),
    "data.note.date_order": (
        "Column “{column}”: dates like 3/4/2024 read month first (no value decides).",
        "列“{column}”：3/4/2024 这类日期按“月/日”读取（没有可判定顺序的值）。",
    ),
    "data.note.generated_ids": (
        "No {column} column: ids made from the file and row number (e.g. {example}).",
        "没有 {column} 列：已按文件和行号生成编号（例如 {example}）。",
    ),
    "data.note.implausible_amount": (
        "{n} rows with amounts beyond the plausibility bound {bound} were loaded; please check "
        "them (customers {customers}).",
        "{n} 行金额超出可信上限 {bound}，已导入，请核对（客户 {customers}）。",
    ),
    "data.note.field_count_unchecked": (
        "Rows with more or fewer fields than the header could not be located (unbalanced "
        "quotes).",
        "无法定位字段数与表头不符的行（引号不配对）。",
    ),
    "data.cfg.future_date_tolerance_days": (
        "Days after the import day a date may lie", "日期可晚于导入当天的天数"),
    "data.cfg.max_cell_chars": ("Longest cell (characters)", "单元格最大长度（字符）"),
    "data.cfg.max_file_mb": ("Largest file (MB)", "最大文件（MB）"),
    "data.decimal": ("Decimal mark", "小数点符号"),
    "data.decimal.auto": ("From the values", "按数值判断"),
    "data.decimal.comma": ("Comma (12,50)", "逗号（12,50）"),
    "data.decimal.point": ("Point (12.50)", "句点（12.50）"),
    "data.decimal_ask": (
        "Column “{column}”: numbers like “{example}” read two ways (decimal comma or point). "
        "Choose the decimal mark above and import again.",
        "列“{column}”：“{example}”这类数字有两种读法（小数逗号或小数点）。请在上方选择小数点符号后重新导入。",
    ),
    "data.decimal_help": (
        "Asked only where a number column reads both ways (1.234 or 1,234).",
        "仅当数字列两种读法都成立（如 1.234 或 1,234）时需要选择。",
    ),
    "data.rejects": ("Rejected rows and why", "被拒绝的行及原因"),
    "data.rejects_download": ("Download rejected rows (CSV)", "下载被拒绝的行（CSV）"),
    "data.no_rejects": ("No row was rejected.", "没有被拒绝的行。"),
    "data.col.row_number": ("Row in file", "文件行号"),
    "data.col.column_name": ("Field", "字段"),
    "data.col.reason": ("Reason", "原因"),
    "data.reason.missing": ("Missing value", "缺少必填值"),
    "data.reason.invalid_date": ("Not a date", "不是有效日期"),
    "data.reason.invalid_number": ("Not a number", "不是有效数字"),
    "data.reason.invalid_boolean": ("Not yes/no", "不是“是/否”"),
    "data.reason.invalid_code": ("Unknown value", "无法识别的取值"),
    "data.reason.field_count": ("More or fewer fields than the header", "字段数与表头不符"),
    "data.reason.encoding": ("Unreadable characters (encoding)", "无法识别的字符（编码）"),
    "data.reason.field_too_long": ("Cell too long", "单元格内容过长"),
    "data.reason.future_date": ("Date after the import day", "日期晚于导入当天"),
    "data.reason.date_before_1900": ("Date before 1900", "日期早于 1900 年"),
    "data.reason.resolved_before_received": ("Resolved before received", "解决日期早于受理日期"),
    # history
    "data.history": ("Import history", "导入记录"),
    "data.history_empty": ("Nothing imported yet.", "尚无导入记录。"),
    "data.history_pick": ("Show the rejected rows of import", "查看该次导入被拒绝的行"),
    "data.col.import_id": ("Import", "导入编号"),
    "data.col.imported_at": ("When", "时间"),
    "data.col.file_name": ("File", "文件"),
    "data.col.table_name": ("Table", "数据表"),
    "data.col.mode": ("Mode", "方式"),
    # sample
    "data.sample": ("Sample data", "示例数据"),
    "data.reload_sample": ("Reload the sample data", "重新加载示例数据"),
    "data.reload_sample_help": (
        "Replaces all four tables with the bundled synthetic sample.",
        "用内置的模拟示例数据替换全部四张数据表。",
    ),
    "data.sample_loaded": ("Sample data loaded.", "示例数据已加载。"),
}
