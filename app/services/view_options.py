"""What a saved view holds (:mod:`app.services.views` keeps them): its name, its options
(the map's colour, size, layout and node limit, the circles drilled into, the selected
organization, the open tab, pinned positions), the view as the API and the CLI show it, and
its explorer URL (:func:`link`).

Names are 1 to :data:`~app.views.MAX_VIEW_NAME_LENGTH` printable characters without
``/ \\ ? # %`` (a name is a path segment of ``/api/views/{name}``), not starting or ending
with a space. Option values are those of ``ecomap map`` (:data:`app.services.maps.COLOR_BY`,
:data:`~app.services.maps.SIZE_BY`, :data:`~app.services.maps.LAYOUTS`) and the explorer's
tabs (:data:`app.web.TABS`).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, computed_field, field_validator

from app.errors import InvalidInputError
from app.errors import excerpt as _excerpt
from app.fields import MAX_ID_LENGTH, check_id
from app.filters import FilterSpec
from app.services.maps import ColorBy, Layout, SizeBy
from app.views import MAX_VIEW_NAME_LENGTH
from app.web import TABS

__all__ = [
    "DEFAULT_OPTIONS",
    "MAX_DRAWN",
    "MAX_DRILL",
    "MAX_POSITIONS",
    "OPTION_PARAMETERS",
    "TAB_KEYS",
    "View",
    "ViewName",
    "ViewOptions",
    "check_view_name",
    "link",
]

#: The explorer's tabs, by key (:data:`app.web.TABS`).
TAB_KEYS: tuple[str, ...] = tuple(key for key, _ in TABS)
#: Most pinned positions a view keeps.
MAX_POSITIONS = 50_000
#: The largest node limit (``max_nodes``: above it a map aggregates), as ``POST /api/maps``.
MAX_DRAWN = 5000
#: Most circles drilled into, as ``POST /api/maps``.
MAX_DRILL = 8
#: Largest coordinate of a pinned position, either way.
_MAX_COORDINATE = 1e9
#: Each option's query parameter in the explorer's URL (the CLI's option names).
OPTION_PARAMETERS = {
    "color_by": "color-by",
    "size_by": "size-by",
    "layout": "layout",
    "max_nodes": "max-nodes",
    "drill": "drill",
    "selection": "org",
    "tab": "tab",
}


def check_view_name(name: str) -> str:
    """``name`` if it may name a view, else :class:`~app.errors.InvalidInputError`.

    Examples
    --------
    >>> check_view_name("Fashion, Italy (2026)")
    'Fashion, Italy (2026)'
    >>> for bad in ("", " x", "a/b", "x" * 101):
    ...     try:
    ...         check_view_name(bad)
    ...     except InvalidInputError:
    ...         print("refused")
    refused
    refused
    refused
    refused
    """
    if not 1 <= len(name) <= MAX_VIEW_NAME_LENGTH:
        raise InvalidInputError(f"a view's name has 1 to {MAX_VIEW_NAME_LENGTH} characters")
    if name != name.strip():
        raise InvalidInputError(
            f"a view's name does not start or end with a space: {_excerpt(name)}"
        )
    try:
        check_id(name)
    except ValueError as exc:
        message = str(exc).replace("valid id", "valid view name").replace("ids are", "names are")
        raise InvalidInputError(message) from None
    return name


def _name(value: str) -> str:
    """:func:`check_view_name` inside a model, which reports a ``ValueError``."""
    try:
        return check_view_name(value)
    except InvalidInputError as exc:
        raise ValueError(str(exc)) from None


#: A view's name, checked by :func:`check_view_name`.
ViewName = Annotated[str, AfterValidator(_name)]
Coordinate = Annotated[float, Field(allow_inf_nan=False, ge=-_MAX_COORDINATE, le=_MAX_COORDINATE)]
OrgId = Annotated[str, Field(min_length=1, max_length=MAX_ID_LENGTH)]
GroupId = Annotated[str, Field(min_length=1, max_length=MAX_ID_LENGTH)]


class ViewOptions(BaseModel):
    """How a view shows its organizations: the map's colour, size, layout and node limit
    (``max_nodes``; the values of ``ecomap map``), the circles of an aggregated map opened
    (``drill``, outermost first), the selected organization (``selection``, an id or
    ``null``), the open tab, and ``positions`` pinned on the map (id -> ``[x, y]``).
    Defaults: the explorer's."""

    model_config = ConfigDict(extra="forbid")

    color_by: ColorBy = "cluster"
    size_by: SizeBy = "degree"
    layout: Layout = "force"
    max_nodes: int = Field(1500, ge=1, le=MAX_DRAWN, description="above this many, aggregate")
    drill: list[GroupId] = Field(
        default_factory=list,
        max_length=MAX_DRILL,
        description="the circles of an aggregated map opened, outermost first",
    )
    selection: OrgId | None = Field(None, description="the selected organization's id")
    tab: str = Field("actors", description=f"the open tab: {', '.join(TAB_KEYS)}")
    positions: dict[OrgId, tuple[Coordinate, Coordinate]] = Field(
        default_factory=dict,
        max_length=MAX_POSITIONS,
        description="pinned node positions: organization id -> [x, y]",
    )

    @field_validator("tab")
    @classmethod
    def _known_tab(cls, value: str) -> str:
        if value not in TAB_KEYS:
            raise ValueError(f"use {', '.join(TAB_KEYS)}")
        return value


#: The options of a view that sets none.
DEFAULT_OPTIONS = ViewOptions()


def link(filters: FilterSpec, options: ViewOptions) -> str:
    """The explorer's URL of these filters and options: ``/?`` and the filters as query
    parameters named like the CLI options (a list repeats), then the options that are not
    the explorer's defaults (``color-by``, ``size-by``, ``layout``, ``max-nodes``, ``drill``
    repeated, ``org``, ``tab``).

    Examples
    --------
    >>> link(FilterSpec(clusters=["cl-x"], kinds=["company"]), ViewOptions(color_by="sector"))
    '/?kind=company&cluster=cl-x&color-by=sector'
    >>> link(FilterSpec(), DEFAULT_OPTIONS)
    '/'
    """
    pairs: list[tuple[str, str]] = []
    values = filters.model_dump(mode="json")
    for field, parameter in FilterSpec.parameters().items():
        value = values[field]
        for item in value if isinstance(value, list) else [value]:
            if item is not None:
                pairs.append((parameter, str(item)))
    for field, parameter in OPTION_PARAMETERS.items():
        value = getattr(options, field)
        if value is None or value == getattr(DEFAULT_OPTIONS, field):
            continue
        for item in value if isinstance(value, list) else [value]:
            pairs.append((parameter, str(item)))
    return "/?" + urlencode(pairs) if pairs else "/"


class View(BaseModel):
    """A saved view: its ``name``, ``owner``, whether it is ``shared`` with every reader, its
    ``filters`` and ``options``, how many positions it pins (``pinned``; a list of views
    leaves the positions themselves out), when it was saved first and last (UTC, ISO 8601),
    and its explorer ``link``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    owner: str
    shared: bool
    filters: FilterSpec
    options: ViewOptions
    pinned: int = Field(ge=0, description="how many positions the view pins")
    created_at: str
    updated_at: str

    @computed_field(description="the explorer's URL of the view (its path and query)")  # type: ignore[prop-decorator]
    @property
    def link(self) -> str:
        return link(self.filters, self.options)

    def summary(self) -> View:
        """The view without its pinned positions (``pinned`` still counts them)."""
        if not self.options.positions:
            return self
        options = self.options.model_copy(update={"positions": {}})
        return self.model_copy(update={"options": options})
