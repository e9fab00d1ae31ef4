"""The importer: CSV, TSV, XLSX and Parquet files into the store's canonical tables.

How a file goes in:
1. `inspect_file` sniffs it (`readers`: type by magic bytes, encoding, delimiter), reads the
   header, maps source columns onto canonical ones (`mapping`, spellings in `synonyms`) and
   raises `UnusableInputError` with one plain line when the file cannot be used at all.
   Nothing is written yet.
2. `validate` turns every source column into its canonical type with vectorised Polars
   expressions (`values`: `parse_date_expr`, `parse_number_expr`, ...) and gives each bad row
   the first failing column and a reason code (`REJECT_REASONS`).
3. `writer` writes loaded rows, rejects and the import log in ONE DuckDB transaction: a failed
   or killed import leaves the store as it was. `orchestrate` runs the three steps.
Row accounting: rows_read = rows_loaded + rows_rejected + rows_duplicate.
"""

from __future__ import annotations

from crm_logic.ingest.mapping import (
    guess_table,
    missing_required,
    normalise_header,
    resolve_mapping,
    suggest_mapping,
)
from crm_logic.ingest.numbers import (
    NUMBER_FORMS,
    detect_decimal,
    number_forms,
    parse_amount_expr,
    parse_number_expr,
)
from crm_logic.ingest.orchestrate import ImportPlan, import_file, import_frame, inspect_file
from crm_logic.ingest.readers import (
    SUPPORTED_ENCODINGS,
    SourceFile,
    detect_encoding,
    file_sha256,
    read_preview,
    sniff,
)
from crm_logic.ingest.result import (
    ID_COLUMNS,
    IGNORE,
    NOTE_TEXT,
    REJECT_REASONS,
    AmbiguousDecimal,
    ImportResult,
    UnusableInputError,
    note,
    note_text,
)
from crm_logic.ingest.synonyms import (
    CHURN_REASON_WORDS,
    CHURN_TYPE_WORDS,
    COMMON_SYNONYMS,
    DATE_SYNONYMS,
    FALSE_WORDS,
    TRUE_WORDS,
)
from crm_logic.ingest.validate import _UNREADABLE, date_lookup
from crm_logic.ingest.values import (
    DATE_FORMS,
    TWO_DIGIT_YEAR_PIVOT,
    clean_id_expr,
    date_forms,
    detect_dayfirst,
    parse_bool_expr,
    parse_code_expr,
    parse_date_expr,
)
from crm_logic.ingest.writer import rejects_table

__all__ = [
    "AmbiguousDecimal", "CHURN_REASON_WORDS", "CHURN_TYPE_WORDS", "COMMON_SYNONYMS",
    "DATE_FORMS", "DATE_SYNONYMS", "FALSE_WORDS", "ID_COLUMNS", "IGNORE", "ImportPlan",
    "ImportResult", "NOTE_TEXT", "NUMBER_FORMS", "REJECT_REASONS", "SUPPORTED_ENCODINGS",
    "SourceFile", "TRUE_WORDS", "TWO_DIGIT_YEAR_PIVOT", "UnusableInputError", "_UNREADABLE",
    "clean_id_expr", "date_forms", "date_lookup", "detect_dayfirst", "detect_decimal",
    "detect_encoding", "file_sha256", "guess_table", "import_file", "import_frame",
    "inspect_file", "missing_required", "normalise_header", "note", "note_text",
    "number_forms", "parse_amount_expr", "parse_bool_expr", "parse_code_expr",
    "parse_date_expr", "parse_number_expr", "read_preview", "rejects_table", "resolve_mapping",
    "sniff", "suggest_mapping",
]
