"""Saved views (:mod:`app.services.views`): ``POST|GET /api/views``,
``GET|DELETE /api/views/{name}``.

A view is the explorer's state under a name: ``{"name", "filters", "options", "shared"}``
(options: ``color_by``, ``size_by``, ``layout``, ``selection``, ``tab``, ``positions``). It
belongs to the person who saves it (``anonymous`` while the server has no people; any role
may save, a viewer too); a private view is seen by its owner (and admins) alone, a shared one
by every reader. Only its owner or an admin deletes it. The answers depend on who asks, so an
unknown token is 401 here even where reads are open.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.api.deps import PersonDep, ServedDep, StoreDep
from app.api.models import ErrorOut, Filters, refuse_surrogates
from app.services import views
from app.services.view_options import View, ViewName, ViewOptions
from app.views import MAX_VIEW_NAME_LENGTH

__all__ = ["ViewIn", "router"]

router = APIRouter(prefix="/views", tags=["views"])

NamePath = Annotated[
    str, Path(min_length=1, max_length=MAX_VIEW_NAME_LENGTH, description="the view's name")
]
_NOT_FOUND: dict[int | str, dict[str, object]] = {404: {"model": ErrorOut}}


class ViewIn(BaseModel):
    """The body of ``POST /api/views``: the view's name (1 to 100 printable characters
    without ``/ \\ ? # %``), its filters (a FilterSpec, as ``POST /api/subgraph`` takes
    them), its options and whether every reader sees it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: ViewName
    filters: Filters = Field(default_factory=Filters, description="which organizations")
    options: ViewOptions = Field(
        default_factory=ViewOptions, description="colour, size, layout, selection, tab"
    )
    shared: bool = Field(False, description="every reader sees it (else its owner alone)")

    _valid_text = model_validator(mode="before")(refuse_surrogates)


@router.post(
    "",
    status_code=201,
    response_model=View,
    responses={
        200: {"model": View, "description": "one of your own views replaced"},
        409: {"model": ErrorOut, "description": "another person's view has this name"},
    },
)
def save_view(served: ServedDep, person: PersonDep, body: ViewIn, response: Response) -> View:
    """Save a view as yours: 201 for a new one, 200 when it replaces one of your own of the
    same name; 409 when the name is another person's view. Any role may save (401 for
    nobody where the server has people or a key)."""
    saved = views.save(
        served,
        person,
        body.name,
        filters=body.filters,
        options=body.options,
        shared=body.shared,
    )
    if not saved.created:
        response.status_code = 200
    return saved.view


@router.get("", response_model=list[View])
def list_views(store: StoreDep, person: PersonDep) -> list[View]:
    """The views you see, by name: yours and the shared ones (an admin: every view), each
    without its pinned positions (``pinned`` counts them; ``GET /api/views/{name}`` has
    them)."""
    return views.visible(store, person)


@router.get("/{name}", response_model=View, responses=_NOT_FOUND)
def get_view(store: StoreDep, person: PersonDep, name: NamePath) -> View:
    """One view, whole. 404 if there is none of this name, or it is another person's
    private view."""
    return views.resolve(store, name, person)


@router.delete("/{name}", response_model=View, responses=_NOT_FOUND)
def delete_view(served: ServedDep, person: PersonDep, name: NamePath) -> View:
    """Delete a view (its owner or an admin); the answer is the view deleted. 404 if you
    see none of this name, 403 if it is another person's shared view."""
    return views.delete(served, name, person)
