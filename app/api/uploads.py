"""Uploads: a size limit enforced while the body streams in, and files saved under their names.

:class:`UploadRoute` checks who is asking (an import needs an editor without clusters or an
admin, see :func:`app.services.access.check_edit_all`) and the declared ``Content-Length``
before reading anything, then counts the bytes as the multipart parser pulls them and stops
with 413 as soon as they pass ``settings.max_upload_mb``: an oversized upload is never held
whole, in memory or on disk. (Starlette's parser spools each file to a temporary file above 1 MiB.)
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Coroutine, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path, PureWindowsPath
from typing import Any

import anyio.to_thread
from fastapi import Request, Response, UploadFile
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.types import Message, Receive

from app.api.deps import person_of
from app.errors import ImportValidationError, Problem
from app.services import access
from app.settings import Settings

__all__ = ["MAX_NAME_BYTES", "UploadRoute", "saved_uploads"]

_CHUNK = 1024 * 1024
#: Longest uploaded file name, in UTF-8 bytes (what file systems take).
MAX_NAME_BYTES = 255
#: Longest excerpt of a value quoted in a message.
_QUOTE = 80


def _too_large(limit: int) -> HTTPException:
    mib = limit / (1024 * 1024)
    return HTTPException(413, detail=f"the upload is larger than the limit of {mib:g} MiB")


def _limited(receive: Receive, limit: int) -> Receive:
    """``receive``, raising 413 once more than ``limit`` body bytes have arrived."""
    seen = 0

    async def limited_receive() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise _too_large(limit)
        return message

    return limited_receive


class UploadRoute(APIRoute):
    """A route whose body is an upload: who is asking first, then the size limit, then the
    body."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            settings: Settings = request.app.state.settings
            access.check_edit_all(await anyio.to_thread.run_sync(person_of, request))
            limit = settings.max_upload_bytes
            declared = request.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise _too_large(limit)
            return await handler(Request(request.scope, _limited(request.receive, limit)))

        return guarded


def _safe_name(filename: str | None, position: int) -> str:
    """The uploaded file's own name, without any folder part."""
    name = PureWindowsPath(Path(filename or "").name).name.strip()
    where = f"upload #{position}"
    if not name or name in (".", "..") or "\x00" in name:
        raise ImportValidationError(
            [Problem(where, 0, "-", "every uploaded file needs a file name")]
        )
    shown = name[:_QUOTE].encode("utf-8", "backslashreplace").decode("utf-8")
    try:
        size = len(name.encode("utf-8"))
    except UnicodeEncodeError:
        message = f"the file name {shown!r} is not valid Unicode"
        raise ImportValidationError([Problem(where, 0, "filename", message)]) from None
    if size > MAX_NAME_BYTES:
        message = f"the file name is {size} bytes long, more than {MAX_NAME_BYTES}: {shown!r}..."
        raise ImportValidationError([Problem(where, 0, "filename", message)])
    return name


@contextmanager
def saved_uploads(files: Sequence[UploadFile]) -> Iterator[list[Path]]:
    """Copy the uploads into a temporary folder under their original names (so validation
    messages name them); remove the folder afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="ecomap-upload-"))
    try:
        paths: list[Path] = []
        for position, upload in enumerate(files, start=1):
            name = _safe_name(upload.filename, position)
            path = folder / name
            if path in paths:
                raise ImportValidationError(
                    [Problem(name, 0, "-", "two uploaded files have the same name")]
                )
            with path.open("wb") as out:
                shutil.copyfileobj(upload.file, out, _CHUNK)
            paths.append(path)
        yield paths
    finally:
        shutil.rmtree(folder, ignore_errors=True)
