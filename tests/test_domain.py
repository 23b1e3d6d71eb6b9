"""Validation rules of the data model (DESIGN.md sections 2 and 3), one rule at a time."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.domain import Organization, Relationship
from app.errors import MAX_QUOTED, excerpt
from app.fields import MAX_LIST_ITEM_LENGTH, MAX_LIST_ITEMS, STORED, TEXT_CAPS, ColumnError
from app.rules import endpoint_problem
from app.vocabulary import ENDPOINTS, Kind, RelType

ORG = {"id": "acme", "name": "Acme", "kind": "company"}
REL = {"source": "a", "target": "b", "type": "SUPPLIES"}


def errors(model: type[Organization] | type[Relationship], **cells: object) -> dict[str, str]:
    """Validate and return {column: message} of the failures (ColumnError names its column)."""
    base = ORG if model is Organization else REL
    with pytest.raises(ValidationError) as info:
        model.model_validate({**base, **cells})
    found = {}
    for err in info.value.errors():
        cause = (err.get("ctx") or {}).get("error")
        column = cause.column if isinstance(cause, ColumnError) else str(err["loc"][0])
        found[column] = err["msg"]
    return found


def test_minimal_organization_and_text_cells_are_parsed() -> None:
    org = Organization.model_validate(
        {**ORG, "sectors": "C29.1| M72 ", "employees": "12", "lat": "45.5", "lon": "7.1"}
    )
    assert org.sectors == ["C29.1", "M72"]
    assert (org.employees, org.lat, org.lon) == (12, 45.5, 7.1)
    assert org.tags == []


@pytest.mark.parametrize(
    ("cells", "column"),
    [
        ({"name": None}, "name"),
        ({"kind": "planet"}, "kind"),
        ({"country": "UK"}, "country"),
        ({"country": "Germany"}, "country"),
        ({"lat": "91", "lon": "0"}, "lat"),
        ({"lat": "0", "lon": "-181"}, "lon"),
        ({"lat": "45"}, "lon"),
        ({"employees": "-1"}, "employees"),
        ({"employees": "many"}, "employees"),
        ({"founded": "2999"}, "founded"),
        ({"founded": "999"}, "founded"),
        ({"type": "Big Thing!"}, "type"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"website": "https://a b.example"}, "website"),
        ({"id": "a\x00b"}, "id"),
        ({"lat": "nan", "lon": "0"}, "lat"),
    ],
)
def test_organization_rule_names_its_column(cells: dict[str, str], column: str) -> None:
    assert column in errors(Organization, **cells)


def test_country_hint_for_eurostat_codes() -> None:
    assert "did you mean 'GB'" in errors(Organization, country="UK")["country"]
    assert Organization.model_validate({**ORG, "country": "de"}).country == "DE"


def test_type_is_normalised_to_lower_snake() -> None:
    org = Organization.model_validate({**ORG, "type": "Research Institute"})
    assert org.type == "research_institute"


def test_several_problems_of_one_row_are_all_reported() -> None:
    found = errors(Organization, kind="x", country="ZZ", employees="-3")
    assert set(found) == {"kind", "country", "employees"}


@pytest.mark.parametrize(
    ("cells", "column"),
    [
        ({"target": "a"}, "target"),
        ({"type": "OWNS"}, "type"),
        ({"weight": "0"}, "weight"),
        ({"weight": "-2"}, "weight"),
        ({"weight": "inf"}, "weight"),
        ({"since": "2019-02-30"}, "since"),
        ({"since": "May 2019"}, "since"),
        ({"since": "2020", "until": "2019"}, "until"),
        ({"since": "2020-06-01", "until": "2020-05-31"}, "until"),
    ],
)
def test_relationship_rule_names_its_column(cells: dict[str, str], column: str) -> None:
    assert column in errors(Relationship, **cells)


def test_relationship_defaults_and_normalisation() -> None:
    rel = Relationship.model_validate(
        {**REL, "type": "supplies", "since": "2019", "until": "2019-12-31"}
    )
    assert (rel.type, rel.weight) == (RelType.SUPPLIES, 1.0)
    # a year as "until" covers the whole year
    assert (
        Relationship.model_validate({**REL, "since": "2019-05-01", "until": "2019"}).until == "2019"
    )


def test_symmetric_relationship_is_stored_from_smaller_id() -> None:
    rel = Relationship.model_validate({"source": "b", "target": "a", "type": "COLLABORATES_WITH"})
    assert rel.key == ("a", "COLLABORATES_WITH", "b")
    directed = Relationship.model_validate({"source": "b", "target": "a", "type": "SUPPLIES"})
    assert directed.key == ("b", "SUPPLIES", "a")


def test_endpoint_rules_match_the_design_table() -> None:
    assert endpoint_problem(RelType.MEMBER_OF, Kind.COMPANY, Kind.CLUSTER) is None
    assert "cluster" in (endpoint_problem(RelType.MEMBER_OF, Kind.COMPANY, Kind.COMPANY) or "")
    assert endpoint_problem(RelType.SUPPLIES, Kind.INSTITUTION, Kind.COMPANY) is not None
    assert endpoint_problem(RelType.FUNDS, Kind.INSTITUTION, Kind.CLUSTER) is None
    assert endpoint_problem(RelType.FUNDS, Kind.COMPANY, Kind.COMPANY) is not None
    assert endpoint_problem(RelType.SPUN_OUT_OF, Kind.COMPANY, Kind.INSTITUTION) is None
    # symmetric: either direction is fine
    assert endpoint_problem(RelType.COLLABORATES_WITH, Kind.CLUSTER, Kind.COMPANY) is None
    allowed = sum(len(src) * len(dst) for src, dst in ENDPOINTS.values())
    assert allowed == 2 + 9 + 1 + 2 + 3 + 2  # the FROM/TO pairs of cypher/embedded/schema.cypher


# -- input rules of issue 13: ids, web addresses, caps, control characters, short quotes -------


@pytest.mark.parametrize(
    "bad_id",
    ["a/b", "a\\b", "a?b", "a#b", "a%20b", "a\x01b", "\x1b[2J", "a\u202eb", "a\x85b", ".", ".."],
)
def test_ids_that_cannot_round_trip_a_url_path_are_refused(bad_id: str) -> None:
    assert "id" in errors(Organization, id=bad_id)
    assert "target" in errors(Relationship, target=bad_id)


@pytest.mark.parametrize(
    "good_id",
    ["acme", "cl-valmora-agrifood", "pic-999999999", "org-00042", "Müller & Söhne", "a.b"],
)
def test_printable_ids_are_accepted(good_id: str) -> None:
    assert Organization.model_validate({**ORG, "id": good_id}).id == good_id


@pytest.mark.parametrize(
    "website",
    [
        "\x01javascript:alert(1)",
        "//evil.example",
        "javascript:alert(1)",
        "mailto:a@b.example",
        "https://",
        "http:///path",
        "ftp://files.example",
        "not a url",
    ],
)
def test_websites_other_than_http_and_https_are_refused(website: str) -> None:
    assert "website" in errors(Organization, website=website)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("https://acme.example/about?x=1", "https://acme.example/about?x=1"),
        ("HTTP://Acme.example", "HTTP://Acme.example"),
        ("www.acme.example", "https://www.acme.example"),
        ("acme.example:8080/x", "https://acme.example:8080/x"),
    ],
)
def test_web_addresses_are_http_or_get_https(given: str, stored: str) -> None:
    assert Organization.model_validate({**ORG, "website": given}).website == stored


_ORG_TEXT = ("name", "type", "city", "region", "source", "description", "website")


@pytest.mark.parametrize("column", _ORG_TEXT)
def test_every_text_field_has_its_cap(column: str) -> None:
    cap = TEXT_CAPS[column]
    filler = {"type": "t", "website": "https://a.example/"}.get(column, "x")
    fits = filler + "x" * (cap - len(filler))
    assert Organization.model_validate({**ORG, column: fits})
    message = errors(Organization, **{column: fits + "x"})[column]
    assert f"{cap:,}" in message or str(cap) in message
    assert len(message) < 300  # the value is quoted by its first characters only


@pytest.mark.parametrize("column", ["evidence", "source", "target"])
def test_relationship_text_fields_have_caps(column: str) -> None:
    cap = TEXT_CAPS[column]
    message = errors(Relationship, **{column: "x" * (cap + 1)})[column]
    assert str(cap) in message.replace(",", "")


@pytest.mark.parametrize("column", ["sectors", "tags"])
def test_lists_have_item_count_and_item_length_caps(column: str) -> None:
    fits = [f"i{n}" for n in range(MAX_LIST_ITEMS)]
    assert len(getattr(Organization.model_validate({**ORG, column: fits}), column)) == len(fits)
    many = errors(Organization, **{column: "|".join([*fits, "one-more"])})[column]
    assert f"at most {MAX_LIST_ITEMS}" in many
    long = errors(Organization, **{column: ["ok", "x" * (MAX_LIST_ITEM_LENGTH + 1)]})[column]
    assert "item 2:" in long and str(MAX_LIST_ITEM_LENGTH) in long


@pytest.mark.parametrize("column", ["name", "city", "region", "type", "tags"])
def test_control_characters_are_refused_in_text(column: str) -> None:
    assert column in errors(Organization, **{column: "Tu\x1b[31mrin"})


def test_description_keeps_line_breaks_but_not_other_controls() -> None:
    text = "line one\nline two\ttabbed"
    assert Organization.model_validate({**ORG, "description": text}).description == text
    assert "description" in errors(Organization, description="bell\x07")


def test_messages_quote_at_most_80_characters_of_a_value() -> None:
    huge = "Q" * 5_000_000
    for column in ("type", "country", "website", "city", "employees"):
        message = errors(Organization, **{column: huge})[column]
        assert message.count("Q") <= MAX_QUOTED, column
    assert errors(Relationship, since=huge)["since"].count("Q") <= MAX_QUOTED
    assert excerpt(huge) == repr("Q" * MAX_QUOTED) + "…"
    assert excerpt(["x"] * 20_000).startswith("['x', 'x'")
    assert len(excerpt(["x" * 1000] * 1000)) <= MAX_QUOTED + 3


def test_stored_rows_are_read_without_the_new_input_rules() -> None:
    row = {**ORG, "id": "a/b", "city": "\x1b[31mred", "tags": ["t"] * 500, "website": "x"}
    org = Organization.model_validate(row, context=STORED)
    assert (org.id, org.city, len(org.tags), org.website) == ("a/b", "\x1b[31mred", 500, "x")
    with pytest.raises(ValidationError):
        Organization.model_validate(row)
