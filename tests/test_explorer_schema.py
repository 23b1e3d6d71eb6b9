"""The explorer's edit forms come from the Python models: the schema embedded in the page is
theirs (fields in order, inputs, caps, kinds, relationship types and their ends), and the
page's scripts are inlined, small and write no HTML."""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any, get_args, get_origin

import pytest

from app.domain import Organization, Relationship
from app.fields import LIST_SEPARATOR, MAX_LIST_ITEMS, TEXT_CAPS
from app.filters import FilterSpec
from app.services.facets import no_facets
from app.vocabulary import ENDPOINTS, RELATIONSHIP_CONTENT, SYMMETRIC, Kind, RelType
from app.web import SCRIPTS, render_explorer
from app.web.schema import CREATE_ONLY_FIELDS, READ_ONLY_FIELDS, edit_schema

_EMBEDDED = re.compile(
    r'<script type="application/json" id="edit-schema">(.*?)</script>', re.DOTALL
)


@pytest.fixture(scope="module")
def page() -> str:
    return render_explorer(no_facets())


@pytest.fixture(scope="module")
def embedded(page: str) -> dict[str, Any]:
    found = _EMBEDDED.search(page)
    assert found is not None
    return dict(json.loads(found.group(1)))


def _bounds(info: Any) -> dict[str, Any]:
    names = {"ge": "min", "gt": "min_exclusive", "le": "max", "lt": "max_exclusive"}
    return {
        key: getattr(rule, attribute)
        for rule in info.metadata
        for attribute, key in names.items()
        if getattr(rule, attribute, None) is not None
    }


def test_the_page_embeds_the_schema(embedded: dict[str, Any]) -> None:
    assert embedded == edit_schema()


def test_organization_fields_are_the_models(embedded: dict[str, Any]) -> None:
    fields = embedded["organization"]["fields"]
    assert [f["name"] for f in fields] == list(Organization.model_fields)
    for spec in fields:
        info = Organization.model_fields[spec["name"]]
        assert spec["required"] == info.is_required(), spec
        assert spec["read_only"] == (spec["name"] in READ_ONLY_FIELDS)
        assert spec["create_only"] == (spec["name"] in CREATE_ONLY_FIELDS)
        bounds = ("min", "min_exclusive", "max", "max_exclusive")
        assert {k: spec[k] for k in bounds if k in spec} == _bounds(info)
        if "max_length" in spec:
            assert spec["max_length"] in {TEXT_CAPS.get(spec["name"])} | {
                getattr(rule, "max_length", None) for rule in info.metadata
            }
    by_name = {f["name"]: f for f in fields}
    assert by_name["kind"]["input"] == "choice"
    assert by_name["kind"]["choices"] == [kind.value for kind in Kind]
    lists = {
        name
        for name, info in Organization.model_fields.items()
        if get_origin(info.annotation) is list
    }
    assert {f["name"] for f in fields if f["input"] == "list"} == lists == {"sectors", "tags"}
    for name in lists:
        assert by_name[name]["separator"] == LIST_SEPARATOR
        assert by_name[name]["max_items"] == MAX_LIST_ITEMS
    numbers = {
        name: ("integer" if int in get_args(info.annotation) else "number")
        for name, info in Organization.model_fields.items()
        if {int, float} & set(get_args(info.annotation))
    }
    assert {f["name"]: f["input"] for f in fields if f["input"] in ("integer", "number")} == numbers
    assert by_name["description"]["input"] == "textarea"
    assert "IT" in by_name["country"]["suggestions"]
    assert set(READ_ONLY_FIELDS) == {"updated_at", "verified_at", "verified_by"}


def test_relationship_types_and_their_ends(embedded: dict[str, Any]) -> None:
    rel = embedded["relationship"]
    assert [t["type"] for t in rel["types"]] == [t.value for t in RelType]
    for entry in rel["types"]:
        sources, targets = ENDPOINTS[RelType(entry["type"])]
        assert set(entry["sources"]) == {k.value for k in sources}
        assert set(entry["targets"]) == {k.value for k in targets}
        assert entry["symmetric"] == (RelType(entry["type"]) in SYMMETRIC)
    assert rel["membership"] == RelType.MEMBER_OF.value
    assert [f["name"] for f in rel["fields"]] == list(RELATIONSHIP_CONTENT)
    weight = rel["fields"][0]
    assert weight["default"] == Relationship.model_fields["weight"].default
    assert weight["min_exclusive"] == 0 and weight["input"] == "number"
    assert embedded["kinds"] == [kind.value for kind in Kind]
    parameters = FilterSpec.parameters()
    assert embedded["filters"] == {"search": parameters["search"], "kinds": parameters["kinds"]}


def test_the_scripts_are_inlined_in_order_small_and_write_no_html(page: str) -> None:
    folder = resources.files("app.web").joinpath("static")
    positions = []
    for name in SCRIPTS:
        text = folder.joinpath(name).read_text(encoding="utf-8")
        assert len(text.splitlines()) < 400, name
        assert "innerHTML" not in text and "outerHTML" not in text, name
        assert "insertAdjacentHTML" not in text and "document.write" not in text, name
        assert "</script" not in text.lower(), name
        assert not re.search(r"https?://(?!127\.0\.0\.1)", text), name
        positions.append(page.index(text.strip()[:200]))
    assert positions == sorted(positions)
