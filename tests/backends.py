"""A fresh store of either backend for the tests that run on both (the Neo4j one on the test
server of conftest's ``neo4j_server``, emptied before and after)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from neo4j_server import fresh_store

from app.services.importing import import_files
from app.store.base import GraphStore
from app.store.embedded import EmbeddedStore

BACKENDS = ("embedded", "neo4j")
#: 256 MiB: the embedded buffer pool of the parity suite.
SMALL = {"buffer_pool_bytes": 256 * 1024**2, "max_db_size_bytes": 8 * 1024**3}


@contextmanager
def backend_store(
    request: pytest.FixtureRequest, backend: str, folder: Path, **options: Any
) -> Iterator[GraphStore]:
    """An empty store of ``backend``; ``options`` are store settings (``batch_size``)."""
    if backend == "embedded":
        with EmbeddedStore(folder / "store.lbug", **SMALL, **options) as store:
            yield store
        return
    with fresh_store(request.getfixturevalue("neo4j_server"), **options) as store:
        yield store


@contextmanager
def tiny_store(request: pytest.FixtureRequest, backend: str, folder: Path) -> Iterator[GraphStore]:
    """:func:`backend_store` with conftest's tiny ecosystem imported (change set 1; cluster
    ``mech`` with members ``acme`` and ``polito``)."""
    from conftest import TINY_ORGANIZATIONS, TINY_RELATIONSHIPS

    files = [folder / "organizations.csv", folder / "relationships.csv"]
    for path, text in zip(files, (TINY_ORGANIZATIONS, TINY_RELATIONSHIPS), strict=True):
        path.write_text(text.lstrip("\n"), encoding="utf-8")
    with backend_store(request, backend, folder) as store:
        import_files(store, files)
        yield store
