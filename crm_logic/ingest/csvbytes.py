"""Byte-level work on CSV files: encodings line by line, and each record's field count.

A file is mostly one encoding, but real exports get pasted together: one GBK line in a
UTF-8 file, a second file's BOM in the middle, a NUL byte. `utf8_copy` decodes such a file
line by line (UTF-8 first, then GB18030), strips BOMs and marks what does not decode
(U+FFFD, also for NUL) so that validation rejects those rows with reason `encoding`.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import numpy as np

BOM = codecs.BOM_UTF8
CHUNK_BYTES = 1 << 24
BAD = "\ufffd"  # marks undecodable bytes and NUL: the row is rejected (encoding)


def is_clean_utf8(path: Path) -> bool:
    """Valid UTF-8 throughout, no BOM after the start, no NUL byte (the fast path's file).

    One pass over the file (~GB/s for mostly ASCII text).
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    tail = b""
    with path.open("rb") as fh:
        first = True
        while chunk := fh.read(CHUNK_BYTES):
            if b"\x00" in chunk:
                return False
            probe = tail + chunk
            if probe.find(BOM, 1 if first and probe.startswith(BOM) else 0) >= 0:
                return False
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                return False
            tail, first = probe[-2:], False
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def decode_line(line: bytes) -> str:
    """One line as text: UTF-8, else GB18030, else UTF-8 with U+FFFD for the bad bytes."""
    if line.isascii():
        text = line.decode("ascii")
    else:
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = line.decode("gb18030")
            except UnicodeDecodeError:
                text = line.decode("utf-8", errors="replace")
    return text.replace("\ufeff", "").replace("\x00", BAD)


def decode_mixed(data: bytes) -> str:
    """Text of several lines decoded one by one (see `decode_line`)."""
    return "".join(decode_line(x) for x in data.splitlines(keepends=True))


def has_utf8_lines(sample: bytes, complete: bool = False) -> bool:
    """Whether some non-ASCII line of a sample is valid UTF-8 (a GBK file with UTF-8 lines).

    The last line of an incomplete sample may be cut: it is not looked at.
    """
    lines = sample.splitlines()
    for line in lines if complete else lines[:-1]:
        if not line.isascii():
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                continue
            return True
    return False


def _block_decoder(encoding: str):  # noqa: ANN202 - bytes -> str
    """Lines decoded a whole block at once (C speed); line by line only where that fails."""
    def decode(data: bytes) -> str:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            return decode_mixed(data)
        return text.replace("\ufeff", "").replace("\x00", BAD)
    return decode


def utf8_copy(src: Path, out: Path, per_line: bool = False,
              encoding: str = "utf-8") -> None:
    """A UTF-8 copy of a file, a line-aligned block at a time in `encoding` (6x faster than
    line by line: 1M lines 0.3 s instead of 1.9 s); a block that fails, or every block with
    `per_line` (a GBK file whose sample showed UTF-8 lines), goes line by line.
    """
    decode = decode_mixed if per_line else _block_decoder(encoding)
    with src.open("rb") as fin, out.open("wb") as fout:
        rest = b""
        while chunk := fin.read(CHUNK_BYTES):
            data = rest + chunk
            cut = data.rfind(b"\n") + 1
            rest = data[cut:]
            fout.write(decode(data[:cut]).encode("utf-8"))
        if rest:
            fout.write(decode(rest).encode("utf-8"))


def ragged_rows(path: Path, separator: str, n_fields: int, n_rows: int) -> np.ndarray | None:
    """1-based data rows whose field count is not `n_fields` (the header is record 0).

    Separators and line ends inside double quotes do not count (quote parity, as RFC 4180:
    an escaped "" keeps the parity). None when the records found are not `n_rows` data rows
    (a stray quote mark upsets the parity): the caller then does not guess.
    """
    sep, quote = ord(separator), ord('"')
    inside = 0  # quote parity carried across chunks
    seps_open = 0  # separators of the record still open at a chunk's end
    counts: list[np.ndarray] = []
    tail_len = 0
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK_BYTES):
            arr = np.frombuffer(chunk, dtype=np.uint8)
            q = arr == quote
            if q.any():
                par = (np.cumsum(q, dtype=np.int64) + inside) & 1
                out = par == 0
                inside = int(par[-1])
                nl = np.flatnonzero((arr == 10) & out)
                sp = np.flatnonzero((arr == sep) & out)
            else:
                if inside:  # the whole chunk is inside one quoted field
                    tail_len += len(arr)
                    continue
                nl = np.flatnonzero(arr == 10)
                sp = np.flatnonzero(arr == sep)
            before = np.searchsorted(sp, nl)  # separators before each line end
            per = np.diff(before, prepend=0)
            if len(per):
                per[0] += seps_open
                counts.append(per + 1)
                seps_open = len(sp) - int(before[-1])
                tail_len = len(arr) - int(nl[-1]) - 1
            else:
                seps_open += len(sp)
                tail_len += len(arr)
    fields = np.concatenate(counts) if counts else np.zeros(0, dtype=np.int64)
    if tail_len or seps_open:  # a last record without a line end
        fields = np.append(fields, seps_open + 1)
    data = fields[1:]  # record 0 is the header
    while len(data) > n_rows and data[-1] == 1:  # blank lines at the end: not rows
        data = data[:-1]
    if len(data) != n_rows:
        return None
    return np.flatnonzero(data != n_fields) + 1
