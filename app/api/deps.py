"""Typed dependencies: the settings, a store to read from, a store to write to, the API key.

A request that reads gets the store's read session (one committed state for the whole
request, see :meth:`~app.store.base.GraphStore.read_session`); one that writes gets a write
session (one transaction, committed before the answer is sent, one writer at a time) and,
when ``ECOMAP_API_KEY`` is set, needs the header ``X-API-Key``. Both sessions end with the
route function (``scope="function"``), so a failed commit is the request's answer.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from typing import Annotated, TypeVar

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from app.api.cache import ResultCache
from app.errors import StoreError
from app.settings import Settings
from app.store.base import GraphStore

T = TypeVar("T")

__all__ = [
    "API_KEY_HEADER",
    "CHANGE_HEADER",
    "AnalyticsDep",
    "AuthorDep",
    "Memo",
    "MemoDep",
    "ServedDep",
    "SettingsDep",
    "StoreDep",
    "WriterDep",
    "check_api_key",
    "get_served",
    "get_settings",
    "get_store",
    "get_writer",
    "require_api_key",
    "write_source",
]

API_KEY_HEADER = "X-API-Key"
_api_key_scheme = APIKeyHeader(
    name=API_KEY_HEADER,
    auto_error=False,
    description="Needed for writes when the server sets ECOMAP_API_KEY.",
)


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_served(request: Request) -> GraphStore:
    """The store the application serves."""
    store: GraphStore | None = getattr(request.app.state, "store", None)
    if store is None:
        raise StoreError("the store is not open (the application has not started)")
    return store


def get_cache(request: Request) -> ResultCache:
    cache: ResultCache = request.app.state.cache
    return cache


def get_analytics(request: Request) -> Executor | None:
    """The processes compiled analyses run in (None: in this one)."""
    executor: Executor | None = getattr(request.app.state, "analytics", None)
    return executor


SettingsDep = Annotated[Settings, Depends(get_settings)]
ServedDep = Annotated[GraphStore, Depends(get_served)]
AnalyticsDep = Annotated[Executor | None, Depends(get_analytics)]


def get_store(served: ServedDep) -> Iterator[GraphStore]:
    """A read session, for the length of the route function."""
    with served.read_session() as store:
        yield store


def check_api_key(settings: Settings, given: str | None) -> None:
    """Raise 401 unless no key is configured (unset or empty) or ``given`` is that key
    (compared in constant time)."""
    expected = settings.api_key.get_secret_value().encode() if settings.api_key else b""
    if not expected:
        return
    if given is None or not secrets.compare_digest(given.encode(), expected):
        detail = f"this operation needs a valid {API_KEY_HEADER} header"
        raise HTTPException(401, detail=detail, headers={"WWW-Authenticate": "APIKey"})


def require_api_key(
    settings: SettingsDep, api_key: Annotated[str | None, Security(_api_key_scheme)] = None
) -> None:
    """Writes need the API key when ``settings.api_key`` is set; reads never do."""
    check_api_key(settings, api_key)


def get_writer(
    served: ServedDep, _authorized: Annotated[None, Depends(require_api_key)]
) -> Iterator[GraphStore]:
    """A write session, for one writer at a time (after the API key check)."""
    with served.write_session() as store:
        yield store


def get_author(
    settings: SettingsDep, api_key: Annotated[str | None, Security(_api_key_scheme)] = None
) -> str:
    """Who a write through the API is recorded as: ``api-key`` for the holder of the API
    key, else ``anonymous`` (writes are open when no key is configured)."""
    return "api-key" if settings.api_key and api_key else "anonymous"


AuthorDep = Annotated[str, Depends(get_author)]

#: The response header naming the change set a write made.
CHANGE_HEADER = "X-EcoMap-Change"


def write_source(request: Request) -> str:
    """Where a write through the API comes from, for its change set: ``API PUT /api/...``."""
    return f"API {request.method} {request.url.path}"[:200]


class Memo:
    """Computes a read-only result once per store version, route and request body (see
    :mod:`app.api.cache`); the version is the read session's, so a write by any process
    makes a new key. The route is its template, not the URL: query parameters the route
    does not read cannot make new keys."""

    def __init__(self, cache: ResultCache, store: GraphStore, route: str) -> None:
        self._cache = cache
        self._store = store
        self._route = route

    def __call__(self, body: BaseModel | str, compute: Callable[[], T]) -> T:
        text = body if isinstance(body, str) else body.model_dump_json()
        key = (self._route, self._store.version(), text)
        return self._cache.get_or_compute(key, compute)


StoreDep = Annotated[GraphStore, Depends(get_store, scope="function")]
WriterDep = Annotated[GraphStore, Depends(get_writer, scope="function")]


def get_memo(
    cache: Annotated[ResultCache, Depends(get_cache)], store: StoreDep, request: Request
) -> Memo:
    route = request.scope.get("route")
    return Memo(cache, store, getattr(route, "path", request.url.path))


MemoDep = Annotated[Memo, Depends(get_memo)]
