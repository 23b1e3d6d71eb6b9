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
