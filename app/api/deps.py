"""Typed dependencies: the settings, a store to read from, a store to write to, the API key.

Reads get a store per request (with LadybugDB, a pooled connection inside one read-only
transaction, see :mod:`app.api.guard`); writes get the store under the write lock and, when
``ECOMAP_API_KEY`` is set, need the header ``X-API-Key``.
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

from app.api.guard import StoreAccess
from app.errors import StoreError
from app.settings import Settings
from app.store.base import GraphStore

T = TypeVar("T")

__all__ = [
    "API_KEY_HEADER",
    "AccessDep",
    "AnalyticsDep",
    "Memo",
    "MemoDep",
    "SettingsDep",
    "StoreDep",
    "WriterDep",
    "check_api_key",
    "get_access",
    "get_settings",
    "get_store",
    "get_writer",
    "require_api_key",
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


def get_access(request: Request) -> StoreAccess:
    access: StoreAccess | None = getattr(request.app.state, "access", None)
    if access is None:
        raise StoreError("the store is not open (the application has not started)")
    return access


def get_analytics(request: Request) -> Executor | None:
    """The processes compiled analyses run in (None: in this one)."""
    executor: Executor | None = getattr(request.app.state, "analytics", None)
    return executor


SettingsDep = Annotated[Settings, Depends(get_settings)]
AccessDep = Annotated[StoreAccess, Depends(get_access)]
AnalyticsDep = Annotated[Executor | None, Depends(get_analytics)]


def get_store(access: AccessDep) -> Iterator[GraphStore]:
    """A store to read from, for the length of the request."""
    with access.read() as store:
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
    access: AccessDep, _authorized: Annotated[None, Depends(require_api_key)]
) -> Iterator[GraphStore]:
    """The store, for one writer at a time (after the API key check)."""
    with access.write() as store:
        yield store


class Memo:
    """Computes a read-only result once per store generation, route and request body (see
    :mod:`app.api.cache`)."""

    def __init__(self, access: StoreAccess, route: str) -> None:
        self._access = access
        self._route = route

    def __call__(self, body: BaseModel, compute: Callable[[], T]) -> T:
        key = (self._route, self._access.generation, body.model_dump_json())
        return self._access.cache.get_or_compute(key, compute)


def get_memo(access: AccessDep, request: Request) -> Memo:
    return Memo(access, f"{request.url.path}?{request.url.query}")


StoreDep = Annotated[GraphStore, Depends(get_store)]
MemoDep = Annotated[Memo, Depends(get_memo)]
WriterDep = Annotated[GraphStore, Depends(get_writer)]
