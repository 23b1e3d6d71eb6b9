"""The CSV plumbing of the CORDIS reader: plain or gzip text within the input limit, rows
as cells by column (``NA`` and blanks are missing), shape problems located by line."""

from __future__ import annotations

import csv
import gzip
import io
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, cast

from app.errors import Problem, excerpt
from app.fields import MAX_CELL_LENGTH
from app.ingest.limits import MAX_COLUMNS, CappedStream, InputTooLargeError, cell_problem

__all__ = ["TICK", "Progress", "csv_rows"]

#: ``progress(phase, done, total)``.
Progress = Callable[[str, int, int], None]
#: Rows between progress reports.
TICK = 5000
_MISSING = "NA"


def _open_text(path: Path, max_bytes: int | None) -> IO[str]:
    """The file as text, decompressed when it starts with the gzip magic number; reading
    more than ``max_bytes`` (decompressed) raises :class:`InputTooLargeError`."""
    raw: IO[bytes] = path.open("rb")
    compressed = raw.read(2) == b"\x1f\x8b"
    raw.seek(0)
    stream: IO[bytes] = raw
    if compressed:
        stream = cast("IO[bytes]", gzip.GzipFile(fileobj=raw, mode="rb"))
    capped = CappedStream(stream, max_bytes, also_close=raw)
    return io.TextIOWrapper(
        io.BufferedReader(capped, buffer_size=1 << 16), encoding="utf-8-sig", newline=""
    )


def _count_rows(path: Path, max_bytes: int | None) -> int:
    try:
        with _open_text(path, max_bytes) as text:
            return max(sum(1 for _ in text) - 1, 0)
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, InputTooLargeError):
        return 0  # reading proper reports it


def csv_rows(
    path: Path,
    required: tuple[str, ...],
    problems: list[Problem],
    *,
    alternatives: tuple[str, ...] = (),
    progress: Progress | None = None,
    max_bytes: int | None = None,
) -> Iterator[tuple[int, dict[str, str | None] | None]]:
    """Yield (line, cells by column) for each data row; ``NA`` and blanks are None, except
    ``NA`` in ``country``. Shape problems are appended to ``problems``; a row of the wrong
    width is yielded as (line, None)."""
    total = _count_rows(path, max_bytes) if progress else 0
    line = 1
    try:
        with _open_text(path, max_bytes) as text:
            reader = csv.reader(text)
            header = next(reader, None)
            if header is None:
                problems.append(Problem(path.name, 1, "-", "the file is empty"))
                return
            if len(header) > MAX_COLUMNS:
                message = f"the header has {len(header):,} columns; at most {MAX_COLUMNS} are read"
                problems.append(Problem(path.name, 1, "-", message))
                return
            columns = [h.strip().lower() for h in header]
            missing = [c for c in required if c not in columns]
            if alternatives and not set(alternatives) & set(columns):
                missing.append(" or ".join(alternatives))
            for column in missing:
                problems.append(Problem(path.name, 1, column, "required column is missing"))
            if missing:
                return
            width, done = len(columns), 0
            line = reader.line_num + 1
            for cells in reader:
                start, line = line, reader.line_num + 1
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) != width:
                    message = f"expected {width} cells, found {len(cells)}"
                    problems.append(Problem(path.name, start, "-", message))
                    yield start, None
                    continue
                if any(len(cell) > MAX_CELL_LENGTH for cell in cells):
                    problems.append(cell_problem(path.name, start, "-"))
                    yield start, None
                    continue
                row: dict[str, str | None] = {}
                for column, cell in zip(columns, cells, strict=True):
                    value = cell.strip()
                    keep = value and (value != _MISSING or column == "country")
                    row[column] = value if keep else None
                yield start, row
                done += 1
                if progress and done % TICK == 0:
                    progress("reading", done, max(total, done))
            if progress:
                progress("reading", done, max(total, done))
    except UnicodeDecodeError:
        problems.append(Problem(path.name, line, "-", "the file is not UTF-8 text"))
    except InputTooLargeError as exc:
        problems.append(Problem(path.name, line, "-", str(exc)))
    except (OSError, EOFError, zlib.error) as exc:
        reason = excerpt(str(exc) or type(exc).__name__)
        problems.append(Problem(path.name, line, "-", f"cannot read the file ({reason})"))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            problems.append(cell_problem(path.name, line, "-"))
        else:
            problems.append(Problem(path.name, line, "-", f"malformed CSV ({excerpt(str(exc))})"))
