"""Request and response models of the HTTP API.

Request bodies reuse :class:`~app.filters.FilterSpec` and :class:`~app.domain.Organization`;
analytics bodies are ``{"filters": FilterSpec, ...}`` plus the CLI command's options as
fields (``--top`` is ``top``, ``--metric`` is ``metrics``, ``--from`` is ``from``, ...).
Responses have the shapes the CLI prints with ``--json``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.api.errors import ERROR_STATUSES
from app.domain import Organization
from app.filters import FilterSpec
from app.services.analyze import SEED_MAX, Grouping
from app.services.maps import Aggregation, ColorBy, Layout, SizeBy, View
from app.services.report import DEFAULT_TITLE
from graph_analytics.centrality import Metric
from graph_analytics.communities import Algorithm
from graph_analytics.links import LinkMethod

__all__ = [
    "ERROR_RESPONSES",
    "HTML_ERROR_RESPONSES",
    "MAX_PAGE",
    "MAX_TOP",
    "BrokerageRequest",
    "CentralityRequest",
    "CommunitiesRequest",
    "ErrorOut",
    "Filters",
    "HealthOut",
    "HealthRequest",
    "LinksRequest",
    "MapRequest",
    "OrganizationIn",
    "ReportRequest",
    "Seed",
    "refuse_surrogates",
]

#: Largest page of organizations one request returns.
MAX_PAGE = 1000
#: Largest ranking (``top``) an analysis returns.
MAX_TOP = 1000


#: A random seed, as every analysis and map takes it (``ecomap ... --seed`` has the same range).
Seed = Annotated[int, Field(ge=0, le=SEED_MAX, description=f"random seed, 0 to {SEED_MAX}")]


def _first_surrogate(value: Any, path: tuple[str, ...] = ()) -> tuple[str, ...] | None:
    """Where in a JSON value a text (or key) holds a lone surrogate, which no UTF-8 text can
    hold (``"\\ud800"`` in JSON); None if nowhere."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _first_surrogate(key, (*path, "(key)"))
            if found is not None:
                return found
            found = _first_surrogate(item, (*path, str(key)))
            if found is not None:
                return found
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = _first_surrogate(item, (*path, str(index)))
            if found is not None:
                return found
    return None


def refuse_surrogates(data: Any) -> Any:
    """``data`` unchanged, unless some text in it is not valid Unicode (ValueError, 422)."""
    where = _first_surrogate(data)
    if where is not None:
        field = ".".join(where) or "body"
        raise ValueError(f"{field}: the text holds a lone surrogate, which is not valid Unicode")
    return data


class Filters(FilterSpec):
    """:class:`~app.filters.FilterSpec` as a request body (its numbers are bounded to what the
    database takes by FilterSpec itself)."""

    _valid_text = model_validator(mode="before")(refuse_surrogates)


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")

    filters: Filters = Field(default_factory=Filters, description="which organizations")

    _valid_text = model_validator(mode="before")(refuse_surrogates)


class CentralityRequest(_Body):
    """``ecomap analyze centrality``."""

    metrics: list[Metric] = Field(default_factory=list, description="default: every metric")
    top: int = Field(10, ge=1, le=MAX_TOP, description="organizations per metric")
    k: int | None = Field(
        None, ge=2, description="betweenness from k sampled sources (default: exact up to 5,000)"
    )
    seed: Seed = Field(0, description=f"seed of the betweenness sample (0 to {SEED_MAX})")


class CommunitiesRequest(_Body):
    """``ecomap analyze communities``."""

    algorithm: Algorithm = "leiden"
    resolution: float = Field(1.0, ge=0.0, le=1e6, allow_inf_nan=False)
    seed: Seed = 0


class BrokerageRequest(_Body):
    """``ecomap analyze brokerage``."""

    group_by: Grouping = "clusters"
    top: int = Field(20, ge=1, le=MAX_TOP)
    seed: Seed = Field(0, description="seed of the communities (group_by community)")


class HealthRequest(_Body):
    """``ecomap analyze health``."""

    seed: Seed = 0


class LinksRequest(_Body):
    """``ecomap links``."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    org: str | None = Field(None, description="best new partners of this organization")
    method: LinkMethod = "ra"
    top: int = Field(20, ge=1, le=MAX_TOP)
    within_cluster: str | None = None
    from_groups: list[str] = Field(
        default_factory=list, alias="from", description="one end's kind or type, e.g. company"
    )
    to_groups: list[str] = Field(
        default_factory=list, alias="to", description="the other end's kind or type"
    )


class MapRequest(_Body):
    """``ecomap map`` (the page comes back as ``text/html``)."""

    color_by: ColorBy = "kind"
    size_by: SizeBy = "degree"
    layout: Layout = "force"
    max_nodes: int = Field(1500, ge=1, le=5000, description="above this many, aggregate")
    aggregate: Aggregation = "community"
    view: View = "network"
    labels: int = Field(25, ge=0, le=MAX_TOP, description="names always shown for the top N")
    seed: Seed = 0
    title: str = Field("EcoMap", max_length=200)
    include_clusters: bool = False
    drill: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default_factory=list,
        max_length=8,
        description="groups opened, outermost first: the circles' ids of an aggregated map",
    )


class ReportRequest(_Body):
    """``ecomap report`` (the page comes back as a ``text/html`` attachment)."""

    title: str = Field(DEFAULT_TITLE, min_length=1, max_length=200)
    top: int = Field(10, ge=1, le=100, description="rows per ranking")
    include_map: bool = Field(True, description="the map, interactive and for print")
    color_by: ColorBy = "cluster"
    size_by: SizeBy = "degree"
    layout: Layout = "force"
    seed: Seed = 0


class OrganizationIn(Organization):
    """The body of ``PUT /api/organizations/{id}``: an organization; ``id`` may be left out
    (it is the path's) and must equal the path's when given."""

    id: str | None = Field(None, min_length=1, max_length=200)  # type: ignore[assignment]

    _valid_text = model_validator(mode="before")(refuse_surrogates)

    @field_validator("id", "name")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        """Replaces Organization's check, which expects text: the route validates the final
        organization (this id or the path's) as an :class:`Organization`."""
        return value


class HealthOut(BaseModel):
    """``GET /api/health``."""

    status: Literal["ok"]
    backend: str


class ErrorOut(BaseModel):
    """Every error answer (422 for an import adds ``problems``, for a request ``errors``)."""

    model_config = ConfigDict(extra="allow")

    detail: Any
    type: str


#: Error answers any route may give (each route adds its own, e.g. 404), as OpenAPI
#: ``responses``.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": text} for status, text in ERROR_STATUSES.items()
}
#: The same for routes that answer HTML, whose errors are still JSON (FastAPI would document
#: a ``model`` in the route's own media type).
HTML_ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "description": text,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
    }
    for status, text in ERROR_STATUSES.items()
}
