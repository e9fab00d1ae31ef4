"""Reading files: type, encoding, separator and header sniffing; text columns to scan."""

from __future__ import annotations

import codecs
import hashlib
import io
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from crm_logic.ingest.result import UnusableInputError, _step

SUPPORTED_ENCODINGS = ("auto", "utf-8", "utf-8-sig", "gbk", "gb18030", "gb2312", "utf-16",
                       "big5")
_SNIFF_BYTES = 1 << 20
_CHUNK_BYTES = 1 << 24
_SAMPLE_ROWS = 10_000  # rows read up front: preview, day-first detection


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

