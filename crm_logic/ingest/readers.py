"""Reading files: type, encoding, separator and header sniffing; text columns to scan."""

from __future__ import annotations

import codecs
import hashlib
import io
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from crm_logic.ingest.csvbytes import (
    decode_mixed,
    has_utf8_lines,
    is_clean_utf8,
    ragged_rows,
    utf8_copy,
)
from crm_logic.ingest.result import UnusableInputError, _step

__all__ = ["ragged_rows"]  # re-exported for the orchestration

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
    auto: bool = True  # encoding detected (not given): mixed lines are decoded one by one
    repaired: bool = False  # read through a line-by-line UTF-8 copy (rows may hold U+FFFD)
    mixed: bool = True  # GB18030: the sample showed UTF-8 lines too (decode line by line)


def _decodes(sample: bytes, encoding: str) -> bool:
    """Whether `sample` (possibly cut mid-character at the end) is valid in `encoding`."""
    try:
        codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _binary(nuls: int, size: int) -> bool:
    """More NUL bytes than a stray one or two per MB: a binary file (a few are bad rows)."""
    return nuls > max(2, size // 1000)


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (BOM-aware), UTF-16 with BOM, else GB18030 (superset of GBK/GB2312)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if _binary(sample.count(b"\x00"), len(sample)):
        raise UnusableInputError("the file is binary, not a text table (CSV/TSV)")
    for enc in ("utf-8", "gb18030"):
        if _decodes(sample, enc):
            return enc
    lines = sample.splitlines()[:-1] or sample.splitlines()  # the last may be cut
    readable = sum(_decodes(x, "utf-8") or _decodes(x, "gb18030") for x in lines)
    if readable >= 0.9 * len(lines):  # a few bad lines: decoded line by line, bad ones rejected
        return "utf-8"
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


def sniff(path: Path, encoding: str = "auto", max_bytes: int = 4096 << 20,
          max_cell: int = 32_767) -> SourceFile:
    """Find out what `path` is; UnusableInputError when it is empty, binary or unreadable.

    The returned SourceFile carries the column names and the first rows (`sample`). A file
    over `max_bytes` (an XLSX: unpacked) is refused before it is read; an XLSX's shared
    strings longer than `max_cell` are cut before the sheet is read (see `_read_xlsx`).
    """
    path = Path(path)
    if not path.is_file():
        raise UnusableInputError(f"no such file: {path}")
    if encoding.lower() not in SUPPORTED_ENCODINGS:
        try:
            codecs.lookup(encoding)
        except LookupError as exc:
            raise UnusableInputError(f"unknown encoding {encoding!r}") from exc
    size = path.stat().st_size
    with path.open("rb") as fh:
        raw = fh.read(_SNIFF_BYTES)
    if not raw.strip():
        raise UnusableInputError("the file is empty")
    suffix = path.suffix.lower()
    if raw.startswith(b"PK\x03\x04") or suffix in (".xlsx", ".xlsm", ".xls"):
        sheet = _read_xlsx(path, max_bytes, max_cell)
        src = SourceFile(path, "xlsx", columns=list(sheet.columns),
                         sample=sheet.head(_SAMPLE_ROWS), sheet=sheet)
    elif raw.startswith(b"PAR1") or suffix == ".parquet":
        _check_size(size, max_bytes)
        try:
            sample = pl.scan_parquet(path).head(_SAMPLE_ROWS).collect()
        except Exception as exc:  # noqa: BLE001 - any reader error means the same to the user
            raise UnusableInputError("the file is not a readable Parquet file") from exc
        sample = sample.select(pl.all().cast(pl.String))
        src = SourceFile(path, "parquet", columns=list(sample.columns), sample=sample)
    else:
        _check_size(size, max_bytes)
        src = _sniff_csv(path, raw, encoding, suffix, size)
    _check_header(src.columns)
    if src.sample.height == 0:
        raise UnusableInputError("the file has column names but no rows")
    return src


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise UnusableInputError(
            f"the file holds {size / 2**20:,.0f} MB, over the limit of {max_bytes >> 20:,} MB "
            "(config max_file_mb)")


def _sniff_csv(path: Path, raw: bytes, encoding: str, suffix: str, size: int) -> SourceFile:
    """Encoding, separator, header and first rows of a text table.

    The first rows are read from the first MB; a first data row longer than that (a 10 MB
    cell) is read whole by reading on (up to the file's end), so it is not taken for a
    header-only file.
    """
    auto = encoding.lower() == "auto"
    enc = detect_encoding(raw) if auto else encoding.lower()
    if enc in ("gbk", "gb2312"):
        enc = "gb18030"  # superset: never loses a character
    step = len(raw)
    while True:
        complete = len(raw) >= size
        if auto and enc in ("utf-8", "gb18030"):
            text = decode_mixed(raw if complete else raw[: raw.rfind(b"\n") + 1])
        else:
            try:
                text = codecs.getincrementaldecoder(enc)().decode(raw, final=complete)
            except UnicodeDecodeError as exc:
                raise UnusableInputError(f"the file is not {enc} text") from exc
        text = text.lstrip("\ufeff")
        if _binary(text.count("\x00"), len(text)):
            raise UnusableInputError("the file is binary, not a text table (CSV/TSV)")
        sep = _sniff_separator(text.split("\n", 1)[0], suffix)
        sample = _sample_frame(text, sep, complete)
        if sample.height or complete:
            break
        step *= 8  # no complete data row yet: read on
        with path.open("rb") as fh:
            raw = fh.read(len(raw) + step)
    return SourceFile(path, "csv", encoding=enc, separator=sep, columns=list(sample.columns),
                      sample=sample.head(_SAMPLE_ROWS), auto=auto,
                      mixed=enc != "gb18030" or has_utf8_lines(raw, complete))


def _read_xlsx(path: Path, max_bytes: int = 4096 << 20, max_cell: int = 32_767,
               ) -> pl.DataFrame:
    """The first sheet, every cell as text (calamine: Rust reader, no Python objects per row).

    Before calamine materialises anything: a workbook that unpacks to more than `max_bytes`
    is refused, and shared strings longer than `max_cell` are cut to max_cell + 1 characters
    in a copy (a 10 MB string used by 100 cells would otherwise take 1 GB); such cells are
    then rejected as `field_too_long`. A reader failure, a Rust panic included, is one line.
    """
    tmpdir = Path(tempfile.mkdtemp(prefix="crm_xlsx_"))
    try:
        source = _capped_xlsx(path, max_bytes, max_cell, tmpdir / "capped.xlsx")
        try:
            return pl.read_excel(source, engine="calamine", infer_schema_length=0)
        except (KeyboardInterrupt, SystemExit, MemoryError):
            raise
        except BaseException as exc:  # noqa: BLE001 - calamine's errors and panics
            raise UnusableInputError(
                "the file is not a readable Excel (XLSX) workbook") from exc
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


_SHARED = re.compile(rb"(<t(?:\s[^>]*)?>)([^<]*)(</t>)")


def _capped_xlsx(path: Path, max_bytes: int, max_cell: int, out: Path) -> Path:
    """`path`, or a copy of it whose over-long shared strings are cut (see `_read_xlsx`)."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            unpacked = sum(i.file_size for i in infos)
            if unpacked > max_bytes:
                raise UnusableInputError(
                    f"the workbook unpacks to {unpacked / 2**20:,.0f} MB, over the limit of "
                    f"{max_bytes >> 20:,} MB (config max_file_mb)")
            for i in infos:
                if i.filename.lower().startswith("xl/worksheets/") and i.filename.endswith(
                        ".xml"):
                    _check_span(z.read(i))
            shared = [i for i in infos if i.filename.lower().endswith("sharedstrings.xml")]
            if not shared or shared[0].file_size <= max_cell:
                return path
            xml = z.read(shared[0])
            cut = _SHARED.sub(lambda m: m.group(1) + _cut(m.group(2), max_cell) + m.group(3), xml)
            if cut == xml:
                return path
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
                for i in infos:
                    w.writestr(i, cut if i is shared[0] else z.read(i))
            return out
    except zipfile.BadZipFile:
        return path  # calamine says what is wrong with it


_CELL_REF = re.compile(rb'<c\s[^>]*?r="([A-Z]+)([0-9]+)"')
_MAX_SPAN_CELLS = 100_000_000  # calamine allocates rows x columns of the used range at once


def _check_span(xml: bytes) -> None:
    """Refuse a sheet whose cells span more than Excel's grid or _MAX_SPAN_CELLS.

    calamine allocates the whole used range: one cell at XFD1048577 aborts the process
    (a 550 GB allocation), which no `except` can catch.
    """
    rows = cols = 0
    for col, row in _CELL_REF.findall(xml):
        c = 0
        for ch in col:
            c = c * 26 + ch - 64
        rows, cols = max(rows, int(row)), max(cols, c)
    if rows > 1_048_576 or cols > 16_384 or rows * cols > _MAX_SPAN_CELLS:
        raise UnusableInputError(
            f"the workbook's sheet spans {rows:,} rows x {cols:,} columns: not a readable "
            "Excel table")


def _cut(text: bytes, max_cell: int) -> bytes:
    """XML text content cut to max_cell + 1 characters (an entity is not cut in half)."""
    if len(text) <= max_cell:
        return text
    s = text.decode("utf-8", errors="ignore")
    if len(s) <= max_cell:
        return text
    return re.sub(r"&[^;]*$", "", s[: max_cell + 1]).ljust(max_cell + 1, "x").encode()


@contextmanager
def _utf8_path(src: SourceFile) -> Iterator[Path]:
    """The file itself when it is clean UTF-8, else a UTF-8 copy.

    Detected encodings are decoded line by line (`csvbytes.utf8_copy`: mixed files, BOMs in
    the middle, NUL bytes; `src.repaired` is set); an encoding the user named (or UTF-16) is
    decoded strictly in chunks.
    """
    if src.kind != "csv":
        yield src.path
        return
    utf8 = src.encoding in ("utf-8", "utf-8-sig")
    if utf8 and is_clean_utf8(src.path):
        yield src.path
        return
    tmpdir = Path(tempfile.mkdtemp(prefix="crm_import_"))
    try:
        out = tmpdir / "utf8.csv"
        if src.auto and (utf8 or src.encoding == "gb18030"):
            with _step("decode"):
                utf8_copy(src.path, out, per_line=not utf8 and src.mixed,
                          encoding="utf-8" if utf8 else "gb18030")
            src.repaired = True
            yield out
            return
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


def _scan(src: SourceFile, path: Path, truncate: bool = True) -> pl.LazyFrame:
    """All source columns as text, in file order (`truncate`: cut rows with extra fields)."""
    if src.kind == "parquet":
        return pl.scan_parquet(path).select(pl.all().cast(pl.String))
    if src.kind == "xlsx":
        return (src.sheet if src.sheet is not None else _read_xlsx(path)).lazy()
    return pl.scan_csv(path, separator=src.separator, infer_schema=False, encoding="utf8",
                       truncate_ragged_lines=truncate, raise_if_empty=False)


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

