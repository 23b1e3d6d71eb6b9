"""Read node-link JSON (``{"nodes": [...], "links": [...]}``, the shape of
``networkx.node_link_data``) into the records of :mod:`app.ingest.readers`.

The top-level object is walked by hand so that each element is decoded on its own and its
line is known; the JSON is strict (no trailing commas, nothing after the object, no key twice
in an object in any case, numbers beyond 64 bits kept as text) and its nesting is bounded
before any parsing (:func:`~app.ingest.limits.json_depth_problem`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app.errors import Problem, excerpt
from app.fields import MAX_CELL_LENGTH
from app.ingest.limits import MAX_COLUMNS, cell_problem, json_depth_problem
from app.ingest.readers import _ACCEPTED, _IGNORED, Record, Table, _cell_text, _decode

__all__ = ["read_node_link_json"]


def read_node_link_json(path: Path, *, max_bytes: int | None = None) -> list[Table]:
    """Read ``{"nodes": [...], "links": [...]}`` (``"edges"`` is accepted for ``"links"``).

    Strict JSON: no trailing commas, nothing after the object, no key twice in an object
    (in any case: keys are read case-insensitively), nesting at most
    :data:`~app.ingest.limits.MAX_JSON_DEPTH` deep; ``max_bytes`` caps the file.
    """
    text, problem = _decode(path, max_bytes)
    if text is None:
        return [Table(path.name, "organizations", problems=[problem] if problem else [])]
    node_records: list[Record] = []
    link_records: list[Record] = []
    nodes = Table(path.name, "organizations", node_records)
    links = Table(path.name, "relationships", link_records)
    deep = json_depth_problem(path.name, text)
    if deep is not None:
        nodes.problems.append(deep)
        return [nodes, links]
    scanner = _JsonScanner(path.name, text)
    try:
        for key, line, value in scanner.top_level_arrays(("nodes", "links", "edges")):
            table, records = (nodes, node_records) if key == "nodes" else (links, link_records)
            record = _json_record(table, line, value)
            if record is not None:
                records.append(record)
    except json.JSONDecodeError as exc:
        message = f"invalid JSON: {exc.msg}"
        nodes.problems.append(Problem(path.name, exc.lineno, "-", message))
    except _JsonShapeError as exc:
        nodes.problems.append(Problem(path.name, exc.line, exc.column, exc.message))
    nodes.problems.extend(scanner.problems)
    return [nodes, links]


def _json_record(table: Table, line: int, value: Any) -> Record | None:
    """One element as a record, or None after adding its problems to ``table``."""
    if not isinstance(value, dict):
        table.problems.append(Problem(table.name, line, "-", "expected an object"))
        return None
    if len(value) > MAX_COLUMNS:
        message = f"the object has {len(value):,} fields; at most {MAX_COLUMNS} are read"
        table.problems.append(Problem(table.name, line, "-", message))
        return None
    cells = {k.lower(): _cell_text(v) for k, v in value.items() if k.lower() not in _IGNORED}
    problems = [
        Problem(table.name, line, column, "unknown field")
        for column in sorted(set(cells) - set(_ACCEPTED[table.kind]))
    ]
    problems.extend(
        cell_problem(table.name, line, column)
        for column, cell in cells.items()
        if isinstance(cell, str) and len(cell) > MAX_CELL_LENGTH
    )
    table.problems.extend(problems)
    return None if problems else Record(line, cells)


class _JsonShapeError(Exception):
    """Valid JSON of the wrong shape (or with a key twice), located."""

    def __init__(self, line: int, column: str, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


def _parse_int(text: str) -> int | str:
    """JSON integers beyond 64 bits stay text: validation reports them as out of range
    (Python refuses to convert integers of more than 4,300 digits at all)."""
    return int(text) if len(text) <= 20 else text


class _JsonScanner:
    """Walk the top-level object of a node-link document, decoding one element at a time
    (so that each element's line is known and a large file is not one huge tree)."""

    def __init__(self, name: str, text: str) -> None:
        self.name, self.text = name, text
        self.problems: list[Problem] = []
        self._duplicates: list[str] = []
        self._decoder = json.JSONDecoder(object_pairs_hook=self._object, parse_int=_parse_int)
        self._line, self._counted = 1, 0

    def _object(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: set[str] = set()
        for key, _ in pairs:
            folded = key.lower()
            if folded in seen:
                self._duplicates.append(key)
            seen.add(folded)
        return dict(pairs)

    def line_at(self, pos: int) -> int:
        self._line += self.text.count("\n", self._counted, pos)
        self._counted = pos
        return self._line

    def decode(self, pos: int) -> tuple[Any, int, bool]:
        """The value at ``pos``, where it ends, and whether it is free of problems (a key
        found twice in one of its objects is one)."""
        self._duplicates.clear()
        value, end = self._decoder.raw_decode(self.text, pos)
        for key in self._duplicates:
            message = f"the key {excerpt(key)} appears twice in an object (keys ignore case)"
            self.problems.append(Problem(self.name, self.line_at(pos), key, message))
        return value, end, not self._duplicates

    def top_level_arrays(self, keys: tuple[str, ...]) -> Iterator[tuple[str, int, Any]]:
        """Yield (key, line, element) for the elements of the named top-level arrays."""
        text = self.text
        pos = _skip(text, 0)
        if text[pos : pos + 1] != "{":
            raise _JsonShapeError(1, "-", 'expected a JSON object with "nodes" and "links" arrays')
        pos = _skip(text, pos + 1)
        seen: dict[str, int] = {}
        found_nodes = False
        while text[pos : pos + 1] != "}":
            key_line = self.line_at(pos)
            if text[pos : pos + 1] != '"':
                raise json.JSONDecodeError("expected a key in double quotes", text, pos)
            key, pos = self._decoder.raw_decode(text, pos)
            folded = key.lower()
            if folded in seen or (folded in ("links", "edges") and {"links", "edges"} & set(seen)):
                first = seen.get(folded) or seen.get("links") or seen.get("edges")
                message = f"the key {excerpt(key)} appears twice (first on line {first})"
                raise _JsonShapeError(key_line, key, message)
            seen[folded] = key_line
            pos = _skip(text, pos)
            if text[pos : pos + 1] != ":":
                raise json.JSONDecodeError("expected ':'", text, pos)
            pos = _skip(text, pos + 1)
            if key in keys and text[pos : pos + 1] == "[":
                found_nodes = found_nodes or key == "nodes"
                pos = _skip(text, pos + 1)
                while text[pos : pos + 1] != "]":
                    element_line = self.line_at(pos)
                    value, pos, clean = self.decode(pos)
                    if clean:
                        yield ("nodes" if key == "nodes" else "links"), element_line, value
                    pos = _skip(text, pos)
                    if text[pos : pos + 1] == ",":
                        pos = _skip(text, pos + 1)
                        if text[pos : pos + 1] == "]":
                            raise json.JSONDecodeError("trailing comma", text, pos)
                    elif text[pos : pos + 1] != "]":
                        raise json.JSONDecodeError("expected ',' or ']'", text, pos)
                pos += 1
            else:
                _, pos, _ = self.decode(pos)
            pos = _skip(text, pos)
            if text[pos : pos + 1] == ",":
                pos = _skip(text, pos + 1)
                if text[pos : pos + 1] == "}":
                    raise json.JSONDecodeError("trailing comma", text, pos)
            elif text[pos : pos + 1] != "}":
                raise json.JSONDecodeError("expected ',' or '}'", text, pos)
        pos = _skip(text, pos + 1)
        if pos < len(text):
            raise json.JSONDecodeError("extra data after the object", text, pos)
        if not found_nodes:
            raise _JsonShapeError(1, "-", 'the JSON object has no "nodes" array')


_WHITESPACE = re.compile(r"[ \t\r\n]*")


def _skip(text: str, pos: int) -> int:
    match = _WHITESPACE.match(text, pos)
    return match.end() if match else pos
