"""Exceptions to JSON: every error answer is ``{"detail": ..., "type": ...}``, never a trace.

- :class:`~app.errors.NotFoundError`: 404 ``not_found``;
- :class:`~app.errors.ConflictError` (a PUT that would change an organization's kind): 409
  ``conflict``; :class:`~app.errors.VersionConflictError` (an ``If-Match`` that is not the
  stored version): 409 ``version_conflict``, with the record as stored now (``current``,
  ``null`` when deleted), its ``version`` and its ``ETag``;
- :class:`~app.errors.PreconditionRequiredError` (a write to a stored record without
  ``If-Match``): 428 ``precondition_required``;
- :class:`~app.errors.AuthenticationError` (no token where one is needed, or an unknown
  token or key): 401 ``unauthorized`` with ``WWW-Authenticate: Bearer``;
  :class:`~app.errors.PermissionDeniedError` (a role or a scope that does not allow it):
  403 ``forbidden``;
- :class:`~app.errors.ImportValidationError`: 422 ``invalid_import``, with ``problems``;
- ``RequestValidationError``: 422 ``invalid_request``, with ``errors``;
- ``HTTPException`` (413 upload, 404/405 routing, ...): its status, see ``_TYPES``;
- :class:`~app.errors.QueryTimeoutError` (a statement ran longer than
  ``ECOMAP_QUERY_TIMEOUT_S``): 504 ``query_timeout``;
- :class:`~app.errors.StoreBusyError` (another process holds the database for writing): 503
  ``store_busy``; :class:`~app.errors.StaleReadError` (a write committed during a Neo4j read
  session): 503 ``store_changed`` with ``Retry-After``;
- any other :class:`~app.errors.StoreError`, :class:`~app.errors.ConfigurationError`: 503
  ``store_unavailable`` with a generic message (the cause goes to the log);
- any other :class:`~app.errors.EcoMapError`: 400 ``bad_request``;
- :class:`~app.errors.BudgetExceededError` (an analysis larger than its work budget): 413
  ``budget_exceeded``;
- :class:`ServerBusyError` (every slot for heavy computations taken): 503 ``server_busy``
  with ``Retry-After``;
- :class:`~app.services.deadline.CancelledWorkError` (the client went away): 499, which no
  client reads;
- ``networkx.NetworkXException`` (an analysis undefined on the selected network, e.g.
  eigenvector centrality of a disconnected one): 422 ``analysis_failed``;
- anything else: 500 ``internal_error``, logged with its traceback, none in the body.

A PUT whose body names another id than its path is a request problem, not a conflict with
the stored state: 422 ``invalid_request``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

import networkx as nx
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from app.errors import (
    AuthenticationError,
    BudgetExceededError,
    ConfigurationError,
    ConflictError,
    EcoMapError,
    ImportValidationError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionRequiredError,
    QueryTimeoutError,
    StaleReadError,
    StoreBusyError,
    StoreError,
    VersionConflictError,
)
from app.services.deadline import CancelledWorkError

__all__ = [
    "ERROR_STATUSES",
    "RETRY_AFTER_S",
    "ConflictError",
    "ServerBusyError",
    "error_body",
    "install_error_handlers",
    "problem_json",
]

logger = logging.getLogger(__name__)

_TYPES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "upload_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    428: "precondition_required",
}


#: ``Retry-After`` of a 503 ``server_busy`` answer, in seconds.
RETRY_AFTER_S = 5

#: What each error status means, for the OpenAPI document of every route.
ERROR_STATUSES = {
    400: "bad request, or a Host that is not in ECOMAP_ALLOWED_HOSTS (invalid_host)",
    401: "no token where one is needed, or a token or X-API-Key nobody holds (unauthorized)",
    403: "a role or scope that does not allow this (forbidden), a cross-site write "
    "(cross_site) or an upload without its CSRF header (csrf_required)",
    404: "no such route, or no such organization (not_found)",
    413: "more work than a budget allows (budget_exceeded) or an upload over the limit",
    415: "a body that is not Content-Type: application/json",
    422: "invalid request (invalid_request, with errors)",
    503: "the store is unavailable or busy, or every heavy-computation slot is taken "
    "(server_busy, with Retry-After)",
    504: "longer than ECOMAP_QUERY_TIMEOUT_S (query_timeout)",
}


class ServerBusyError(EcoMapError):
    """Every slot for heavy computations is taken (503 ``server_busy``)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(
            f"the server is already computing {limit} heavy analyses or maps, its limit; "
            f"retry in {RETRY_AFTER_S} s (results already computed are served at once)"
        )


def error_body(detail: Any, error_type: str, **extra: Any) -> dict[str, Any]:
    """The JSON body of every error answer."""
    return {"detail": detail, "type": error_type, **extra}


def problem_json(problem: Any) -> dict[str, Any]:
    """One import problem, located like the CLI's ``FILE:LINE: column: message``."""
    return {
        "file": problem.file,
        "line": problem.line,
        "column": problem.column,
        "message": problem.message,
        "text": str(problem),
    }


class _ErrorJSON(JSONResponse):
    """Error bodies in ASCII JSON: any text they quote (even a lone surrogate) encodes."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, allow_nan=False).encode("ascii")


def _json(
    status: int, body: dict[str, Any], headers: Mapping[str, str] | None = None
) -> JSONResponse:
    return _ErrorJSON(status_code=status, content=jsonable_encoder(body), headers=headers)


async def _not_found(request: Request, exc: Exception) -> JSONResponse:
    return _json(404, error_body(str(exc), "not_found"))


async def _conflict(request: Request, exc: Exception) -> JSONResponse:
    return _json(409, error_body(str(exc), "conflict"))


async def _version_conflict(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, VersionConflictError)
    body = error_body(str(exc), "version_conflict", current=exc.current, version=exc.version)
    headers = {"ETag": f'"{exc.version}"'} if exc.version else None
    return _json(409, body, headers=headers)


async def _precondition_required(request: Request, exc: Exception) -> JSONResponse:
    return _json(428, error_body(str(exc), "precondition_required"))


async def _unauthorized(request: Request, exc: Exception) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"}
    return _json(401, error_body(str(exc), "unauthorized"), headers=headers)


async def _forbidden(request: Request, exc: Exception) -> JSONResponse:
    return _json(403, error_body(str(exc), "forbidden"))


async def _invalid_import(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ImportValidationError)
    problems = [problem_json(p) for p in exc.problems]
    detail = f"{len(problems)} problem(s) in the input; nothing was imported"
    return _json(422, error_body(detail, "invalid_import", problems=problems))


def _plain(value: Any) -> Any:
    """Validation error details as JSON-safe values (``ctx`` may hold exception objects)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _located(err: Mapping[str, Any]) -> dict[str, Any]:
    """``loc``, ``msg``, ``type``; a rule of several fields is placed on the field it names
    (``lat and lon must be given together`` on ``lon``), as the CLI reports it."""
    loc = list(_plain(err.get("loc", ())))
    column = getattr((err.get("ctx") or {}).get("error"), "column", None)
    if isinstance(column, str) and (not loc or loc[-1] != column):
        loc.append(column)
    message = str(err.get("msg", "")).removeprefix("Value error, ")
    return {"loc": loc, "msg": message, "type": str(err.get("type", ""))}


async def _invalid_request(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [_located(err) for err in exc.errors()]
    messages = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in errors
    )
    return _json(422, error_body(messages or "invalid request", "invalid_request", errors=errors))


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    error_type = _TYPES.get(exc.status_code, "http_error")
    return _json(exc.status_code, error_body(exc.detail, error_type), headers=exc.headers)


async def _unavailable(request: Request, exc: Exception) -> JSONResponse:
    logger.error("store failure on %s %s: %s", request.method, request.url.path, exc)
    detail = "the graph database is unavailable or refused the operation"
    return _json(503, error_body(detail, "store_unavailable"))


async def _query_timeout(request: Request, exc: Exception) -> JSONResponse:
    logger.warning("query timeout on %s %s: %s", request.method, request.url.path, exc)
    return _json(504, error_body(str(exc), "query_timeout"))


async def _stale_read(request: Request, exc: Exception) -> JSONResponse:
    logger.info("stale read on %s %s: %s", request.method, request.url.path, exc)
    return _json(503, error_body(str(exc), "store_changed"), headers={"Retry-After": "1"})


async def _store_busy(request: Request, exc: Exception) -> JSONResponse:
    logger.warning("store busy on %s %s: %s", request.method, request.url.path, exc)
    detail = "the graph database is busy: another process holds it for writing; try again later"
    return _json(503, error_body(detail, "store_busy"))


async def _budget_exceeded(request: Request, exc: Exception) -> JSONResponse:
    logger.info("over budget on %s %s: %s", request.method, request.url.path, exc)
    return _json(413, error_body(str(exc), "budget_exceeded"))


async def _server_busy(request: Request, exc: Exception) -> JSONResponse:
    logger.warning("busy on %s %s: %s", request.method, request.url.path, exc)
    headers = {"Retry-After": str(RETRY_AFTER_S)}
    return _json(503, error_body(str(exc), "server_busy"), headers=headers)


async def _cancelled(request: Request, exc: Exception) -> JSONResponse:
    logger.info("cancelled %s %s: %s", request.method, request.url.path, exc)
    return _json(499, error_body(str(exc), "cancelled"))


async def _bad_request(request: Request, exc: Exception) -> JSONResponse:
    return _json(400, error_body(str(exc), "bad_request"))


async def _analysis_failed(request: Request, exc: Exception) -> JSONResponse:
    logger.warning("analysis failed on %s %s: %s", request.method, request.url.path, exc)
    detail = f"the analysis cannot be computed on the selected network: {exc}"
    return _json(422, error_body(detail, "analysis_failed"))


async def _internal(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unexpected error on %s %s", request.method, request.url.path)
    return _json(500, error_body("internal server error", "internal_error"))


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers of the table above (the most specific class wins)."""
    app.add_exception_handler(NotFoundError, _not_found)
    app.add_exception_handler(ConflictError, _conflict)
    app.add_exception_handler(VersionConflictError, _version_conflict)
    app.add_exception_handler(PreconditionRequiredError, _precondition_required)
    app.add_exception_handler(AuthenticationError, _unauthorized)
    app.add_exception_handler(PermissionDeniedError, _forbidden)
    app.add_exception_handler(ImportValidationError, _invalid_import)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(QueryTimeoutError, _query_timeout)
    app.add_exception_handler(StoreBusyError, _store_busy)
    app.add_exception_handler(StaleReadError, _stale_read)
    app.add_exception_handler(StoreError, _unavailable)
    app.add_exception_handler(ConfigurationError, _unavailable)
    app.add_exception_handler(BudgetExceededError, _budget_exceeded)
    app.add_exception_handler(ServerBusyError, _server_busy)
    app.add_exception_handler(CancelledWorkError, _cancelled)
    app.add_exception_handler(EcoMapError, _bad_request)
    app.add_exception_handler(nx.NetworkXException, _analysis_failed)
    app.add_exception_handler(Exception, _internal)
