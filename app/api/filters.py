"""FILTERS as query parameters, named like the CLI options (``?kind=company&sector=C29``).

List filters repeat (``?country=IT&country=FR``); the values are validated by
:class:`~app.filters.FilterSpec`, and its errors come back as 422 naming the parameter.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Annotated, Any, get_args, get_origin

from fastapi import Depends, Query
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from app.filters import FilterSpec
from app.vocabulary import RelType

__all__ = [
    "FILTER_PARAMETERS",
    "QueryFilters",
    "RelTypesQuery",
    "query_filters",
    "rel_types_query",
    "request_error",
]

#: FilterSpec field -> query parameter (the CLI option without its dashes).
FILTER_PARAMETERS: dict[str, str] = FilterSpec.parameters()


def request_error(
    exc: ValidationError, location: Sequence[str], names: dict[str, str] | None = None
) -> RequestValidationError:
    """A pydantic error as a 422 request error located at ``location`` + field name."""
    errors = []
    for err in exc.errors(include_url=False):
        cause = (err.get("ctx") or {}).get("error")
        field = getattr(cause, "column", None) or (str(err["loc"][0]) if err["loc"] else "")
        shown = (names or {}).get(field, field)
        loc = (*location, shown, *err["loc"][1:]) if shown else tuple(location)
        errors.append(
            {"loc": loc, "msg": err["msg"].removeprefix("Value error, "), "type": err["type"]}
        )
    return RequestValidationError(errors)


def _query_parameter(field: str, parameter: str) -> inspect.Parameter:
    """The query parameter of one FilterSpec field, typed as the field is (lists repeat)."""
    info = FilterSpec.model_fields[field]
    if get_origin(info.annotation) is list:
        kind: Any = list[str] | None
    else:
        kind = next(arg for arg in get_args(info.annotation) if arg is not type(None)) | None
    annotation = Annotated[kind, Query(description=info.description)]
    return inspect.Parameter(
        parameter, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation
    )


def query_filters(**given: Any) -> FilterSpec:
    """The FilterSpec of the query's FILTERS parameters (one per FilterSpec field)."""
    values = {field: given.get(parameter) for field, parameter in FILTER_PARAMETERS.items()}
    try:
        return FilterSpec.model_validate({k: v for k, v in values.items() if v is not None})
    except ValidationError as exc:
        raise request_error(exc, ("query",), FILTER_PARAMETERS) from None


query_filters.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
    [_query_parameter(field, parameter) for field, parameter in FILTER_PARAMETERS.items()],
    return_annotation=FilterSpec,
)


QueryFilters = Annotated[FilterSpec, Depends(query_filters)]


def rel_types_query(
    rel_type: Annotated[
        list[str] | None, Query(description="only these relationship types (repeatable)")
    ] = None,
) -> list[RelType]:
    """``?rel_type=SUPPLIES&rel_type=funds``: relationship types, any case."""
    try:
        return [RelType(value.strip().upper()) for value in rel_type or ()]
    except ValueError:
        allowed = ", ".join(t.value for t in RelType)
        error = {"loc": ("query", "rel_type"), "msg": f"use {allowed}", "type": "enum"}
        raise RequestValidationError([error]) from None


RelTypesQuery = Annotated[list[RelType], Depends(rel_types_query)]
