"""Bounded reading: every input is a regular file of bounded size, rows, cells and inflation.

Each limit is a setting (an environment variable) with a default sized well above the
largest genuine input (a national return of every commune, 1.5 million values; a
catalog of 11,000 communes) and far below what would exhaust the machine. A refusal
names the file, what was found, the limit, and the setting that raises it:

| setting | default | bounds |
|---|---|---|
| ``EVALTOOLS_MAX_FILE_MB`` | 200 | a return or store file on disk |
| ``EVALTOOLS_MAX_UNZIPPED_MB`` | 100 | an .xlsx workbook unpacked (read from its zip directory first) |
| ``EVALTOOLS_MAX_ZIP_RATIO`` | 100 | how many times a workbook part inflates (parts over 1 MB) |
| ``EVALTOOLS_MAX_CELLS`` | 5000000 | cells of a workbook, empty ones between filled ones included |
| ``EVALTOOLS_MAX_ROWS`` | 3000000 | rows of a CSV file or a sheet |
| ``EVALTOOLS_MAX_CELL_CHARS`` | 32767 | characters in one cell (Excel's own limit) |
| ``EVALTOOLS_MAX_YAML_MB`` | 20 | a YAML config or catalog |
| ``EVALTOOLS_MAX_YAML_NODES`` | 2000000 | values in a YAML file once its aliases are expanded |
| ``EVALTOOLS_MAX_TEXT_KB`` | 1024 | a Markdown narrative |
| ``EVALTOOLS_MAX_LINE_CHARS`` | 20000 | one line of a Markdown narrative |
| ``EVALTOOLS_MAX_PULL_MB`` | 200 | a DHIS2 server's answer to ``evaltools pull dhis2`` |

Only regular files are read: a named pipe, a device (``/dev/zero``, also through a
symbolic link) or a socket is refused after a non-blocking open, before any read.
"""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from evaltools.core.errors import EvaltoolsError, FileProblem, display_path

MB = 1 << 20
RATIO_FROM = MB          # parts smaller than this may compress as well as they like


@dataclass(frozen=True)
class Limit:
    """A bound on an input, set by an environment variable."""

    setting: str
    default: int
    unit: str
    what: str

    @property
    def value(self) -> float:
        """The limit in force (the setting, else the default)."""
        raw = os.environ.get(self.setting)
        if raw is None:
            return self.default
        try:
            value = float(raw)
        except ValueError:
            raise EvaltoolsError(f"{self.setting}={raw!r}: expected a number of {self.unit}") from None
        if value <= 0:
            raise EvaltoolsError(f"{self.setting}={raw!r}: expected a positive number of {self.unit}")
        return value

    def refuse(self, name: str, found: str, line: int | None = None, field: str | None = None) -> FileProblem:
        """The problem to raise: what was found, the limit, how to raise it."""
        return FileProblem(name, f"{self.what} is {found}, over the limit of {self.shown} {self.unit}; if the "
                                 f"file is genuine, raise the limit with the setting {self.setting} (e.g. "
                                 f"{self.setting}={_plain(self.value * 4)}; see README, 'Limits')", line, field)

    @property
    def shown(self) -> str:
        """The limit in force as the messages write it (5,000,000; 0.5)."""
        value = self.value
        return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


FILE_MB = Limit("EVALTOOLS_MAX_FILE_MB", 200, "MB", "the file's size")
UNZIPPED_MB = Limit("EVALTOOLS_MAX_UNZIPPED_MB", 100, "MB", "the workbook's unpacked size")
ZIP_RATIO = Limit("EVALTOOLS_MAX_ZIP_RATIO", 100, "times", "how many times a part of the workbook inflates")
CELLS = Limit("EVALTOOLS_MAX_CELLS", 5_000_000, "cells", "the number of cells (empty ones between filled ones too)")
ROWS = Limit("EVALTOOLS_MAX_ROWS", 3_000_000, "rows", "the number of rows")
CELL_CHARS = Limit("EVALTOOLS_MAX_CELL_CHARS", 32_767, "characters", "the length of a cell")
YAML_MB = Limit("EVALTOOLS_MAX_YAML_MB", 20, "MB", "the file's size")
YAML_NODES = Limit("EVALTOOLS_MAX_YAML_NODES", 2_000_000, "values", "the number of values, aliases expanded,")
TEXT_KB = Limit("EVALTOOLS_MAX_TEXT_KB", 1024, "KB", "the file's size")
LINE_CHARS = Limit("EVALTOOLS_MAX_LINE_CHARS", 20_000, "characters", "the length of a line")
PULL_MB = Limit("EVALTOOLS_MAX_PULL_MB", 200, "MB", "the server's answer")
STORE_FILE = FILE_MB

_SCALE = {"MB": MB, "KB": 1024}
_KINDS = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a device (such as /dev/zero)"),
          (stat.S_ISBLK, "a disk device"), (stat.S_ISSOCK, "a socket"))


def _size(n: int, unit: str) -> str:
    return f"{n / _SCALE[unit]:,.1f} {unit}"


def _open_regular(path: Path, name: str, expected: str) -> int:
    """A descriptor of ``path`` opened without blocking, checked to be a regular file."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise FileProblem(name, "file not found") from None
    except PermissionError:
        raise FileProblem(name, "cannot be read (permission denied); check the file's permissions") from None
    except OSError as exc:  # a socket (ENXIO), a loop of links (ELOOP), a name too long
        raise FileProblem(name, f"cannot be opened ({exc.strerror}): expected {expected}") from None
    mode = os.fstat(fd).st_mode
    if stat.S_ISREG(mode):
        return fd
    os.close(fd)
    if stat.S_ISDIR(mode):
        raise FileProblem(name, f"is a folder: expected {expected}")
    kind = next((label for test, label in _KINDS if test(mode)), "not a regular file")
    raise FileProblem(name, f"is {kind}, not a file: expected {expected}; save the data to a file and give "
                            "that file's name")


def read_bytes(path: str | Path, limit: Limit = FILE_MB, expected: str = "a file", name: str | None = None) -> bytearray:
    """The bytes of a regular file of at most ``limit``, read once into one buffer (never past the limit).

    Raises
    ------
    FileProblem
        One line naming the file: missing, unreadable, not a regular file, or too large.
    """
    name = name or display_path(path)
    fd = _open_regular(Path(path), name, expected)
    cap = int(limit.value * _SCALE[limit.unit])
    try:
        size = os.fstat(fd).st_size
        if size > cap:
            raise limit.refuse(name, _size(size, limit.unit))
        data, total = bytearray(size + 1), 0          # one byte more: a file that grows is noticed
        with memoryview(data) as view:
            while total < len(data) and (n := os.readv(fd, [view[total:]])):
                total += n
        while total == len(data) and (chunk := os.read(fd, min(1 << 22, cap + 1 - total))):
            data += chunk                             # it grew while being read
            total += len(chunk)
            if total > cap:
                raise limit.refuse(name, f"over {_size(cap, limit.unit)}")
        del data[total:]
    except OSError as exc:
        raise FileProblem(name, f"cannot be read ({exc.strerror})") from None
    finally:
        os.close(fd)
    return data


def read_text(path: str | Path, limit: Limit = TEXT_KB, expected: str = "a text file",
              name: str | None = None) -> str:
    """A regular UTF-8 text file of at most ``limit`` (a byte-order mark is dropped)."""
    name = name or display_path(path)
    data = read_bytes(path, limit, expected, name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FileProblem(name, f"not UTF-8 text (byte 0x{data[exc.start]:02X}); save it as UTF-8", line) from None


def read_markdown(path: str | Path, name: str | None = None) -> str:
    """A Markdown file (a narrative) within the size and line-length limits."""
    name = name or display_path(path)
    text = read_text(path, TEXT_KB, "a Markdown (.md) text file", name)
    check_lines(text, name)
    check_control(text, name)
    return text


def check_lines(text: str, name: str, limit: Limit = LINE_CHARS) -> None:
    """Refuse a text with a line longer than ``limit`` (slow to parse, never written by hand)."""
    cap = limit.value
    if len(text) <= cap:
        return
    for number, line in enumerate(text.split("\n"), 1):
        if len(line) > cap:
            raise limit.refuse(name, f"{len(line):,} characters", number)


def longest_line(data: bytes, block: int = MB) -> int:
    """Length in bytes of the longest line, read block by block (bounded memory for big files)."""
    longest, carry = 0, 0
    for start in range(0, len(data), block):
        lines = data[start:start + block].split(b"\n")
        if len(lines) == 1:
            carry += len(lines[0])
            continue
        longest = max(longest, carry + len(lines[0]), max(map(len, lines[1:-1]), default=0))
        carry = len(lines[-1])
    return max(longest, carry)


def check_rows(data: bytes | str, name: str) -> None:
    """Refuse a text with more lines than the row limit, before parsing it."""
    lines = data.count(b"\n" if isinstance(data, (bytes, bytearray)) else "\n")
    if lines > ROWS.value:
        raise ROWS.refuse(name, f"{lines:,}")


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_cell(text: str, name: str, line: int | None, field: str | None = None) -> None:
    """Refuse a cell longer than the cell limit, or holding a control character (no workbook can store one)."""
    if len(text) > CELL_CHARS.value:
        raise CELL_CHARS.refuse(name, f"{len(text):,} characters", line, field)
    found = CONTROL.search(text)
    if found:
        raise FileProblem(name, f"a cell holds the control character U+{ord(found.group()):04X}; remove it", line,
                          field)


def check_control(data: bytes | str, name: str) -> None:
    """Refuse a text holding a control character other than tab and line breaks, naming its line."""
    found = (CONTROL_BYTES if isinstance(data, (bytes, bytearray)) else CONTROL).search(data)
    if found:
        newline = b"\n" if isinstance(data, (bytes, bytearray)) else "\n"
        char = found.group()
        code = char[0] if isinstance(char, (bytes, bytearray)) else ord(char)
        raise FileProblem(name, f"holds the control character U+{code:04X}, which no spreadsheet or report can "
                                "show; remove it", data.count(newline, 0, found.start()) + 1)


def check_zip(data: bytes, name: str) -> None:
    """Refuse a zip bomb from the zip's directory alone, before anything is inflated.

    The declared sizes bound what can be inflated: Python's zip reader stops at the
    declared size of each part (and a part that lies fails its CRC check). A DTD in an
    XML part (entity expansion) is refused too: no genuine workbook has one.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            total = sum(p.file_size for p in parts)
            if total > UNZIPPED_MB.value * MB:
                raise UNZIPPED_MB.refuse(name, f"{_size(total, 'MB')} ({len(parts)} parts, "
                                               f"{_size(len(data), 'MB')} packed)")
            for part in parts:
                if part.file_size > RATIO_FROM and part.file_size > ZIP_RATIO.value * max(part.compress_size, 1):
                    raise ZIP_RATIO.refuse(name, f"{part.file_size / max(part.compress_size, 1):,.0f} for part "
                                                 f"{part.filename} ({_size(part.file_size, 'MB')})")
            for part in parts:
                if part.filename.endswith((".xml", ".rels", ".vml")) and not part.is_dir():
                    with archive.open(part) as member:
                        head = member.read(4096)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise FileProblem(name, f"part {part.filename} declares a DTD (XML entities), which no "
                                                "spreadsheet program writes; open the file in Excel and save it again")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
            ValueError) as exc:
        raise FileProblem(name, f"not a readable .xlsx workbook, damaged or incomplete ({exc}); open it in Excel "
                                "and save it again as .xlsx (Excel Workbook)") from None
