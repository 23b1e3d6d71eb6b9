"""Browser-facing safety: no DNS rebinding, no cross-site writes, with or without an API key.

:class:`BrowserGuard` wraps the whole application and refuses, before any route runs:

- a request whose ``Host`` is not one of ``ECOMAP_ALLOWED_HOSTS`` (the port is ignored,
  ``[::1]`` is ``::1``; ``ecomap serve --host X`` adds ``X``; ``*`` allows any): 400
  ``invalid_host``. A page on ``evil.example`` that rebinds its name to 127.0.0.1 sends
  ``Host: evil.example`` and reads nothing;
- a state-changing request (POST, PUT, PATCH, DELETE) that a browser marks as cross-site
  (``Sec-Fetch-Site: cross-site``, or ``same-site`` from an origin not allowed) or whose
  ``Origin`` is neither the server's own nor an allowed host (``Origin: null`` included):
  403 ``cross_site``;
- a state-changing request with a body that a cross-site page could send without a CORS
  preflight: the JSON routes need ``Content-Type: application/json`` (else 415
  ``unsupported_media_type``), and ``multipart/form-data`` (``POST /api/import``) needs a
  CSRF proof, one of the headers in :data:`CSRF_HEADERS` with any non-empty value
  (``X-EcoMap-CSRF: 1``, or the ``X-API-Key``), which a cross-site form cannot send and a
  cross-site script cannot send without a preflight the server never grants (else 403
  ``csrf_required``).

Requests without ``Origin`` or ``Sec-Fetch-*`` headers (curl, scripts) pass those checks;
browsers always send them on cross-origin writes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.errors import error_body

__all__ = ["CSRF_HEADER", "CSRF_HEADERS", "UNSAFE_METHODS", "BrowserGuard", "host_name"]

#: The header the explorer page sends with every request (any non-empty value).
CSRF_HEADER = "X-EcoMap-CSRF"
#: Headers any one of which proves a multipart request was not sent by a cross-site form.
CSRF_HEADERS = (CSRF_HEADER, "X-API-Key")
#: Methods that may change what is stored.
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

_JSON_TYPES = ("application/json",)


def host_name(value: str) -> str:
    """The host of a ``Host`` header or of a URL's netloc, lower case, without port or
    IPv6 brackets.

    Examples
    --------
    >>> host_name("LocalHost:8000"), host_name("[::1]:8000"), host_name("::1")
    ('localhost', '::1', '::1')
    """
    value = value.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    if value.count(":") == 1:
        return value.partition(":")[0]
    return value.rstrip(".")


class BrowserGuard:
    """ASGI middleware enforcing the module's rules; ``allowed_hosts`` as in the settings."""

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str]) -> None:
        self.app = app
        hosts = {host_name(h) for h in allowed_hosts if h.strip()}
        self.any_host = "*" in hosts
        self.allowed_hosts = frozenset(hosts - {"*"})

    def _host_allowed(self, host: str) -> bool:
        return self.any_host or host_name(host) in self.allowed_hosts

    def _refusal(self, scope: Scope) -> tuple[int, str, str] | None:
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        if not self._host_allowed(host):
            shown = host[:80]
            return 400, f"the Host {shown!r} is not served (ECOMAP_ALLOWED_HOSTS)", "invalid_host"
        if scope.get("method", "GET").upper() not in UNSAFE_METHODS:
            return None
        origin = headers.get("origin")
        site = headers.get("sec-fetch-site", "").strip().lower()
        if origin is not None:
            netloc = urlsplit(origin.strip()).netloc if origin.strip() != "null" else ""
            same = bool(netloc) and netloc.lower() == host.strip().lower()
            if not same and not (netloc and self._host_allowed(netloc)):
                return 403, f"cross-site request refused (Origin {origin[:80]!r})", "cross_site"
        if site == "cross-site" or (site == "same-site" and origin is None):
            return 403, "cross-site request refused (Sec-Fetch-Site)", "cross_site"
        if self._has_body(headers):
            media = headers.get("content-type", "").split(";")[0].strip().lower()
            if media == "multipart/form-data":
                if not any(headers.get(name, "").strip() for name in CSRF_HEADERS):
                    names = " or ".join(CSRF_HEADERS)
                    detail = f"an upload needs the header {names} (for example {CSRF_HEADER}: 1)"
                    return 403, detail, "csrf_required"
            elif media not in _JSON_TYPES and not media.endswith("+json"):
                detail = "the body must be JSON sent as Content-Type: application/json"
                return 415, detail, "unsupported_media_type"
        return None

    @staticmethod
    def _has_body(headers: Headers) -> bool:
        if headers.get("transfer-encoding"):
            return True
        return headers.get("content-length", "").strip() not in ("", "0")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if refusal is None:
            await self.app(scope, receive, send)
            return
        status, detail, kind = refusal
        body = json.dumps(error_body(detail, kind)).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
