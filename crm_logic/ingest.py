"""The importer: CSV, TSV, XLSX and Parquet files into the store's canonical tables.

How a file goes in:
1. `inspect_file` sniffs it (type by magic bytes, encoding UTF-8 / BOM / GB18030 / UTF-16,
   delimiter), reads the header, maps source columns onto canonical ones (synonyms in English
   and Chinese, overridden by an explicit mapping) and raises `UnusableInputError` with one
   plain line when the file cannot be used at all. Nothing is written yet.
2. `_validated` turns every source column into its canonical type with vectorised Polars
   expressions (`parse_date_expr`, `parse_number_expr`, ...) and gives each bad row the first
   failing column and a reason code. Exact repeats of a whole valid source row are duplicates.
3. `_load` writes loaded rows, rejects and the import log in ONE DuckDB transaction: a failed or
   killed import leaves the store as it was.
Row accounting: rows_read = rows_loaded + rows_rejected + rows_duplicate.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import logging
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from crm_logic import store

log = logging.getLogger(__name__)


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


# --- header synonyms ---------------------------------------------------------------------------
# Canonical column -> source header spellings (compared after `normalise_header`). Columns that
# several tables share (customer_id, product, channel, ...) are listed once; the date column of
# each table also accepts the generic words "date" / 日期.
_COMMON_SYNONYMS: dict[str, tuple[str, ...]] = {
    "customer_id": ("customer_id", "customerid", "customer", "customer no", "customer number",
                    "customer code", "client id", "clientid", "member id", "memberid", "cust id",
                    "custid", "user id", "userid", "account id", "客户编号", "客户id", "客户号",
                    "客户代码", "客户编码", "会员编号", "会员id", "会员号", "用户id", "用户编号",
                    "顾客编号", "顾客id", "客户"),
    "name": ("name", "customer name", "client name", "full name", "contact", "contact name",
             "姓名", "客户名称", "客户姓名", "名称", "联系人", "会员姓名", "顾客姓名"),
    "email": ("email", "e-mail", "email address", "mail", "邮箱", "电子邮箱", "电子邮件",
              "邮件", "邮箱地址"),
    "phone": ("phone", "mobile", "telephone", "tel", "phone number", "mobile phone", "cell",
              "手机", "手机号", "手机号码", "电话", "联系电话", "电话号码", "移动电话"),
    "signup_date": ("signup_date", "signup", "sign up date", "registration date",
                    "register date", "registered", "join date", "joined", "created at",
                    "first contact", "注册日期", "注册时间", "入会日期", "开户日期",
                    "加入日期", "建档日期"),
    "channel": ("channel", "source", "acquisition channel", "sales channel", "渠道",
                "来源渠道", "获客渠道", "销售渠道", "来源", "投诉渠道", "联系渠道"),
    "region": ("region", "area", "province", "city", "country", "territory", "地区", "区域",
               "省份", "城市", "所在地区", "国家"),
    "industry": ("industry", "sector", "vertical", "行业", "所属行业"),
    "sales_rep": ("sales_rep", "sales rep", "salesperson", "sales person", "account manager",
                  "owner", "rep", "销售代表", "销售员", "业务员", "客户经理", "负责人",
                  "销售人员"),
    "churn_date": ("churn_date", "churned at", "churn", "lost date", "cancel date",
                   "cancellation date", "流失日期", "流失时间", "注销日期", "解约日期"),
    "churn_reason": ("churn_reason", "churn reason", "lost reason", "cancel reason",
                     "流失原因", "流失理由"),
    "churn_type": ("churn_type", "churn type", "流失类型", "流失方式"),
    "order_id": ("order_id", "orderid", "order no", "order number", "invoice", "invoiceno",
                 "invoice no", "invoice number", "transaction id", "订单编号", "订单号",
                 "订单id", "单号", "发票号", "交易编号", "订单"),
    "amount": ("amount", "total", "order amount", "order total", "revenue", "sales", "value",
               "paid", "payment", "金额", "订单金额", "实付金额", "实付", "支付金额", "销售额",
               "总金额", "成交金额", "消费金额", "交易金额", "应付金额", "合计"),
    "quantity": ("quantity", "qty", "units", "count", "数量", "购买数量", "件数", "销量"),
    "unit_price": ("unit_price", "unitprice", "price", "unit cost", "单价", "价格", "销售单价",
                   "商品单价"),
    "product": ("product", "item", "sku", "stockcode", "stock code", "product name",
                "product id", "goods", "商品", "产品", "商品名称", "产品名称", "商品编号",
                "产品编号", "货品", "品名", "投诉产品"),
    "category": ("category", "product category", "type", "class", "类别", "品类", "分类",
                 "商品类别", "产品类别", "投诉类别", "投诉类型", "类型"),
    "margin": ("margin", "profit", "gross margin", "gross profit", "毛利", "利润", "毛利润",
               "毛利额"),
    "complaint_id": ("complaint_id", "complaint", "complaint no", "complaint number",
                     "ticket", "ticket id", "case id", "case", "投诉编号", "投诉单号", "投诉id",
                     "工单号", "工单编号"),
    "description": ("description", "details", "content", "text", "comment", "issue",
                    "problem", "描述", "投诉内容", "问题描述", "内容", "详情", "投诉描述"),
    "desired_resolution": ("desired_resolution", "desired resolution", "expected resolution",
                           "request", "诉求", "客户诉求", "期望处理方式", "期望解决方式",
                           "处理要求"),
    "reasonable": ("reasonable", "is reasonable", "justified", "valid", "是否合理", "合理",
                   "合理性"),
    "status": ("status", "state", "处理状态", "状态", "投诉状态"),
    "resolved_date": ("resolved_date", "resolved", "resolved at", "resolution date",
                      "closed date", "closed at", "解决日期", "解决时间", "处理完成日期",
                      "结案日期", "关闭日期"),
    "satisfaction": ("satisfaction", "csat", "rating", "score", "满意度", "评分", "满意度评分"),
    "direction": ("direction", "inbound/outbound", "方向", "呼入呼出"),
    "outcome": ("outcome", "result", "结果", "跟进结果", "沟通结果"),
    # prospects (issue 15)
    "prospect_id": ("prospect_id", "prospect", "prospect no", "lead id", "leadid", "lead",
                    "潜在客户编号", "潜在客户id", "潜客编号", "潜客id", "线索编号", "线索id"),
    "source": ("source", "lead source", "referral source", "relation", "来源", "客户来源",
               "线索来源", "来源关系", "关系", "介绍人关系"),
    "has_money": ("has_money", "money", "purchasing power", "budget", "有购买力", "购买力",
                  "有预算", "预算"),
    "has_authority": ("has_authority", "authority", "decision authority", "decision maker",
                      "有决策权", "决策权", "决策人"),
    "has_need": ("has_need", "need", "needs", "有需求", "需求"),
    "converted_customer_id": ("converted_customer_id", "converted customer", "customer_id",
                              "customer id", "成交客户编号", "转化客户编号", "客户编号",
                              "成交客户id", "客户id"),
}
_DATE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "order_date": ("order_date", "orderdate", "invoicedate", "invoice date", "purchase date",
                   "transaction date", "order time", "date", "订单日期", "下单时间",
                   "下单日期", "交易日期", "购买日期", "成交日期", "日期", "订单时间"),
    "received_date": ("received_date", "received", "complaint date", "date received",
                      "created", "opened", "date", "投诉日期", "投诉时间", "受理日期",
                      "接收日期", "日期"),
    "interaction_date": ("interaction_date", "contact date", "activity date", "date",
                         "互动日期", "联系日期", "沟通日期", "跟进日期", "日期"),
    "created_date": ("created_date", "created", "created at", "registered", "registration date",
                     "date", "登记日期", "登记时间", "创建日期", "录入日期", "日期"),
}

# Code columns: accepted spellings -> code.
CHURN_REASON_WORDS: dict[str, str] = {
    "价格": "price", "产品": "product", "服务": "service", "技术": "technology",
    "促销": "promotion", "需求": "need", "管理": "management", "政治": "political",
    "其他": "other", "其它": "other",
}
CHURN_TYPE_WORDS: dict[str, str] = {"主动": "active", "积极": "active", "被动": "passive",
                                    "消极": "passive"}
TRUE_WORDS: tuple[str, ...] = ("是", "合理", "yes", "y", "true", "t", "1", "对", "有")
FALSE_WORDS: tuple[str, ...] = ("否", "不合理", "no", "n", "false", "f", "0", "不", "无",
                                "没有")

IGNORE = "-"  # mapping target meaning "do not import this column"
ID_COLUMNS: frozenset[str] = frozenset({"customer_id", "order_id", "complaint_id", "phone",
                                        "prospect_id", "converted_customer_id"})
SUPPORTED_ENCODINGS = ("auto", "utf-8", "utf-8-sig", "gbk", "gb18030", "gb2312", "utf-16",
                       "big5")
_SNIFF_BYTES = 1 << 20
_CHUNK_BYTES = 1 << 24
_INSERT_ROWS = 1_000_000  # rows handed to DuckDB per INSERT
_BATCH_ROWS = 1_000_000  # rows of source text parsed at a time (bounds the text in memory)
# DuckDB's dict_fsst string compression costs ~60% of an insert's CPU for ~40% less space on
# order lines; imports trade that space for speed (a database-wide DuckDB setting).
_STORAGE_SETTING = "SET disabled_compression_methods = 'dict_fsst'"
_SAMPLE_ROWS = 10_000  # rows read up front: preview, day-first detection
REJECT_REASONS: tuple[str, ...] = ("missing", "invalid_date", "invalid_number",
                                   "invalid_boolean", "invalid_code")


# Notes an import reports: code -> English text (the CLI's `warnings`); the UI translates
# the same codes (i18n keys data.note.<code>) with the same parameters.
NOTE_TEXT: dict[str, str] = {
    "unmapped": "column {column!r} not mapped: ignored",
    "duplicates": "rows repeating an earlier row exactly, loaded once: {n}",
    "reimport": "this file was already imported into {table} (import {import_id}): "
                "nothing loaded",
}


def note(code: str, **params: Any) -> dict[str, Any]:
    """One note: {"code": code, **params}."""
    return {"code": code, **params}


def note_text(n: dict[str, Any]) -> str:
    """A note in English."""
    return NOTE_TEXT[n["code"]].format(**{k: v for k, v in n.items() if k != "code"})


class UnusableInputError(Exception):
    """The file or arguments cannot be used at all: one plain-language line."""


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


# --- header mapping ----------------------------------------------------------------------------


def normalise_header(name: str) -> str:
    """Case, space, underscore, dash, dot and bracket-insensitive form of a column header."""
    return re.sub(r"[\s_\-./()（）:：#]+", "", str(name).strip().lower().lstrip("\ufeff"))


def _synonym_index(table: str) -> dict[str, str]:
    """Normalised spelling -> canonical column, for the columns of `table`."""
    index: dict[str, str] = {}
    for col in store.SCHEMA[table]:
        spellings = _DATE_SYNONYMS.get(col) or _COMMON_SYNONYMS.get(col, ())
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


# --- value parsers (Polars expression builders) ------------------------------------------------

_DATE_SEPARATORS = (["/", ".", "年", "月", "日", "T"], ["-", "-", "-", "-", "", " "])
_NUMBER_NOISE = ["¥", "￥", "$", "€", "£", ",", "，", " ", "元", "RMB", "CNY", "USD", "EUR", "GBP",
                 "(", ")", "（", "）", "%"]
_XDY = r"^\d{1,2}[-/.]\d{1,2}[-/.]\d{4}"  # D/M/YYYY or M/D/YYYY, for day-first detection


def _text(col: str) -> pl.Expr:
    """The column as stripped text, empty -> null."""
    s = pl.col(col).cast(pl.String).str.strip_chars()
    return pl.when(s.str.len_bytes() > 0).then(s)


def _clean(col: str | pl.Expr) -> pl.Expr:
    """A column name -> its stripped text; an expression is taken as already clean text."""
    return _text(col) if isinstance(col, str) else col


def _named(expr: pl.Expr, col: str | pl.Expr) -> pl.Expr:
    return expr.alias(col) if isinstance(col, str) else expr


DATE_FORMS: tuple[str, ...] = ("ymd", "compact", "xdy", "serial")
NUMBER_FORMS: tuple[str, ...] = ("plain", "decorated")  # 12.5 | ¥1,234.50, (3), 15%


def parse_date_expr(col: str | pl.Expr, dayfirst: bool | None = None,
                    forms: tuple[str, ...] = DATE_FORMS) -> pl.Expr:
    """Text -> pl.Date for the date forms real exports carry; null where it is not a date.

    Accepts 2024-01-05, 2024/1/5, 2024.1.5, 2024年1月5日, 20240105, with or without a time
    (the date part is kept), Excel serial days (45296) and D/M/YYYY or M/D/YYYY. For the
    latter, `dayfirst=None` decides per column from the values (a first number above 12 means
    day-first; ambiguous columns are month-first); a row that only reads one way reads that way.
    `forms` limits the work to the forms a column uses (see `date_forms`): rows in other
    forms then read as null. `col` may be an expression of already stripped text.
    """
    text = _clean(col)
    # one date shape: separators -> "-", the time (after a space or T) cut off
    shape = text.str.replace_many(*_DATE_SEPARATORS).str.split_exact(" ", 1).struct.field(
        "field_0")
    none = pl.lit(None, dtype=pl.Date)
    n = pl.field("n")
    parts = pl.struct(shape.alias("n"), text.alias("t")).struct.with_fields(
        ymd=n.str.strptime(pl.Date, "%Y-%m-%d", strict=False) if "ymd" in forms else none,
        compact=n.str.strptime(pl.Date, "%Y%m%d", strict=False) if "compact" in forms else none,
        mdy=n.str.strptime(pl.Date, "%m-%d-%Y", strict=False) if "xdy" in forms else none,
        dmy=n.str.strptime(pl.Date, "%d-%m-%Y", strict=False) if "xdy" in forms else none,
        serial=pl.field("t").cast(pl.Float64, strict=False) if "serial" in forms
        else pl.lit(None, dtype=pl.Float64),
    )
    mdy, dmy = pl.field("mdy"), pl.field("dmy")
    first: pl.Expr | bool
    if dayfirst is None:
        first = ((mdy.is_null() & dmy.is_not_null()).any()
                 & ~(dmy.is_null() & mdy.is_not_null()).any())
    else:
        first = dayfirst
    either = pl.when(first).then(pl.coalesce(dmy, mdy)).otherwise(pl.coalesce(mdy, dmy))
    serial = pl.field("serial")
    from_serial = pl.when(serial.is_between(1, 2_958_465)).then(
        pl.date(1899, 12, 30) + pl.duration(days=serial.floor().cast(pl.Int32, strict=False)))
    parts = parts.struct.with_fields(
        out=pl.coalesce(pl.field("ymd"), pl.field("compact"), either, from_serial))
    return _named(parts.struct.field("out"), col)


def number_forms(values: pl.Series) -> tuple[str, ...]:
    """("plain",) when every value of a sample is a plain number, else all NUMBER_FORMS."""
    frame = values.cast(pl.String).to_frame("v")
    text = _text("v")
    plain = frame.select((text.is_null() | text.cast(pl.Float64, strict=False).is_not_null())
                         .all()).item()
    return ("plain",) if plain else NUMBER_FORMS


def date_forms(values: pl.Series) -> tuple[str, ...]:
    """The date forms (of DATE_FORMS) that values of a sample use; all if none reads."""
    frame = values.cast(pl.String).to_frame("v")
    found = tuple(f for f in DATE_FORMS
                  if frame.select(parse_date_expr("v", False, (f,)).is_not_null().any()).item())
    return found or DATE_FORMS


def detect_dayfirst(values: pl.Series) -> bool:
    """Whether D/M/YYYY values in a sample read day-first (see parse_date_expr)."""
    frame = values.cast(pl.String).to_frame("v")
    shape = _text("v").str.extract(f"({_XDY})", 1).str.replace_many(*_DATE_SEPARATORS)
    mdy = shape.str.strptime(pl.Date, "%m-%d-%Y", strict=False)
    dmy = shape.str.strptime(pl.Date, "%d-%m-%Y", strict=False)
    row = frame.select((mdy.is_null() & dmy.is_not_null()).any().alias("d"),
                       (dmy.is_null() & mdy.is_not_null()).any().alias("m")).row(0)
    return bool(row[0]) and not bool(row[1])


def parse_number_expr(col: str | pl.Expr, forms: tuple[str, ...] = NUMBER_FORMS) -> pl.Expr:
    """Text -> Float64 for amounts as exports write them; null where it is not a number.

    ¥1,234.50, ￥12, $12, 1,000, 1 000, RMB 8, 8元, (12.50) = -12.50, 15% = 0.15.
    `forms=("plain",)` reads plain numbers only (faster; see `number_forms`).
    """
    text = _clean(col)
    if "decorated" not in forms:
        num = text.cast(pl.Float64, strict=False)
        return _named(pl.when(num.is_finite()).then(num), col)
    parts = pl.struct(text.alias("t")).struct.with_fields(
        num=pl.field("t").str.replace_many(_NUMBER_NOISE, [""] * len(_NUMBER_NOISE))
        .cast(pl.Float64, strict=False),
        neg=(pl.field("t").str.starts_with("(") & pl.field("t").str.ends_with(")"))
        | (pl.field("t").str.starts_with("（") & pl.field("t").str.ends_with("）")),
        pct=pl.field("t").str.ends_with("%"),
    )
    num = pl.when(pl.field("num").is_finite()).then(pl.field("num"))  # no inf / nan
    parts = parts.struct.with_fields(out=(
        pl.when(pl.field("neg")).then(-num).otherwise(num)
        / pl.when(pl.field("pct")).then(100.0).otherwise(1.0)))
    return _named(parts.struct.field("out"), col)


parse_amount_expr = parse_number_expr  # the same rules serve amounts, prices and quantities


def parse_bool_expr(col: str | pl.Expr) -> pl.Expr:
    """是/否, yes/no, Y/N, true/false, 1/0, 合理/不合理 -> Boolean; null otherwise."""
    s = _clean(col).str.to_lowercase()
    return _named(pl.when(s.is_in(TRUE_WORDS)).then(True)
                  .when(s.is_in(FALSE_WORDS)).then(False)
                  .otherwise(None).cast(pl.Boolean), col)


def clean_id_expr(col: str | pl.Expr) -> pl.Expr:
    """Identifiers as text: stripped, empty -> null, float-like 17850.0 -> 17850."""
    parts = pl.struct(_clean(col).alias("t")).struct.with_fields(
        short=pl.field("t").str.strip_suffix(".0"))
    whole = pl.field("short").cast(pl.Int64, strict=False).is_not_null()
    parts = parts.struct.with_fields(
        out=pl.when(pl.field("t").str.ends_with(".0") & whole).then(pl.field("short"))
        .otherwise(pl.field("t")))
    return _named(parts.struct.field("out"), col)


def parse_code_expr(col: str | pl.Expr, words: dict[str, str],
                    codes: tuple[str, ...]) -> pl.Expr:
    """Free text -> one of `codes` (English code, any case, or a Chinese word); null otherwise."""
    s = _clean(col)
    low = s.str.to_lowercase()
    return _named(pl.when(low.is_in(codes)).then(low)
                  .otherwise(s.replace_strict(words, default=None, return_dtype=pl.String)),
                  col)


def _canonical_expr(table: str, col: str, text: pl.Expr, dayfirst: bool,
                    forms: tuple[str, ...] | None = None) -> pl.Expr:
    """Clean source text `text` parsed into canonical column `col` of `table`."""
    typ = store.SCHEMA[table][col]
    if typ == "DATE":
        out = parse_date_expr(text, dayfirst, forms or DATE_FORMS)
    elif typ == "DOUBLE":
        out = parse_number_expr(text, forms or NUMBER_FORMS)
    elif typ == "BOOLEAN":
        out = parse_bool_expr(text)
    elif col == "churn_reason":
        out = parse_code_expr(text, CHURN_REASON_WORDS, store.CHURN_REASONS)
    elif col == "churn_type":
        out = parse_code_expr(text, CHURN_TYPE_WORDS, store.CHURN_TYPES)
    elif col in ID_COLUMNS:
        out = clean_id_expr(text)
    else:
        out = text
    return out.alias(col)


_INVALID = {"DATE": "invalid_date", "DOUBLE": "invalid_number", "BOOLEAN": "invalid_boolean",
            "VARCHAR": "invalid_code"}


Check = tuple[str, str]  # (canonical column, reason code)
Lookup = tuple[pl.Series, pl.Series]  # distinct source text -> Int32 day code
_UNREADABLE = -(2**31)  # day code of a value that is present but not a date


def date_lookup(values: pl.Series, dayfirst: bool) -> Lookup:
    """A date column's distinct source texts and their day codes (days since 1970-01-01).

    A column of 10M dates holds a few thousand distinct texts: they are parsed once, in every
    form, and the rows read them back by one hash lookup. Code _UNREADABLE marks text that
    is not a date; blank text gets no code (null, a missing value).
    """
    keys = values.unique().drop_nulls()
    frame = keys.to_frame("v").select(
        v=pl.col("v"),
        day=parse_date_expr("v", dayfirst).cast(pl.Int32),
        blank=_text("v").is_null())
    codes = frame.select(pl.when(pl.col("blank")).then(None)
                         .otherwise(pl.col("day").fill_null(_UNREADABLE))).to_series()
    return frame.get_column("v"), codes




def _validated(lf: pl.LazyFrame, table: str, mapping: dict[str, str], dayfirst: dict[str, bool],
               sources: list[str], typed: frozenset[str] = frozenset(),
               forms: dict[str, tuple[str, ...]] | None = None,
               lookups: dict[str, Lookup] | None = None,
               ) -> tuple[pl.LazyFrame, list[Check]]:
    """Canonical columns + __row, __bad, __hash; and the checks that __bad numbers.

    `lf` holds the source columns as text (renamed __s0.. in `sources` order) and __row;
    canonical columns in `typed` already have their canonical dtype and pass as they are;
    `forms` limits date and number columns to the forms their sample uses; date columns in
    `lookups` are read through their distinct values' parse (see `date_lookup`).
    __bad is 0 for a good row, else 1 + the index of the first failing check (column order;
    a value present but unreadable before a missing one). __hash: 64-bit hash of the whole
    source row, to find duplicate candidates cheaply; the source text itself is not kept.
    """
    src_of = {dst: f"__s{sources.index(src)}" for src, dst in mapping.items()}
    cols = list(store.SCHEMA[table])
    forms = forms or {}
    lookups = {c: v for c, v in (lookups or {}).items() if c in src_of and c not in typed}
    row = pl.struct([f"__s{i}" for i in range(len(sources))])
    # the source row's hash, each mapped text column stripped once (__t<i>), and looked-up
    # columns as day codes (__t<i>: days, _UNREADABLE, or null for no value)
    lf = lf.with_columns(
        row.hash(11).alias("__hash"),
        *[_text(s).alias(f"__t{s[3:]}") for c, s in src_of.items()
          if c not in typed and c not in lookups],
        *[pl.col(src_of[c]).replace_strict(keys, codes, default=None, return_dtype=pl.Int32)
          .alias(f"__t{src_of[c][3:]}") for c, (keys, codes) in lookups.items()])
    text = {c: pl.col(f"__t{s[3:]}") for c, s in src_of.items()}
    parsed = [pl.col(src_of[c]).alias(c) if c in typed
              else pl.when(text[c] != _UNREADABLE).then(text[c]).cast(pl.Date).alias(c)
              if c in lookups
              else _canonical_expr(table, c, text[c], dayfirst.get(c, False), forms.get(c))
              for c in cols if c in src_of]
    lf = lf.with_columns(parsed)
    present = set(src_of)
    derived = table == "orders" and {"quantity", "unit_price"} <= present
    if derived:
        qty_price = pl.col("quantity") * pl.col("unit_price")
        amount = pl.coalesce(pl.col("amount"), qty_price) if "amount" in present else qty_price
        lf = lf.with_columns(amount.alias("amount"))
        present.add("amount")
    checks: list[tuple[str, str, pl.Expr]] = []
    for c in cols:
        typ = store.SCHEMA[table][c]
        if c in src_of and c not in typed and (typ != "VARCHAR"
                                               or c in ("churn_reason", "churn_type")):
            checks.append((c, _INVALID[typ], pl.col(c).is_null() & text[c].is_not_null()))
        if c in store.REQUIRED[table] and not (derived and c == "amount"):
            checks.append((c, "missing", pl.col(c).is_null()))
    if derived:  # amount from quantity x price: its own reading failures come first
        checks.append(("amount", "missing", pl.col("amount").is_null()))
    bad = pl.coalesce([pl.when(e).then(pl.lit(k + 1, dtype=pl.UInt8))
                       for k, (_, _, e) in enumerate(checks)]).fill_null(0)
    out_cols = [pl.col(c) if c in present
                else pl.lit(None, dtype=store.polars_schema(table)[c]).alias(c) for c in cols]
    frame = lf.select("__row", *out_cols, bad.alias("__bad"), "__hash")
    return frame, [(c, r) for c, r, _ in checks]


def _recheck(checked: pl.DataFrame, lf: pl.LazyFrame, table: str, mapping: dict[str, str],
             dayfirst: dict[str, bool], sources: list[str],
             lookups: dict[str, Lookup] | None = None) -> pl.DataFrame:
    """Rows rejected while read in their sample's forms only, read again in every form.

    The sample decides which date / number forms a column is parsed in (fast); a row in
    another form fails that and gets this second, full reading (a filtered rescan).
    """
    bad = checked.select("__row", "__bad").filter(pl.col("__bad") > 0).get_column("__row")
    if bad.len() == 0:
        return checked
    frame, _ = _validated(lf.filter(pl.col("__row").is_in(bad.implode())), table, mapping,
                          dayfirst, sources, lookups=lookups)
    again = frame.collect()
    return pl.concat([checked.filter(pl.col("__bad") == 0), again])


def _raw_rows(lf: pl.LazyFrame, rows: pl.Series, sources: list[str]) -> pl.DataFrame:
    """__row and the source row as JSON text, for the given rows of the scan `lf`."""
    raw = pl.struct([pl.col(f"__s{i}").alias(s) for i, s in enumerate(sources)])
    return (lf.filter(pl.col("__row").is_in(rows.implode()))
            .select("__row", raw.struct.json_encode().alias("raw"))
            .collect())


# --- reading files -----------------------------------------------------------------------------


@dataclass
class SourceFile:
    """A sniffed input file: what it is and how to read it as text columns."""

    path: Path
    kind: str  # "csv" | "xlsx" | "parquet"
    encoding: str = "utf-8"
    separator: str = ","
    columns: list[str] = field(default_factory=list)
    sample: pl.DataFrame = field(default_factory=pl.DataFrame)  # first rows, all text
    sheet: pl.DataFrame | None = None  # XLSX: the whole first sheet (read once)


def _decodes(sample: bytes, encoding: str) -> bool:
    """Whether `sample` (possibly cut mid-character at the end) is valid in `encoding`."""
    try:
        codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (BOM-aware), UTF-16 with BOM, else GB18030 (superset of GBK/GB2312)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in sample:
        raise UnusableInputError("the file is binary, not a text table (CSV/TSV)")
    for enc in ("utf-8", "gb18030"):
        if _decodes(sample, enc):
            return enc
    raise UnusableInputError("the file's text encoding is not UTF-8 or GBK/GB18030")


def _sniff_separator(header: str, suffix: str) -> str:
    if suffix in (".tsv", ".tab"):
        return "\t"
    counts = {sep: header.count(sep) for sep in (",", "\t", ";", "|")}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] else ","


_VALUE_RE = re.compile(r"[-+]?[¥$￥]?[\d,]+(\.\d+)?|\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}.*"
                       r"|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}.*")


def _check_header(columns: list[str]) -> None:
    """No header row: empty names, or a first row that reads as values (dates, numbers)."""
    names = [str(c).strip() for c in columns]
    if not names or all(not n for n in names):
        raise UnusableInputError("the file has no header row (column names)")
    if any(_VALUE_RE.fullmatch(n) for n in names):
        raise UnusableInputError(
            "the first row holds values, not column names: the file needs a header row")


def _sample_frame(text: str, sep: str, complete: bool) -> pl.DataFrame:
    """The sampled text parsed as CSV (the last, possibly cut, line dropped if incomplete)."""
    if not complete:
        text = text[: text.rfind("\n") + 1] or text
    for _ in range(4):
        try:
            return pl.read_csv(io.BytesIO(text.encode("utf-8")), separator=sep,
                               infer_schema=False, truncate_ragged_lines=True,
                               raise_if_empty=False)
        except pl.exceptions.PolarsError:  # a quoted field cut by the sample: fewer lines
            lines = text.splitlines(keepends=True)
            text = "".join(lines[: max(1, len(lines) // 2)])
    raise UnusableInputError("the file cannot be read as CSV")


def sniff(path: Path, encoding: str = "auto") -> SourceFile:
    """Find out what `path` is; UnusableInputError when it is empty, binary or unreadable.

    The returned SourceFile carries the column names and the first rows (`sample`).
    """
    path = Path(path)
    if not path.is_file():
        raise UnusableInputError(f"no such file: {path}")
    if encoding.lower() not in SUPPORTED_ENCODINGS:
        try:
            codecs.lookup(encoding)
        except LookupError as exc:
            raise UnusableInputError(f"unknown encoding {encoding!r}") from exc
    with path.open("rb") as fh:
        raw = fh.read(_SNIFF_BYTES)
        complete = len(raw) < _SNIFF_BYTES
    if not raw.strip():
        raise UnusableInputError("the file is empty")
    suffix = path.suffix.lower()
    if raw.startswith(b"PK\x03\x04") or suffix in (".xlsx", ".xlsm", ".xls"):
        sheet = _read_xlsx(path)
        src = SourceFile(path, "xlsx", columns=list(sheet.columns),
                         sample=sheet.head(_SAMPLE_ROWS), sheet=sheet)
    elif raw.startswith(b"PAR1") or suffix == ".parquet":
        try:
            sample = pl.scan_parquet(path).head(_SAMPLE_ROWS).collect()
        except Exception as exc:  # noqa: BLE001 - any reader error means the same to the user
            raise UnusableInputError("the file is not a readable Parquet file") from exc
        sample = sample.select(pl.all().cast(pl.String))
        src = SourceFile(path, "parquet", columns=list(sample.columns), sample=sample)
    else:
        enc = detect_encoding(raw) if encoding.lower() == "auto" else encoding.lower()
        if enc in ("gbk", "gb2312"):
            enc = "gb18030"  # superset: never loses a character
        try:
            text = codecs.getincrementaldecoder(enc)().decode(raw, final=complete)
        except UnicodeDecodeError as exc:
            raise UnusableInputError(f"the file is not {enc} text") from exc
        text = text.lstrip("\ufeff")
        if "\x00" in text:
            raise UnusableInputError("the file is binary, not a text table (CSV/TSV)")
        sep = _sniff_separator(text.split("\n", 1)[0], suffix)
        sample = _sample_frame(text, sep, complete)
        src = SourceFile(path, "csv", encoding=enc, separator=sep, columns=list(sample.columns),
                         sample=sample.head(_SAMPLE_ROWS))
    _check_header(src.columns)
    if src.sample.height == 0:
        raise UnusableInputError("the file has column names but no rows")
    return src


def _read_xlsx(path: Path) -> pl.DataFrame:
    """The first sheet, every cell as text (calamine: Rust reader, no Python objects per row)."""
    try:
        return pl.read_excel(path, engine="calamine", infer_schema_length=0)
    except Exception as exc:  # noqa: BLE001 - calamine raises its own error types
        raise UnusableInputError("the file is not a readable Excel (XLSX) workbook") from exc


@contextmanager
def _utf8_path(src: SourceFile) -> Iterator[Path]:
    """A UTF-8 copy of a CSV in another encoding (streamed in chunks), else the file itself."""
    if src.kind != "csv" or src.encoding in ("utf-8", "utf-8-sig"):
        yield src.path
        return
    tmpdir = Path(tempfile.mkdtemp(prefix="crm_import_"))
    try:
        out = tmpdir / "utf8.csv"
        decoder = codecs.getincrementaldecoder(src.encoding)()
        try:
            with src.path.open("rb") as fin, out.open("wb") as fout:
                while chunk := fin.read(_CHUNK_BYTES):
                    fout.write(decoder.decode(chunk).encode("utf-8"))
                fout.write(decoder.decode(b"", final=True).encode("utf-8"))
        except UnicodeDecodeError as exc:
            raise UnusableInputError(
                f"the file is not valid {src.encoding} text (byte {exc.start})") from exc
        yield out
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def _scan(src: SourceFile, path: Path) -> pl.LazyFrame:
    """All source columns as text, in file order."""
    if src.kind == "parquet":
        return pl.scan_parquet(path).select(pl.all().cast(pl.String))
    if src.kind == "xlsx":
        return (src.sheet if src.sheet is not None else _read_xlsx(path)).lazy()
    return pl.scan_csv(path, separator=src.separator, infer_schema=False, encoding="utf8",
                       truncate_ragged_lines=True, raise_if_empty=False)


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]


def read_preview(path: Path, n: int = 20, encoding: str = "auto") -> pl.DataFrame:
    """The first `n` rows of a file, every column as text (for the Data page)."""
    return sniff(Path(path), encoding).sample.head(n)


def file_sha256(path: Path) -> str:
    """sha256 of the file's bytes (re-importing the same file is detected by it)."""
    h = hashlib.sha256()
    with _step("sha256", own_thread=True), Path(path).open("rb") as fh:
        while chunk := fh.read(_CHUNK_BYTES):
            h.update(chunk)
    return h.hexdigest()


# --- importing ---------------------------------------------------------------------------------


@dataclass
class ImportPlan:
    """A file checked and mapped, ready to load (nothing written yet)."""

    table: str
    source: SourceFile
    mapping: dict[str, str]  # source column -> canonical column


def inspect_file(table: str, path: Path, mapping: dict[str, str] | None = None,
                 encoding: str = "auto") -> ImportPlan:
    """Sniff, check and map a file without touching the store; UnusableInputError if unusable."""
    if table not in store.SCHEMA:
        raise UnusableInputError(f"unknown table {table!r}")
    src = sniff(Path(path), encoding)
    final, _ = resolve_mapping(table, src.columns, mapping)
    missing = missing_required(table, set(final.values()))
    if missing:
        hint = " (or quantity and unit_price)" if "amount" in missing else ""
        raise UnusableInputError(
            f"required column missing for {table}: {', '.join(missing)}{hint}; "
            f"columns in the file: {', '.join(src.columns)}")
    return ImportPlan(table, src, final)


def import_file(con: duckdb.DuckDBPyConnection, table: str, path: Path,
                mapping: dict[str, str] | None = None, encoding: str = "auto",
                mode: str = "append", profile: str | None = None,
                file_name: str | None = None,
                progress: Callable[[float], None] | None = None) -> ImportResult:
    """Validate and load one file into `table` (mode "append" or "replace").

    `mapping` overrides the automatic header mapping (and a saved `profile`'s). Bad rows are
    rejected with column and reason; exact repeats are counted as duplicates; a file already
    imported into `table` (same sha256, not replaced since) loads nothing the second time.
    """
    report = progress or (lambda _f: None)
    _check_mode(mode)
    merged: dict[str, str] = {}
    if profile:
        try:
            ptable, merged = store.load_profile(con, profile)
        except KeyError as exc:
            raise UnusableInputError(f"no mapping profile named {profile!r}") from exc
        if ptable != table:
            raise UnusableInputError(f"profile {profile!r} is for table {ptable}, not {table}")
    merged.update(mapping or {})
    with _step("sniff"):
        plan = inspect_file(table, Path(path), merged, encoding)
    report(0.05)
    name = file_name or Path(path).name
    with ThreadPoolExecutor(max_workers=1) as pool:  # hashing the file overlaps the parsing
        sha_job = pool.submit(file_sha256, Path(path))
        with _utf8_path(plan.source) as p:
            try:
                checked, checks, raw, dup_rows = _check_file(plan, p, report)
            except pl.exceptions.PolarsError as exc:
                raise UnusableInputError(f"the file cannot be read: {_first_line(exc)}") \
                    from exc
        report(0.6)
        with _step("sha-wait"):
            sha = sha_job.result()
    if mode == "append" and (earlier := store.find_import(con, table, sha)):
        return _log_repeat(con, plan, name, sha, earlier)
    report(0.7)
    with _step("store"):
        result = _load(con, table, checked, checks, raw, dup_rows, name, sha, mode,
                       plan.mapping, plan.source.columns)
    report(1.0)
    return result


def _check_file(plan: ImportPlan, path: Path, report: Callable[[float], None],
                ) -> tuple[pl.DataFrame, list[Check], pl.DataFrame | None, pl.Series]:
    """Validated rows, their checks, rejected rows' raw JSON and duplicate row numbers.

    The file is read once, in batches of _BATCH_ROWS rows of text (streaming reader): each
    batch is parsed, rechecked and its rejected rows' text kept, then its text is dropped,
    so only the typed rows accumulate. Date columns are parsed per distinct value
    (`date_lookup`); number columns in their sample's forms first, and rows that fail that
    are read again in every form. Rows sharing a row hash are compared exactly afterwards
    (a filtered second reading of the file, only when there are such rows).
    """
    table, sources, sample = plan.table, plan.source.columns, plan.source.sample
    kinds = {dst: (src, store.SCHEMA[table][dst]) for src, dst in plan.mapping.items()}
    names = {src: f"__s{i}" for i, src in enumerate(sources)}
    dayfirst = {dst: detect_dayfirst(sample.get_column(src))
                for dst, (src, typ) in kinds.items() if typ == "DATE"}
    forms = {dst: number_forms(sample.get_column(src))
             for dst, (src, typ) in kinds.items() if typ == "DOUBLE"}
    lf = _scan(plan.source, path)
    lf = lf.rename(dict(zip(lf.collect_schema().names(), names.values(), strict=True)))
    lf = lf.with_row_index("__row", offset=1)
    parts: list[pl.DataFrame] = []
    keys: list[pl.DataFrame] = []  # __row, __hash, __bad of every row, for the repeats check
    raws: list[pl.DataFrame] = []
    checks: list[Check] = []
    with _step("parse"):
        for text in lf.collect_batches(chunk_size=_BATCH_ROWS, engine="streaming"):
            lookups = {dst: date_lookup(text.get_column(names[src]), dayfirst[dst])
                       for dst, (src, typ) in kinds.items() if typ == "DATE"}
            batch = text.lazy()
            frame, checks = _validated(batch, table, plan.mapping, dayfirst, sources,
                                       forms=forms, lookups=lookups)
            checked = frame.collect()
            if any(f != NUMBER_FORMS for f in forms.values()):
                checked = _recheck(checked, batch, table, plan.mapping, dayfirst, sources,
                                   lookups)
            bad_rows = checked.select("__row", "__bad").filter(pl.col("__bad") > 0)["__row"]
            if bad_rows.len():
                raws.append(_raw_rows(batch, bad_rows, sources))
            keys.append(checked.select("__row", "__hash", "__bad"))
            parts.append(checked.drop("__hash"))
            del text, batch, checked
    report(0.5)
    if not parts:  # header only: one empty batch for the schema
        frame, checks = _validated(lf.head(0), table, plan.mapping, dayfirst, sources)
        keys.append(frame.collect())
        parts.append(keys[0].drop("__hash"))
    checked = pl.concat(parts, rechunk=False) if len(parts) > 1 else parts[0]
    raw = pl.concat(raws) if raws else None
    with _step("repeats"):
        dup_rows = _duplicate_rows(pl.concat(keys), lf, sources)
    return checked, checks, raw, dup_rows


def import_frame(con: duckdb.DuckDBPyConnection, table: str, df: pl.DataFrame, file_name: str,
                 mode: str = "append") -> ImportResult:
    """Validate and load an in-memory frame already in canonical column names.

    Columns with the canonical dtype pass through; text columns are parsed like a file's.
    """
    if table not in store.SCHEMA:
        raise UnusableInputError(f"unknown table {table!r}")
    _check_mode(mode)
    unknown = [c for c in df.columns if c not in store.SCHEMA[table]]
    if unknown:
        raise UnusableInputError(f"not columns of {table}: {', '.join(unknown)}")
    missing = missing_required(table, set(df.columns))
    if missing:
        raise UnusableInputError(f"required column missing for {table}: {', '.join(missing)}")
    canon = store.polars_schema(table)
    sources = list(df.columns)
    typed = frozenset(c for c in sources if df.schema[c] == canon[c] and canon[c] != pl.String())
    src = df.select(pl.col(c) if c in typed else pl.col(c).cast(pl.String)
                    for c in sources).rename({c: f"__s{i}" for i, c in enumerate(sources)})
    mapping = {c: c for c in sources}
    dayfirst = {c: detect_dayfirst(df.get_column(c).head(_SAMPLE_ROWS)) for c in sources
                if canon[c] == pl.Date() and c not in typed}
    lf = src.lazy().with_row_index("__row", offset=1)
    frame, checks = _validated(lf, table, mapping, dayfirst, sources, typed)
    checked = frame.collect()
    sha = hashlib.sha256(df.hash_rows(seed=3).to_numpy().tobytes()).hexdigest()
    if mode == "append":
        earlier = store.find_import(con, table, sha)
        if earlier is not None:
            plan = ImportPlan(table, SourceFile(Path(file_name), "frame"), mapping)
            return _log_repeat(con, plan, file_name, sha, earlier)
    bad_rows = checked.filter(pl.col("__bad") > 0).get_column("__row")
    raw = _raw_rows(lf, bad_rows, sources) if bad_rows.len() else None
    dup_rows = _duplicate_rows(checked, lf, sources)
    return _load(con, table, checked, checks, raw, dup_rows, file_name, sha, mode, mapping,
                 sources)


def _check_mode(mode: str) -> None:
    if mode not in ("append", "replace"):
        raise UnusableInputError(f"mode must be append or replace, got {mode!r}")


def _log_repeat(con: duckdb.DuckDBPyConnection, plan: ImportPlan, name: str, sha: str,
                earlier: dict[str, Any]) -> ImportResult:
    """A file already imported: every row counts as duplicate, nothing is loaded."""
    n = int(earlier["rows_read"])
    result = ImportResult(plan.table, n, 0, 0, n)
    _unmapped_notes(result, plan.source.columns, plan.mapping)
    result.add_note("reimport", table=plan.table, import_id=earlier["import_id"])
    cur = con.cursor()
    _run(cur, "BEGIN TRANSACTION")
    try:
        result.import_id = _next_import_id(cur)
        _insert_log(cur, result, name, sha, "append", plan.mapping)
        _run(cur, "COMMIT")
    except BaseException:
        _run(cur, "ROLLBACK")
        raise
    return result


def _run(cur: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> None:
    """Execute a statement and finish its result (DuckDB 2.0 wants results completed)."""
    cur.execute(sql, params).fetchall()


def _unmapped_notes(result: ImportResult, columns: list[str], mapping: dict[str, str]) -> None:
    for c in columns:
        if c not in mapping:
            result.add_note("unmapped", column=c)


def _next_import_id(cur: duckdb.DuckDBPyConnection) -> int:
    rows = cur.execute("SELECT coalesce(max(import_id), 0) + 1 FROM import_log").fetchall()
    return int(rows[0][0])


def _insert_log(cur: duckdb.DuckDBPyConnection, r: ImportResult, name: str, sha: str,
                mode: str, mapping: dict[str, str]) -> None:
    _run(
        cur, "INSERT INTO import_log VALUES (?, ?, ?, ?, ?, now()::TIMESTAMP, ?, ?, ?, ?, ?, ?)",
        [r.import_id, name, sha, r.table, mode, r.rows_read, r.rows_loaded, r.rows_rejected,
         r.rows_duplicate, json.dumps(mapping, ensure_ascii=False),
         json.dumps(r.warnings, ensure_ascii=False)])


def _duplicate_rows(checked: pl.DataFrame, lf: pl.LazyFrame, sources: list[str]) -> pl.Series:
    """Row numbers of good rows that exactly repeat an earlier good source row.

    `checked` needs __row, __hash and __bad (other columns are not read).

    Only rows sharing their 64-bit hash with another good row can repeat one; their source
    text is read again (a second, filtered scan) and compared exactly.
    """
    good = checked.select("__row", "__hash", "__bad").filter(pl.col("__bad") == 0)
    # hashes that occur twice: neighbours in the sorted hashes (a sort needs far less memory
    # than a hash table of 10M keys)
    hashes = good.get_column("__hash").sort()
    repeated = hashes.slice(1).filter(hashes.slice(1) == hashes.slice(0, hashes.len() - 1))
    if repeated.len() == 0:  # the common case: no two rows alike
        return pl.Series("__row", [], dtype=good.schema["__row"])
    candidates = good.filter(pl.col("__hash").is_in(repeated.implode())).get_column("__row")
    raw = _raw_rows(lf, candidates, sources).sort("__row")
    return raw.filter(~pl.col("raw").is_first_distinct()).get_column("__row")


def _load(con: duckdb.DuckDBPyConnection, table: str, checked: pl.DataFrame,
          checks: list[Check], raw: pl.DataFrame | None, dup_rows: pl.Series, name: str,
          sha: str, mode: str, mapping: dict[str, str], columns: list[str]) -> ImportResult:
    """Write loaded rows, rejects and the log entry in one transaction; rejects CSV after.

    `raw`: __row + source row as JSON for the rejected rows; `dup_rows`: rows not loaded
    because they repeat an earlier row; `columns`: the source columns (unmapped ones noted).
    """
    cols = list(store.SCHEMA[table])
    n_bad = int((checked.get_column("__bad") > 0).sum())
    n_dup = dup_rows.len()
    keep = pl.col("__bad") == 0
    if n_dup:
        keep = keep & ~pl.col("__row").is_in(dup_rows.implode())
    unique = (checked.filter(keep) if n_bad or n_dup else checked).select(cols)
    result = ImportResult(table, checked.height, unique.height, n_bad, n_dup)
    _unmapped_notes(result, columns, mapping)
    if n_dup:
        result.add_note("duplicates", n=n_dup)
    rejects = pl.DataFrame(schema={"row_number": pl.Int64, "column_name": pl.String,
                                   "reason": pl.String, "raw": pl.String})
    if n_bad and raw is not None:
        code = pl.col("__bad").cast(pl.Int32) - 1
        rejects = (checked.filter(pl.col("__bad") > 0).select("__row", "__bad")
                   .join(raw, on="__row", how="left")
                   .select(pl.col("__row").cast(pl.Int64).alias("row_number"),
                           code.replace_strict(range(len(checks)), [c for c, _ in checks],
                                               return_dtype=pl.String).alias("column_name"),
                           code.replace_strict(range(len(checks)), [r for _, r in checks],
                                               return_dtype=pl.String).alias("reason"),
                           "raw")
                   .sort("row_number"))
    result.errors = [{"row": r, "column": c, "reason": why} for r, c, why in
                     rejects.head(20).select("row_number", "column_name", "reason").iter_rows()]
    cur = con.cursor()
    _run(cur, _STORAGE_SETTING)
    _run(cur, "BEGIN TRANSACTION")
    try:
        result.import_id = _next_import_id(cur)
        if mode == "replace":
            _run(cur, f"DELETE FROM {table}")
        for start in range(0, unique.height, _INSERT_ROWS):  # slices: lower peak memory
            cur.register("__crm_stage", unique.slice(start, _INSERT_ROWS).to_arrow(
                compat_level=pl.CompatLevel.newest()))  # string views: no copy
            _run(cur, f"INSERT INTO {table} ({', '.join(cols)}) "
                      f"SELECT {', '.join(cols)} FROM __crm_stage")
            cur.unregister("__crm_stage")
        if rejects.height:
            cur.register("__crm_rejects", rejects.to_arrow())
            _run(cur, "INSERT INTO rejects SELECT ?, row_number, column_name, reason, raw "
                      "FROM __crm_rejects", [result.import_id])
            cur.unregister("__crm_rejects")
        _insert_log(cur, result, name, sha, mode, mapping)
        _run(cur, "COMMIT")
    except BaseException:
        _run(cur, "ROLLBACK")
        raise
    if rejects.height:
        result.rejects_file = _write_rejects(con, result.import_id, name, rejects)
    return result


def rejects_table(rejects: pl.DataFrame) -> pl.DataFrame:
    """Rejects (row_number, column_name, reason, raw JSON) with the source columns spread out."""
    if rejects.height == 0:
        return rejects.drop("raw", strict=False)
    first = json.loads(rejects.get_column("raw")[0])
    dtype = pl.Struct({k: pl.String for k in first})
    spread = rejects.get_column("raw").str.json_decode(dtype).struct.unnest()
    return pl.concat([rejects.drop("raw"), spread], how="horizontal")


def _write_rejects(con: duckdb.DuckDBPyConnection, import_id: int | None, name: str,
                   rejects: pl.DataFrame) -> str | None:
    """The rejects as a safe CSV under data/rejects/ next to the store (None: in-memory store)."""
    from crm_logic.export import to_safe_csv

    db_file = store.connection_path(con)
    if db_file is None:
        return None
    folder = db_file.parent / "rejects"
    folder.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "_", Path(name).stem)[:60] or "file"
    out = folder / f"import_{import_id}_{stem}_rejects.csv"
    out.write_bytes(to_safe_csv(rejects_table(rejects), mask=False))
    return str(out)
