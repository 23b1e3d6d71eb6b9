"""``POST /api/import``: the validated, atomic, idempotent import of ``ecomap import``.

One or two files as ``multipart/form-data`` (field ``files``): organizations then
relationships (CSV), or one .xlsx workbook or node-link .json file, or (``format=cordis``)
one CORDIS participations file (.csv or .csv.gz) and optionally a projects file (field
``projects``). The answer is the JSON of ``ecomap import --json``; with problems (and no
``valid_only``) nothing is written and the answer is 422 with every problem located as
``FILE:LINE: column: message``.

Like every write, an import is refused cross-site (see :mod:`app.api.guard`); being a
multipart form, it also needs the header ``X-EcoMap-CSRF`` (any value) or ``X-API-Key``. A file
can change any organization: an import needs an editor without clusters or an admin
(:func:`app.services.access.check_edit_all`, checked before the upload is read).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Header, UploadFile
from fastapi.exceptions import RequestValidationError

from app.api.deps import EditorDep, SettingsDep, WriterDep
from app.api.guard import CSRF_HEADER
from app.api.models import ErrorOut
from app.api.uploads import UploadRoute, saved_uploads
from app.ingest.validate import ImportMode
from app.results import ImportResult
from app.services import access
from app.services.importing import ImportFormat, import_files

__all__ = ["router"]

router = APIRouter(tags=["import"], route_class=UploadRoute)


@router.post(
    "/import",
    response_model=ImportResult,
    responses={
        403: {
            "model": ErrorOut,
            "description": f"no {CSRF_HEADER} or X-API-Key header, or a viewer or an editor "
            "limited to clusters (forbidden)",
        },
        413: {"model": ErrorOut},
        422: {"model": ErrorOut, "description": "invalid files: every problem, nothing written"},
    },
)
def import_data(
    store: WriterDep,
    person: EditorDep,
    settings: SettingsDep,
    files: Annotated[
        list[UploadFile],
        File(description="ORGS [RELS], one .xlsx / .json, or one CORDIS participations file"),
    ],
    fmt: Annotated[
        ImportFormat | None,
        Form(alias="format", description="input format (default: from the file names)"),
    ] = None,
    projects: Annotated[
        UploadFile | None,
        File(description="format=cordis: CORDIS projects file (programme parts become tags)"),
    ] = None,
    valid_only: Annotated[
        bool, Form(description="load the valid rows and report the others")
    ] = False,
    mode: Annotated[
        ImportMode,
        Form(
            description="merge: blank cells and absent columns keep the stored values; "
            "clear_empty: blank cells clear them; replace: whole records"
        ),
    ] = "merge",
    dry_run: Annotated[
        bool, Form(description="answer what would change, field by field; write nothing")
    ] = False,
    csrf: Annotated[
        str | None,
        Header(
            alias=CSRF_HEADER,
            description="any value: proves the upload is not a cross-site form (or send "
            "X-API-Key); without either the answer is 403",
        ),
    ] = None,
) -> ImportResult:
    """Validate the uploaded files and import them (``ecomap import``)."""
    access.check_edit_all(person)
    if not 1 <= len(files) <= 2:
        error = {"loc": ("body", "files"), "msg": "give one or two files", "type": "value_error"}
        raise RequestValidationError([error])
    uploads = [*files, *([projects] if projects is not None else [])]
    with saved_uploads(uploads) as paths:
        extra = paths[len(files)] if projects is not None else None
        report = import_files(
            store,
            paths[: len(files)],
            fmt=fmt,
            valid_only=valid_only,
            projects=extra,
            max_input_bytes=settings.max_input_bytes,
            mode=mode,
            dry_run=dry_run,
            author=person.name,
        )
    return report.answer(files=[path.name for path in paths])
