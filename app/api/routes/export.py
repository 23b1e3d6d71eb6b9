"""``GET /api/export``: the store, all or the part matching FILTERS, as a file download
(``ecomap export``).

``csv`` is the canonical pair ``organizations.csv`` + ``relationships.csv``, sent as one zip.
The file is written to a temporary folder, streamed, then removed.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from app.api.deps import StoreDep
from app.api.filters import QueryFilters
from app.services.export import export_data, write_export

__all__ = ["TRUNCATED_HEADER", "router"]

router = APIRouter(tags=["export"])

#: Set to ``true`` when the filtered export was cut at the node cap.
TRUNCATED_HEADER = "X-EcoMap-Truncated"

_FILES = {
    "graphml": ("ecomap.graphml", "application/graphml+xml"),
    "gexf": ("ecomap.gexf", "application/gexf+xml"),
    "json": ("ecomap.json", "application/json"),
    "csv": ("ecomap-csv.zip", "application/zip"),
}


@router.get(
    "/export",
    response_class=FileResponse,
    responses={
        200: {
            "content": {t: {} for _, t in _FILES.values()},
            "headers": {
                TRUNCATED_HEADER: {
                    "description": "true when more organizations matched the filters than the "
                    "node cap and only the first (by id) were exported",
                    "schema": {"type": "string", "enum": ["true"]},
                }
            },
        }
    },
)
def export(
    store: StoreDep,
    fmt: Annotated[
        Literal["graphml", "gexf", "json", "csv"], Query(alias="format", description="file format")
    ],
    spec: QueryFilters,
) -> FileResponse:
    """The organizations and relationships, all or those matching the filters (the query
    parameters of ``GET /api/organizations``), as GraphML, GEXF, node-link JSON or a CSV zip.

    A filtered export also holds the clusters its organizations are members of, with their
    MEMBER_OF relationships, so it imports back on its own; ``rel_type`` restricts the other
    relationships.
    """
    selection = export_data(store, spec)
    data = selection.data
    folder = Path(tempfile.mkdtemp(prefix="ecomap-export-"))
    try:
        name, media_type = _FILES[fmt]
        target = folder / name
        if fmt == "csv":
            whole = store if selection.whole else None
            written = write_export(data, "csv", folder / "csv", history=whole)
            with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for path in written:
                    archive.write(path, arcname=path.name)
        else:
            write_export(data, fmt, target)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(
        target,
        media_type=media_type,
        filename=name,
        headers={TRUNCATED_HEADER: "true"} if selection.truncated else None,
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )
