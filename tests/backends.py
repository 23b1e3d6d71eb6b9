"""A fresh store of either backend for the tests that run on both (the Neo4j one on the test
server of conftest's ``neo4j_server``, emptied before and after)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from neo4j_server import fresh_store

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
