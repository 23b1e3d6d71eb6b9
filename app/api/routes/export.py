"""``GET /api/export``: everything in the store as a file download (``ecomap export``).

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
from app.services.export import write_export

__all__ = ["router"]

router = APIRouter(tags=["export"])

_FILES = {
    "graphml": ("ecomap.graphml", "application/graphml+xml"),
    "gexf": ("ecomap.gexf", "application/gexf+xml"),
    "json": ("ecomap.json", "application/json"),
    "csv": ("ecomap-csv.zip", "application/zip"),
}


@router.get(
    "/export",
    response_class=FileResponse,
    responses={200: {"content": {t: {} for _, t in _FILES.values()}}},
)
def export(
    store: StoreDep,
    fmt: Annotated[
        Literal["graphml", "gexf", "json", "csv"], Query(alias="format", description="file format")
    ],
) -> FileResponse:
    """Every organization and relationship as GraphML, GEXF, node-link JSON or a CSV zip."""
    data = store.export()
    folder = Path(tempfile.mkdtemp(prefix="ecomap-export-"))
    try:
        name, media_type = _FILES[fmt]
        target = folder / name
        if fmt == "csv":
            written = write_export(data, "csv", folder / "csv")
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
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )
