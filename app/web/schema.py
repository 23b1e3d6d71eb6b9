"""What the explorer's edit forms offer, derived from the record models.

The page's script builds its forms from this description (embedded in the page as JSON)
instead of a field list of its own: the fields of :class:`app.domain.Organization` in
order, what input each needs, its caps from :mod:`app.fields`, the kinds, and which
relationship types may connect which kinds (:data:`app.vocabulary.ENDPOINTS`). The server
still checks everything a form sends, with the import's rules; the description only says
what to ask for.
"""

from __future__ import annotations

import types
from enum import Enum
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from app.domain import Organization, Relationship
from app.fields import LIST_SEPARATOR, MAX_LIST_ITEMS, MAX_LONG_TEXT_LENGTH, TEXT_CAPS
from app.filters import FilterSpec
from app.services.analyze import GROUPINGS
from app.vocabulary import (
    COUNTRY_CODES,
    ENDPOINTS,
    RELATIONSHIP_CONTENT,
    SYMMETRIC,
    VERIFICATION_PROPERTIES,
    Kind,
    RelType,
)

__all__ = ["CREATE_ONLY_FIELDS", "READ_ONLY_FIELDS", "edit_schema", "field_schema"]

#: Organization fields a form shows but never sends: stamped by the store (``updated_at``)
#: and by the services on an edit or a confirm (``verified_at``, ``verified_by``).
READ_ONLY_FIELDS: tuple[str, ...] = ("updated_at", *VERIFICATION_PROPERTIES)
#: Organization fields given when an organization is created and fixed afterwards: its id
#: names it everywhere, and its kind is its node label (:func:`app.rules.kind_change_problem`
#: refuses a change).
CREATE_ONLY_FIELDS: tuple[str, ...] = ("id", "kind")
#: The constraint attributes of a field's metadata (``annotated_types``' ``MaxLen``, ``Ge``,
#: ...) and the key the form description gives each.
_BOUNDS = (
    ("max_length", "max_length"),
    ("ge", "min"),
    ("gt", "min_exclusive"),
    ("le", "max"),
    ("lt", "max_exclusive"),
)
#: Values a text field suggests (the person may still type another; the server decides).
_SUGGESTIONS: dict[str, list[str]] = {"country": sorted(COUNTRY_CODES)}


def _base_type(annotation: Any) -> tuple[Any, bool]:
    """The annotation without ``None``, and whether ``None`` was allowed."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        return (args[0] if len(args) == 1 else annotation), len(args) < len(get_args(annotation))
    return annotation, False


def _input(name: str, base: Any, max_length: int | None) -> str:
    if isinstance(base, type) and issubclass(base, Enum):
        return "choice"
    if get_origin(base) is list:
        return "list"
    if base is int:
        return "integer"
    if base is float:
        return "number"
    if max_length is not None and max_length >= MAX_LONG_TEXT_LENGTH:
        return "textarea"
    return "text"


def field_schema(name: str, info: FieldInfo) -> dict[str, Any]:
    """How a form asks for one field of a record model.

    Examples
    --------
    >>> spec = field_schema("employees", Organization.model_fields["employees"])
    >>> spec["input"], spec["min"], spec["required"]
    ('integer', 0, False)
    >>> field_schema("kind", Organization.model_fields["kind"])["choices"]
    ['company', 'institution', 'cluster']
    """
    base, _ = _base_type(info.annotation)
    spec: dict[str, Any] = {"name": name, "required": info.is_required()}
    max_length = TEXT_CAPS.get(name)
    for rule in info.metadata:
        for attribute, key in _BOUNDS:
            value = getattr(rule, attribute, None)
            if value is None:
                continue
            if attribute == "max_length":
                max_length = value
            else:
                spec[key] = value
    default = info.get_default()
    if isinstance(default, bool | int | float | str):
        spec["default"] = default
    spec["input"] = _input(name, base, max_length)
    if spec["input"] == "choice":
        spec["choices"] = [member.value for member in base]
    elif spec["input"] == "list":
        spec["max_items"] = MAX_LIST_ITEMS
        spec["separator"] = LIST_SEPARATOR
    if max_length is not None and spec["input"] not in ("choice", "integer", "number"):
        spec["max_length"] = max_length
    if name in _SUGGESTIONS:
        spec["suggestions"] = _SUGGESTIONS[name]
    if info.description:
        spec["description"] = info.description
    return spec


def _fields(model: type[BaseModel], names: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    chosen = names if names is not None else tuple(model.model_fields)
    return [field_schema(name, model.model_fields[name]) for name in chosen]


def edit_schema() -> dict[str, Any]:
    """What the explorer's forms ask for (JSON-ready; see the module docstring).

    ``organization.fields``: every field of :class:`~app.domain.Organization`, in order,
    each ``{"name", "input", "required", ...}`` with ``input`` one of ``text``, ``textarea``,
    ``integer``, ``number``, ``choice`` (with ``choices``) or ``list`` (with ``separator``
    and ``max_items``), and ``read_only`` / ``create_only`` where it applies.
    ``relationship.fields``: what a relationship says (``weight``, ``since``, ``until``,
    ``evidence``); ``relationship.types``: each type with the kinds it may connect
    (``sources``, ``targets``) and whether it is ``symmetric``. ``filters``: each filter
    field's query parameter (``GET /api/organizations``, ``GET /api/selection``).
    """
    organization = _fields(Organization)
    for spec in organization:
        spec["read_only"] = spec["name"] in READ_ONLY_FIELDS
        spec["create_only"] = spec["name"] in CREATE_ONLY_FIELDS
    rel_types = [
        {
            "type": rel_type.value,
            "sources": [kind.value for kind in Kind if kind in ENDPOINTS[rel_type][0]],
            "targets": [kind.value for kind in Kind if kind in ENDPOINTS[rel_type][1]],
            "symmetric": rel_type in SYMMETRIC,
        }
        for rel_type in RelType
    ]
    parameters = FilterSpec.parameters()
    return {
        "kinds": [kind.value for kind in Kind],
        "organization": {"fields": organization},
        "relationship": {
            "fields": _fields(Relationship, RELATIONSHIP_CONTENT),
            "types": rel_types,
            "membership": RelType.MEMBER_OF.value,
        },
        "filters": dict(parameters),
        "groupings": list(GROUPINGS),
    }
