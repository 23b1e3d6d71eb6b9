"""Saved views: a named explorer state (filters, colour, size, layout, selected organization,
open tab, pinned positions) that reopens exactly, private or shared with the team.

- :func:`save` stores a view under a name, owned by the person saving it; saving a name of
  one's own again replaces it, a name another person's view holds is a
  :class:`~app.errors.ConflictError`. Any role may save (a view is no edit of the ecosystem:
  :func:`app.services.access.check_view_write`);
- :func:`visible` lists the views a person sees (their own and the shared ones; an admin,
  every view), without their pinned positions; :func:`resolve` is one view, whole;
  :func:`delete` forgets one (its owner or an admin);
- :func:`combine` is the rule of a command that takes a view and FILTERS (``ecomap map
  --view NAME --kind company``): a filter given replaces the view's filter of the same name,
  the view's other filters stay; :func:`link` is the explorer's URL of a view.

What a view holds, and the rules of its name, are :mod:`app.services.view_options`'s. A
name is unique in the store, case sensitive. Views are not change sets: they say nothing
about the ecosystem. Each save or delete is one transaction and changes the store's version.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from app.errors import ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError
from app.errors import excerpt as _excerpt
from app.filters import FilterSpec
from app.services import access
from app.services.freshness import timestamp
from app.services.people import Person
from app.services.view_options import View, ViewOptions, check_view_name, link
from app.store.base import GraphStore
from app.views import MAX_VIEW_TEXT_LENGTH, ViewRecord

__all__ = [
    "MAX_FILTER_TEXT_LENGTH",
    "MAX_VIEWS_PER_OWNER",
    "Saved",
    "View",
    "ViewOptions",
    "combine",
    "delete",
    "link",
    "resolve",
    "save",
    "visible",
]

logger = logging.getLogger(__name__)

#: Longest JSON text of a view's filters.
MAX_FILTER_TEXT_LENGTH = 64 * 1024
#: Most views one person keeps.
MAX_VIEWS_PER_OWNER = 200


class Saved(BaseModel):
    """What :func:`save` did: the view as stored, and whether it is new (else it replaced
    one of the person's own)."""

    view: View
    created: bool


# -- records ---------------------------------------------------------------------------------------


def _lenient(model: type[BaseModel], data: Any) -> BaseModel:
    """``data`` as ``model``; what no longer validates (a view saved before a filter or a tab
    was renamed) is left out, field by field, rather than hiding the whole view."""
    if not isinstance(data, dict):
        return model()
    known = {k: v for k, v in data.items() if k in model.model_fields}
    try:
        return model.model_validate(known)
    except ValidationError:
        kept = {}
        for key, value in known.items():
            try:
                model.model_validate({key: value})
            except ValidationError:
                logger.warning("a saved view's %s %s no longer validates", key, _excerpt(value))
                continue
            kept[key] = value
        try:
            return model.model_validate(kept)
        except ValidationError:
            return model()


def _view(record: ViewRecord) -> View:
    filters = _lenient(FilterSpec, json.loads(record.filters))
    options = _lenient(ViewOptions, json.loads(record.display))
    assert isinstance(filters, FilterSpec) and isinstance(options, ViewOptions)
    return View(
        name=record.name,
        owner=record.owner,
        shared=record.shared,
        filters=filters,
        options=options,
        pinned=len(options.positions),
        created_at=record.created_at,
        updated_at=record.updated_at,
    )


def _texts(filters: FilterSpec, options: ViewOptions) -> tuple[str, str]:
    """The JSON texts a store keeps, within their bounds (else ``InvalidInputError``)."""
    filters_text = filters.model_dump_json(exclude_defaults=True)
    if len(filters_text) > MAX_FILTER_TEXT_LENGTH:
        raise InvalidInputError(
            f"a view's filters take at most {MAX_FILTER_TEXT_LENGTH:,} characters as JSON, "
            f"not {len(filters_text):,}"
        )
    options_text = options.model_dump_json()
    if len(options_text) > MAX_VIEW_TEXT_LENGTH:
        raise InvalidInputError(
            f"a view's options take at most {MAX_VIEW_TEXT_LENGTH:,} characters as JSON, "
            f"not {len(options_text):,} (pin fewer positions)"
        )
    return filters_text, options_text


# -- the service -----------------------------------------------------------------------------------


def save(
    store: GraphStore,
    person: Person,
    name: str,
    *,
    filters: FilterSpec | None = None,
    options: ViewOptions | None = None,
    shared: bool = False,
) -> Saved:
    """Save a view as ``person`` (its owner), in one write transaction.

    Parameters
    ----------
    store : GraphStore
        A store open for writing (or its write session).
    person : Person
        Who saves it: any role (``AuthenticationError`` for nobody).
    name : str
        The view's name (:func:`check_view_name`); a view of the person's own of this name is
        replaced (its creation time kept).
    filters, options : FilterSpec, ViewOptions, optional
        What the view selects and how it shows it (default: nothing filtered, the explorer's
        options).
    shared : bool
        Whether every reader sees it (else only its owner, and admins).

    Returns
    -------
    Saved
        The view as stored, and whether it is new.

    Raises
    ------
    ConflictError
        If another person's view has this name.
    InvalidInputError
        If the name breaks the rules, the view is over its size bounds, or the person keeps
        :data:`MAX_VIEWS_PER_OWNER` views already.
    """
    access.check_view_write(person)
    check_view_name(name)
    filters_text, options_text = _texts(filters or FilterSpec(), options or ViewOptions())
    now = timestamp()
    with store.write_session() as writer:
        existing = writer.saved_view(name)
        if existing is not None and existing.owner != person.name:
            raise ConflictError(
                f"the name {_excerpt(name)} is taken by another person's view: choose another"
            )
        if existing is None:
            own = sum(1 for record in writer.saved_views() if record.owner == person.name)
            if own >= MAX_VIEWS_PER_OWNER:
                raise InvalidInputError(
                    f"{person.name} keeps {own} views already, the most one person may: "
                    "delete one first"
                )
        record = ViewRecord(
            name=name,
            owner=person.name,
            shared=shared,
            filters=filters_text,
            display=options_text,
            created_at=existing.created_at if existing is not None else now,
            updated_at=now,
        )
        writer.save_view(record)
    verb = "saved" if existing is None else "replaced"
    logger.info("view %s %s by %s", _excerpt(name), verb, person.name)
    return Saved(view=_view(record), created=existing is None)


def visible(store: GraphStore, person: Person) -> list[View]:
    """The views ``person`` sees, by name, without their pinned positions: their own and the
    shared ones (an admin sees every view)."""
    return [
        _view(record).summary()
        for record in store.saved_views()
        if access.may_see_view(person, record.owner, record.shared)
    ]


def resolve(store: GraphStore, name: str, person: Person) -> View:
    """The view ``name``, whole, as ``person`` may see it (``ecomap map --view NAME``,
    ``ecomap report --view NAME``, ``GET /api/views/{name}``).

    Raises
    ------
    NotFoundError
        If there is no view of this name, or it is another person's private view (not
        revealed as existing).
    """
    record = store.saved_view(name)
    if record is None or not access.may_see_view(person, record.owner, record.shared):
        raise NotFoundError(f"no saved view named {_excerpt(name)}")
    return _view(record)


def delete(store: GraphStore, name: str, person: Person) -> View:
    """Forget the view ``name`` (its owner or an admin), in one write transaction; returns it.

    Raises
    ------
    AuthenticationError
        For nobody (no role).
    NotFoundError
        If ``person`` sees no view of this name.
    PermissionDeniedError
        If it is another person's shared view and ``person`` is no admin.
    """
    access.check_view_write(person)
    with store.write_session() as writer:
        view = resolve(writer, name, person)
        if not access.may_delete_view(person, view.owner):
            raise PermissionDeniedError(
                f"the view {_excerpt(name)} is {view.owner}'s: only its owner or an admin "
                "deletes it"
            )
        writer.delete_view(name)
    logger.info("view %s deleted by %s", _excerpt(name), person.name)
    return view


def combine(base: FilterSpec, given: FilterSpec) -> FilterSpec:
    """The filters of a view (``base``) with FILTERS given beside it: each filter ``given``
    sets replaces the view's of the same name; the view's others stay (``InvalidInputError``
    if the two make a range upside down).

    Examples
    --------
    >>> view = FilterSpec(clusters=["cl-x"], kinds=["company"])
    >>> both = combine(view, FilterSpec(kinds=["institution"], countries=["IT"]))
    >>> both.clusters, [k.value for k in both.kinds], both.countries
    (['cl-x'], ['institution'], ['IT'])
    """
    values: dict[str, Any] = base.model_dump()
    values.update(_given(given.model_dump()))
    try:
        return FilterSpec.model_validate(values)
    except ValidationError as exc:
        message = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
        raise InvalidInputError(f"the view's filters and those given: {message}") from None


def _given(values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None and value != []}
