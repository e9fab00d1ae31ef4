"""Uploaded files: type checked by content, a private folder for them, what replacing costs.

- `content_problem(name, head, tail)`: the file's first and last bytes must match what its
  extension claims (xlsx/xlsm: a ZIP archive; parquet: `PAR1` at both ends; csv/tsv/txt:
  text, i.e. no NUL bytes unless it starts with a UTF-16 byte-order mark, and not a known
  binary format). Returns a problem code or None.
- `private_dir()`: a fresh temporary folder only this user can open (mode 0700).
- `only_sample(con)`: the store holds the bundled sample and nothing the user imported.
- `table_rows(con)`: rows per canonical table (what a replace would remove).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import duckdb

from crm_logic import store

TEXT_TYPES = (".csv", ".tsv", ".txt")
ZIP_TYPES = (".xlsx", ".xlsm")
ALLOWED_TYPES = (*TEXT_TYPES, *ZIP_TYPES, ".parquet")
# Signatures of binary formats that must never pass as a text file.
_BINARY = (b"PK\x03\x04", b"PAR1", b"%PDF", b"\x7fELF", b"MZ", b"\x89PNG", b"\xff\xd8\xff",
           b"GIF8", b"\xd0\xcf\x11\xe0", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def content_problem(name: str, head: bytes, tail: bytes) -> str | None:
    """None when the content matches the extension, else "type" (extension not accepted),
    "empty", or "content" (the bytes are not what the extension says)."""
    ext = Path(name).suffix.lower()
    if ext not in ALLOWED_TYPES:
        return "type"
    if not head:
        return "empty"
    if ext in ZIP_TYPES:
        return None if head.startswith(b"PK\x03\x04") else "content"
    if ext == ".parquet":
        return None if head.startswith(b"PAR1") and tail.endswith(b"PAR1") else "content"
    if head.startswith(_UTF16_BOMS):
        return None
    if head.startswith(_BINARY) or b"\x00" in head:
        return "content"
    return None


def check_bytes(name: str, data: bytes) -> str | None:
    """`content_problem` of a whole file held in memory (the first and last 8 KiB)."""
    return content_problem(name, data[:8192], data[-8192:])


def private_dir(prefix: str = "crm_lens_upload_") -> Path:
    """A new temporary folder with mode 0700 (only this user can list or read it)."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    os.chmod(path, 0o700)
    return path


def write_private(folder: Path, name: str, data: bytes) -> Path:
    """Write `data` as `folder/name` (base name only) with mode 0600."""
    path = folder / Path(name).name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return path


def table_rows(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows in each canonical table."""
    cur = con.cursor()
    return {t: int(cur.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in store.TABLES}


def only_sample(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the bundled sample was loaded and no file of the user's came in after it
    (into any table, since that table's last sample load)."""
    cur = con.cursor()
    sample = cur.execute(
        "SELECT count(*) FROM import_log WHERE file_name LIKE 'sample:%'").fetchone()[0]
    if not sample:
        return False
    own = cur.execute(
        """
        SELECT count(*) FROM import_log l
        WHERE l.file_name NOT LIKE 'sample:%' AND l.rows_loaded > 0
          AND l.import_id > coalesce((SELECT max(s.import_id) FROM import_log s
                                      WHERE s.file_name = 'sample:' || l.table_name
                                        AND s.mode = 'replace'), 0)
        """
    ).fetchone()[0]
    return own == 0
