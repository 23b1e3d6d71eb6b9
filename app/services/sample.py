"""The bundled, fictional sample ecosystem (``app/sample/``)."""

from __future__ import annotations

import csv
from pathlib import Path

from app.errors import EcoMapError
from app.services.importing import ImportReport, Progress, import_files
from app.store.base import GraphStore

__all__ = ["SAMPLE_DIR", "load_sample", "other_organizations", "sample_paths"]

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "sample"


def sample_paths() -> list[Path]:
    """The sample's ``organizations.csv`` and ``relationships.csv``."""
    return [SAMPLE_DIR / "organizations.csv", SAMPLE_DIR / "relationships.csv"]


def other_organizations(store: GraphStore) -> int:
    """How many stored organizations are not the sample's (``ecomap demo`` refuses to mix
    the fictional sample into a database that holds other data unless told to)."""
    with sample_paths()[0].open(encoding="utf-8", newline="") as handle:
        sample_ids = {row["id"] for row in csv.DictReader(handle)}
    return len(store.organization_kinds().keys() - sample_ids)


def load_sample(store: GraphStore, *, progress: Progress | None = None) -> ImportReport:
    """Import the sample ecosystem (idempotent: loading it twice changes nothing)."""
    missing = [str(path) for path in sample_paths() if not path.is_file()]
    if missing:
        raise EcoMapError(f"the bundled sample ecosystem is missing: {', '.join(missing)}")
    return import_files(store, sample_paths(), progress=progress, author="ecomap demo")
