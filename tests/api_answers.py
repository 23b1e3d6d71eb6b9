"""What the API tests check of an error answer: its status, its JSON ``type``, no trace."""

from __future__ import annotations

from typing import Any


def refused(response: Any, status: int, error_type: str) -> dict[str, Any]:
    """The JSON body of ``response``, after checking it is the error answer expected."""
    assert response.status_code == status, (response.status_code, response.text)
    body: dict[str, Any] = response.json()
    assert body["type"] == error_type, body
    assert "Traceback" not in response.text
    return body


def post_scope(path: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    """The ASGI scope of ``POST path``, for tests that drive the app's receive/send by hand
    (a client that goes away, a body that arrives in chunks)."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        "client": ("test", 1),
        "server": ("test", 80),
    }
