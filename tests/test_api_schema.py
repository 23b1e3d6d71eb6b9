"""Property-based tests of the whole API from its own OpenAPI document (schemathesis): for
every operation, generated requests, valid and invalid, never get a 5xx, and every answer is
one the document declares: its status code, content type, headers and body schema.

Bounded (a few examples per operation, about a minute) in ``make test``; ``make fuzz``
(``ECOMAP_FUZZ=1``) runs many more.

The app serves its own copy of the sample (writes included: PUT, DELETE and import mutate
it), never the shared sample store.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.api import create_app
from app.services.sample import load_sample
from app.settings import Settings
from app.store.embedded import EmbeddedStore

_SETTINGS = Settings(api_key=None, max_upload_mb=1)
#: Examples per operation: bounded in ``make test``, long in ``make fuzz``.
FUZZ = bool(os.environ.get("ECOMAP_FUZZ"))
EXAMPLES = 300 if FUZZ else 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


class _Served:
    """The ASGI app under test, set by a fixture. Schemathesis loads the schema when this
    module is imported and keeps lifespans running until the process exits, so it gets this
    stand-in: lifespan messages are acknowledged here, requests go to the real app, whose
    store a fixture opens and closes."""

    app: FastAPI | None = None

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                else:
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        assert self.app is not None, "the _app fixture sets the app"
        await self.app(scope, receive, send)


SERVED = _Served()
schema = schemathesis.openapi.from_dict(create_app(_SETTINGS).openapi())
schema.app = SERVED
# The coverage phase (hundreds of boundary cases per operation) runs in `make fuzz` only.
schema.config.phases.coverage.enabled = FUZZ


@pytest.fixture(scope="module", autouse=True)
def _app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    path = tmp_path_factory.mktemp("schema") / "eco.lbug"
    with EmbeddedStore(path, buffer_pool_bytes=256 * 1024**2, max_db_size_bytes=8 * 1024**3) as s:
        load_sample(s)
        SERVED.app = create_app(_SETTINGS, store=s)
        try:
            yield
        finally:
            SERVED.app = None


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)
def test_answers_conform_to_the_schema(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS)
