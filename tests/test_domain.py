"""Validation rules of the data model (DESIGN.md sections 2 and 3), one rule at a time."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.domain import ColumnError, Organization, Relationship, endpoint_problem
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
