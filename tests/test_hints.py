"""Hints instead of silence (app/services/hints.py), on both backends, and in the CLI: a
filter value nobody has, a case mismatch, a filter that matches nothing together, an
unknown organization id."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from backends import BACKENDS, tiny_store
from test_cli import cli, ok
from typer.testing import CliRunner

from app.errors import NotFoundError
from app.filters import FilterSpec
from app.services import explore
from app.services.hints import close_values, filter_hints
from app.store.base import GraphStore


@pytest.fixture(params=BACKENDS, scope="module")
def tiny(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[GraphStore]:
    with tiny_store(request, request.param, tmp_path_factory.mktemp("hints")) as store:
        yield store


def hints(store: GraphStore, **filters: object) -> list[str]:
    with store.read_session() as view:
        return filter_hints(view, FilterSpec.model_validate(filters))


def test_known_values_give_no_hint(tiny: GraphStore) -> None:
    assert hints(tiny) == []
    assert hints(tiny, clusters=["mech"], sectors=["C28"], types=["sme"], tags=["robotics"]) == []


def test_a_value_nobody_has_is_named_with_the_closest_stored_ones(tiny: GraphStore) -> None:
    assert hints(tiny, clusters=["mec"]) == [
        "no organization has cluster 'mec'; did you mean 'mech'?"
    ]
    # types are snake_cased on the way in: "start-up" is looked for as "start_up"
    assert hints(tiny, types=["start-up"]) == [
        "no organization has type 'start_up'; did you mean 'startup'?"
    ]
    assert hints(tiny, sectors=["c28"]) == ["no organization has sector 'c28'; did you mean 'C28'?"]
    assert hints(tiny, tags=["zzz"], regions=["Piedmont"]) == ["no organization has tag 'zzz'"]


def test_values_that_exist_alone_but_not_together(tiny: GraphStore) -> None:
    # Bolt is the only startup, and it is in Lombardy
    assert hints(tiny, types=["startup"], regions=["Piedmont"]) == [
        "the filters match no organization together (each value matches some alone)"
    ]


def test_an_unknown_id_suggests_organizations_named_like_it(tiny: GraphStore) -> None:
    with pytest.raises(NotFoundError, match=r"'acme-robot'; did you mean 'acme'\?"):
        explore.get_organization(tiny, "acme-robot")
    with pytest.raises(NotFoundError) as raised:
        explore.ego_network(tiny, "zz-nothing")
    assert "did you mean" not in str(raised.value)


def test_close_values_prefers_case_and_parts_over_spellings() -> None:
    assert close_values("Turin", ["turin", "Turing", "Turino"]) == ["turin"]
    assert close_values("valmora", ["cl-valmora-a", "cl-valmora-b", "palmora"]) == [
        "cl-valmora-a",
        "cl-valmora-b",
    ]
    assert close_values("palmara", ["palmora", "x"]) == ["palmora"]
    assert close_values("q", []) == []


def test_the_cli_hints_on_stderr_and_keeps_stdout_clean(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "sample.lbug"
    ok(cli(runner, db, "demo"))
    result = ok(cli(runner, db, "orgs", "--cluster", "valmora-fashion", "--json"))
    assert result.stdout.startswith("{") and '"items": []' in result.stdout
    assert "hint: no organization has cluster 'valmora-fashion'; did you mean " in result.stderr
    assert "'cl-valmora-fashion'?" in result.stderr
    quiet = ok(cli(runner, db, "analyze", "health", "--cluster", "cl-valmora-fashion"))
    assert "hint:" not in quiet.stderr
    unknown = cli(runner, db, "ego", "co-albelo-meccanica")
    assert unknown.exit_code == 2
    assert "did you mean 'co-albello-meccanica'" in unknown.stderr


def test_the_api_counts_the_selection_and_hints(tiny: GraphStore) -> None:
    from fastapi.testclient import TestClient

    from app.api import create_app

    with TestClient(create_app(store=tiny)) as client:
        everyone = client.get("/api/selection").json()
        assert everyone == {"organizations": 6, "hints": []}  # the cluster counts too
        italian = client.get("/api/selection", params={"country": "IT", "kind": "company"})
        assert italian.json() == {"organizations": 2, "hints": []}
        typo = client.get("/api/selection", params=[("cluster", "mec"), ("cluster", "mech")])
        assert typo.json() == {
            "organizations": 2,
            "hints": ["no organization has cluster 'mec'; did you mean 'mech'?"],
        }
        page = client.get("/api/organizations", params={"limit": 1}).json()
        assert (len(page["items"]), page["total"], page["has_more"]) == (1, 6, True)


def test_an_organizations_ties_come_in_pages_with_their_other_end(tiny: GraphStore) -> None:
    from fastapi.testclient import TestClient

    from app.api import create_app

    with tiny.read_session() as view:
        expected = view.relationships_of(["acme"])
        names = {
            o.id: o.name
            for o in view.organizations_by_id(
                {r.source for r in expected} | {r.target for r in expected}
            ).values()
        }
    with TestClient(create_app(store=tiny)) as client:
        whole = client.get("/api/organizations/acme/relationships").json()
        assert whole["total"] == len(expected) and not whole["has_more"]
        assert whole["items"][0]["type"] == "MEMBER_OF"  # memberships first
        assert {(t["source"], t["type"], t["target"]) for t in whole["items"]} == {
            (r.source, r.type.value, r.target) for r in expected
        }
        for tie in whole["items"]:
            other = tie["target"] if tie["source"] == "acme" else tie["source"]
            assert tie["other"]["id"] == other and tie["other"]["name"] == names[other]
        assert sum(whole["by_type"].values()) == len(expected)
        first = client.get("/api/organizations/acme/relationships", params={"limit": 1}).json()
        assert first["items"] == whole["items"][:1] and first["has_more"]
        missing = client.get("/api/organizations/acmee/relationships")
        assert missing.status_code == 404 and "did you mean 'acme'" in missing.json()["detail"]
