"""FILTERS as query parameters, named like the CLI options (``?kind=company&sector=C29``).

List filters repeat (``?country=IT&country=FR``); the values are validated by
:class:`~app.domain.FilterSpec`, and its errors come back as 422 naming the parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import Depends, Query
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from app.domain import FilterSpec
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
FILTER_PARAMETERS = {
    "kinds": "kind",
    "types": "type",
    "sectors": "sector",
    "regions": "region",
    "countries": "country",
    "clusters": "cluster",
    "tags": "tag",
    "rel_types": "rel_type",
    "min_employees": "min_employees",
    "max_employees": "max_employees",
    "founded_from": "founded_from",
    "founded_to": "founded_to",
    "search": "search",
}

_List = Annotated[list[str] | None, Query()]
_Year = Annotated[int | None, Query(ge=-(2**63 - 1), le=2**63 - 1)]
_Count = Annotated[int | None, Query(ge=0, le=2**63 - 1)]


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


def query_filters(
    kind: _List = None,
    type: _List = None,
    sector: _List = None,
    region: _List = None,
    country: _List = None,
    cluster: _List = None,
    tag: _List = None,
    rel_type: _List = None,
    min_employees: _Count = None,
    max_employees: _Count = None,
    founded_from: _Year = None,
    founded_to: _Year = None,
    search: Annotated[str | None, Query(max_length=500)] = None,
) -> FilterSpec:
    """The FilterSpec of the query's FILTERS parameters."""
    given = {
        "kinds": kind,
        "types": type,
        "sectors": sector,
        "regions": region,
        "countries": country,
        "clusters": cluster,
        "tags": tag,
        "rel_types": rel_type,
        "min_employees": min_employees,
        "max_employees": max_employees,
        "founded_from": founded_from,
        "founded_to": founded_to,
        "search": search,
    }
    try:
        return FilterSpec.model_validate({k: v for k, v in given.items() if v is not None})
    except ValidationError as exc:
        raise request_error(exc, ("query",), FILTER_PARAMETERS) from None


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
