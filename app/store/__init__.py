"""Graph stores: the only part of EcoMap that talks to a database."""

from __future__ import annotations

from app.errors import ConfigurationError
from app.settings import Settings
from app.store.base import GraphData, GraphStore, ProgressCallback, WriteSummary

__all__ = ["GraphData", "GraphStore", "ProgressCallback", "WriteSummary", "open_store"]


def open_store(settings: Settings, *, read_only: bool = False) -> GraphStore:
    """Open the store the settings name (``ECOMAP_BACKEND``), ready to use as a context manager."""
    if settings.backend == "embedded":
        from app.store.embedded import EmbeddedStore

        return EmbeddedStore.from_settings(settings, read_only=read_only)
    raise ConfigurationError(
        f"backend {settings.backend!r} is not available in this version; use 'embedded'"
    )
