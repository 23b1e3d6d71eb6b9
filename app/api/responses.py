"""JSON answers built from the service layer's plain dicts, exactly as the CLI prints them.

Routes that return such dicts answer with :class:`ResultJSON` directly (their declared
``response_model`` documents the shape without re-validating large graphs). JSON has no NaN
or infinity: should a result hold one, it becomes ``null``.
"""

from __future__ import annotations

import json
import math
from typing import Any

from fastapi.responses import JSONResponse

__all__ = ["ResultJSON"]


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


class ResultJSON(JSONResponse):
    """``application/json`` in UTF-8, non-finite numbers as ``null``."""

    def render(self, content: Any) -> bytes:
        try:
            text = json.dumps(content, ensure_ascii=False, allow_nan=False)
        except ValueError:
            text = json.dumps(_finite(content), ensure_ascii=False, allow_nan=False)
        return text.encode("utf-8")
