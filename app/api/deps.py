"""Typed dependencies: the settings, who is asking, a store to read from, a store to write to.

A request that reads gets the store's read session (one committed state for the whole
request, see :meth:`~app.store.base.GraphStore.read_session`); one that writes gets a write
session (one transaction, committed before the answer is sent, one writer at a time). Both
sessions end with the route function (``scope="function"``), so a failed commit is the
request's answer.

Who is asking (:func:`person_of`, :data:`PersonDep`): the person whose token comes as
``Authorization: Bearer TOKEN``, else the API key (header ``X-API-Key``, an admin), else
nobody (see :func:`app.services.people.identify`). Reads need a role only when
``ECOMAP_REQUIRE_AUTH_FOR_READS`` is set (:func:`require_reader`; otherwise credentials are
not even looked at); writes need an editor or an admin (:data:`WriterDep`,
:data:`EditorDep`), and the route checks the person's scope with
:func:`app.services.access.check_edit` in its write session.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from pydantic import BaseModel

from app.api.cache import ResultCache
from app.errors import StoreError
from app.services import access, people
from app.services.people import Person
from app.settings import Settings
from app.store.base import GraphStore

T = TypeVar("T")

__all__ = [
    "API_KEY_HEADER",
    "CHANGE_HEADER",
    "AnalyticsDep",
    "AuthorDep",
    "EditorDep",
    "Memo",
    "MemoDep",
    "PersonDep",
    "ServedDep",
    "SettingsDep",
    "StoreDep",
    "WriterDep",
    "cached_facets",
    "get_person",
    "get_served",
    "get_settings",
    "get_store",
    "get_writer",
    "person_of",
    "require_editor",
    "require_reader",
    "write_source",
]

API_KEY_HEADER = "X-API-Key"
_api_key_scheme = APIKeyHeader(
    name=API_KEY_HEADER,
    auto_error=False,
    description="ECOMAP_API_KEY, when the server sets one: an admin.",
)
_bearer_scheme = HTTPBearer(
    auto_error=False,
    description="A person's token, shown once by 'ecomap users add'.",
)
#: The credentials a route takes, declared for the OpenAPI document (read by person_of).
_Bearer = Annotated[HTTPAuthorizationCredentials | None, Security(_bearer_scheme)]
_Key = Annotated[str | None, Security(_api_key_scheme)]


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


def person_of(request: Request) -> Person:
    """Who sends the request (worked out once per request, then kept on it).

    Raises
    ------
    AuthenticationError
        If a bearer token or an ``X-API-Key`` is sent that nobody holds.
    """
    known: Person | None = getattr(request.state, "person", None)
    if known is not None:
        return known
    settings = get_settings(request)
    scheme, credentials = get_authorization_scheme_param(request.headers.get("authorization"))
    token = credentials if scheme.lower() == "bearer" and credentials else None
    key = settings.api_key.get_secret_value() if settings.api_key else None
    person = people.identify(
        get_served(request),
        token=token,
        key=request.headers.get(API_KEY_HEADER),
        expected_key=key,
        reads_need_token=settings.require_auth_for_reads,
    )
    request.state.person = person
    return person


def get_person(request: Request, _bearer: _Bearer = None, _key: _Key = None) -> Person:
    """The person asking (anonymous without credentials); 401 for unknown credentials."""
    return person_of(request)


PersonDep = Annotated[Person, Depends(get_person)]


def require_reader(
    request: Request, settings: SettingsDep, _bearer: _Bearer = None, _key: _Key = None
) -> None:
    """Reads need a person (any role) or the API key when ``ECOMAP_REQUIRE_AUTH_FOR_READS``
    is set; otherwise nothing is checked (credentials sent are not looked at)."""
    if settings.require_auth_for_reads:
        access.check_read(person_of(request))


def require_editor(person: PersonDep) -> Person:
    """The person asking, who must be an editor or an admin (401 nobody, 403 a viewer)."""
    access.check_write(person)
    return person


EditorDep = Annotated[Person, Depends(require_editor)]


def get_writer(served: ServedDep, _editor: EditorDep) -> Iterator[GraphStore]:
    """A write session, for one writer at a time (after the role check)."""
    with served.write_session() as store:
        yield store


def get_author(editor: EditorDep) -> str:
    """Who a write through the API is recorded as: the person's name, ``api-key`` for the
    holder of the API key, ``anonymous`` while writes are open to anyone."""
    return editor.name


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


def cached_facets(cache: ResultCache, store: GraphStore) -> dict[str, Any]:
    """The filter values of the whole data (:func:`app.services.facets.facets`), computed
    once per store version for every route that needs them (the explorer page, the map's
    colours)."""
    from app.services.facets import facets

    return Memo(cache, store, "facets")("facets", lambda: facets(store))
