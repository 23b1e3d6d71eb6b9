"""Caps on what the readers take in, checked before (or while) anything is parsed.

Every reader bounds the bytes it reads once decompressed (``max_bytes``, from
``ECOMAP_MAX_INPUT_MB``: a gzip stream and the members of an .xlsx are counted as they expand),
the length of a cell (:data:`~app.domain.MAX_CELL_LENGTH`), the columns of a header
(:data:`MAX_COLUMNS`) and, for JSON, the nesting depth (:data:`MAX_JSON_DEPTH`). An .xlsx
workbook is checked member by member before openpyxl opens it: declared and actual sizes,
well-formed XML without a DOCTYPE (so no entity can be declared, let alone expanded), cells,
tags and attributes within the cell cap, row and column numbers within Excel's.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path
from typing import IO
from xml.parsers import expat

from app.errors import Problem, excerpt
from app.fields import MAX_CELL_LENGTH

__all__ = [
    "MAX_COLUMNS",
    "MAX_JSON_DEPTH",
    "MAX_SHEET_COLUMNS",
    "MAX_SHEET_ROWS",
    "MAX_ZIP_MEMBERS",
    "CappedStream",
    "InputTooLargeError",
    "cell_problem",
    "check_workbook",
    "file_size_problem",
    "json_depth_problem",
    "size_message",
]

MIB = 1024 * 1024
#: Columns a header may have (the canonical ones are 17): more is not a table of ours.
MAX_COLUMNS = 100
#: Nesting of a node-link JSON document: the object, its arrays, an element, a list value.
MAX_JSON_DEPTH = 16
#: Members of an .xlsx archive (a workbook has a few dozen).
MAX_ZIP_MEMBERS = 10_000
#: Excel's own bounds on a sheet.
MAX_SHEET_ROWS = 1_048_576
MAX_SHEET_COLUMNS = 16_384
#: Bytes of XML that may pass without a parser event: one tag or attribute (4 bytes a
#: character at most in UTF-8, plus markup).
_MAX_XML_TOKEN = 4 * MAX_CELL_LENGTH + 4096
_CHUNK = 1 << 16
_SHEET_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
_CELL_REF = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")
_XML_SUFFIXES = (".xml", ".rels")


class InputTooLargeError(Exception):
    """More than ``max_bytes`` came out of a (decompressing) stream."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(size_message(max_bytes))
        self.max_bytes = max_bytes


def size_message(max_bytes: int) -> str:
    """What every reader says of an input over the limit."""
    return (
        f"the input is larger than {max_bytes / MIB:g} MiB once decompressed (ECOMAP_MAX_INPUT_MB)"
    )


def cell_problem(file: str, line: int, column: str) -> Problem:
    """A cell over :data:`~app.domain.MAX_CELL_LENGTH` characters."""
    return Problem(file, line, column, f"a cell is longer than {MAX_CELL_LENGTH:,} characters")


def file_size_problem(path: Path, max_bytes: int | None) -> Problem | None:
    """A problem when the file on disk is already over ``max_bytes``."""
    if max_bytes is not None and path.stat().st_size > max_bytes:
        return Problem(path.name, 0, "-", size_message(max_bytes))
    return None


class CappedStream(io.RawIOBase):
    """A binary stream that raises :class:`InputTooLargeError` past ``max_bytes`` read."""

    def __init__(
        self, raw: IO[bytes], max_bytes: int | None, *, also_close: IO[bytes] | None = None
    ) -> None:
        super().__init__()
        self._raw = raw
        self._also_close = also_close
        self._left = max_bytes
        self._max = max_bytes

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        if self._left is not None and self._max is not None:
            self._left -= len(data)
            if self._left < 0:
                raise InputTooLargeError(self._max)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._raw.close()
        if self._also_close is not None:
            self._also_close.close()
        super().close()


# -- .xlsx -----------------------------------------------------------------------------------


class _Refused(Exception):
    """A reason to refuse a workbook, raised from inside the XML scan."""


def check_workbook(path: Path, max_bytes: int | None) -> Problem | None:
    """Check an .xlsx archive before openpyxl parses it; a problem says what is wrong.

    Members are counted as they expand, against ``max_bytes`` (their declared sizes first);
    XML members are scanned as a stream with bounded memory.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                return _workbook_problem(path, f"more than {MAX_ZIP_MEMBERS:,} archive members")
            declared = sum(info.file_size for info in infos)
            if max_bytes is not None and declared > max_bytes:
                return Problem(path.name, 0, "-", size_message(max_bytes))
            budget = _Budget(max_bytes)
            for info in infos:
                if info.is_dir():
                    continue
                with archive.open(info) as member:
                    if info.filename.lower().endswith(_XML_SUFFIXES):
                        _scan_xml(member, budget)
                    else:
                        while chunk := member.read(_CHUNK):
                            budget.spend(len(chunk))
    except InputTooLargeError as exc:
        return Problem(path.name, 0, "-", str(exc))
    except _MemberError as exc:
        return _workbook_problem(path, str(exc))
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, ValueError) as exc:
        return _workbook_problem(path, str(exc) or type(exc).__name__)
    except NotImplementedError as exc:  # a compression method zipfile lacks
        return _workbook_problem(path, str(exc))
    return None


class _MemberError(Exception):
    pass


def _workbook_problem(path: Path, reason: str) -> Problem:
    return Problem(path.name, 0, "-", f"not a readable .xlsx workbook ({reason})")


class _Budget:
    """Bytes that may still come out of an archive's members."""

    def __init__(self, max_bytes: int | None) -> None:
        self.max_bytes = max_bytes
        self.spent = 0

    def spend(self, size: int) -> None:
        self.spent += size
        if self.max_bytes is not None and self.spent > self.max_bytes:
            raise InputTooLargeError(self.max_bytes)


def _scan_xml(member: IO[bytes], budget: _Budget) -> None:
    """Parse one XML member as a stream: well-formed, no DOCTYPE, cells and tokens within
    the caps, rows and columns within Excel's."""
    name = getattr(member, "name", "member")
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    state = _XmlState(parser)
    parser.StartDoctypeDeclHandler = state.doctype
    parser.EntityDeclHandler = state.entity
    parser.StartElementHandler = state.start
    parser.EndElementHandler = state.end
    parser.CharacterDataHandler = state.text
    fed = 0
    try:
        while chunk := member.read(_CHUNK):
            budget.spend(len(chunk))
            fed += len(chunk)
            parser.Parse(chunk, False)
            if fed - state.last_event > _MAX_XML_TOKEN:
                raise _Refused(f"an XML tag or attribute longer than {_MAX_XML_TOKEN:,} bytes")
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        reason = expat.ErrorString(exc.code)
        raise _MemberError(f"malformed XML in {name}, line {exc.lineno}: {reason}") from None
    except _Refused as exc:
        raise _MemberError(f"{name}, line {parser.CurrentLineNumber}: {exc}") from None


class _XmlState:
    """What the XML scan tracks: text in the current cell, the position of the last event."""

    def __init__(self, parser: expat.XMLParserType) -> None:
        self.parser = parser
        self.cell_text = 0
        self.in_cell = 0
        self.rows = 0
        self.last_event = 0

    def doctype(self, *_: object) -> None:
        raise _Refused("a DOCTYPE is not allowed (no entity declarations in a workbook)")

    def entity(self, *_: object) -> None:
        raise _Refused("entity declarations are not allowed")

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        self.last_event = self.parser.CurrentByteIndex
        namespace, _, local = tag.rpartition("}")
        sheet = namespace in _SHEET_NAMESPACES
        if sheet and local in ("c", "si", "is"):
            if not self.in_cell:
                self.cell_text = 0
            self.in_cell += 1
        elif not self.in_cell:
            self.cell_text = 0
        if sheet and local == "row":
            self.rows += 1
            number = attributes.get("r")
            if self.rows > MAX_SHEET_ROWS or (number is not None and not _row_ok(number)):
                raise _Refused(f"a row beyond Excel's {MAX_SHEET_ROWS:,} ({excerpt(number)})")
        elif sheet and local == "c":
            ref = attributes.get("r")
            if ref is not None and not _cell_ref_ok(ref):
                raise _Refused(f"a cell reference beyond Excel's sheet size ({excerpt(ref)})")

    def end(self, tag: str) -> None:
        self.last_event = self.parser.CurrentByteIndex
        namespace, _, local = tag.rpartition("}")
        if self.in_cell and namespace in _SHEET_NAMESPACES and local in ("c", "si", "is"):
            self.in_cell -= 1

    def text(self, data: str) -> None:
        self.last_event = self.parser.CurrentByteIndex
        self.cell_text += len(data)
        if self.cell_text > MAX_CELL_LENGTH:
            raise _Refused(f"a cell is longer than {MAX_CELL_LENGTH:,} characters")


def _row_ok(number: str) -> bool:
    return number.isascii() and number.isdigit() and 1 <= int(number[:8]) <= MAX_SHEET_ROWS


def _cell_ref_ok(ref: str) -> bool:
    match = _CELL_REF.match(ref)
    if match is None:
        return False
    column = 0
    for letter in match.group(1):
        column = column * 26 + ord(letter) - ord("A") + 1
    return column <= MAX_SHEET_COLUMNS and 1 <= int(match.group(2)) <= MAX_SHEET_ROWS


# -- JSON ------------------------------------------------------------------------------------

_JSON_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_STRINGS = re.compile(_JSON_STRING, re.DOTALL)
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_INNERMOST = re.compile(r"\[\]|\{\}")
_TOKENS = re.compile(rf"{_JSON_STRING}|[\[\]{{}}]", re.DOTALL)


def json_depth_problem(name: str, text: str) -> Problem | None:
    """A problem at the first place where ``text`` nests deeper than :data:`MAX_JSON_DEPTH`.

    The cheap test (strip strings and everything but brackets, then remove innermost pairs
    :data:`MAX_JSON_DEPTH` times) runs in C; only a document it flags is walked token by
    token, to find the line.
    """
    brackets = _NOT_BRACKETS.sub("", _STRINGS.sub("", text))
    for _ in range(MAX_JSON_DEPTH):
        if not brackets:
            return None
        brackets = _INNERMOST.sub("", brackets)
    if not brackets:
        return None
    depth = 0
    for token in _TOKENS.finditer(text):
        char = token.group()
        if char in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                line = text.count("\n", 0, token.start()) + 1
                message = f"JSON nested deeper than {MAX_JSON_DEPTH} levels"
                return Problem(name, line, "-", message)
        elif char in "]}":
            depth -= 1
    return None  # unbalanced rather than deep: the parser reports it
