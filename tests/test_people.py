"""People and roles (app.services.people, app.services.access, ``ecomap users``), on both
backends: a token is shown once and only its digest is stored; names and clusters follow
their rules; who is asking; and what an editor limited to clusters may write."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from backends import BACKENDS, tiny_store
from typer.testing import CliRunner

from app.cli import app as cli
from app.domain import Organization, Relationship
from app.errors import (
    AuthenticationError,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from app.people import token_digest
from app.services import access, people
from app.services.people import Person
from app.store.base import GraphStore
from app.store.embedded import EmbeddedStore

SMALL = {"buffer_pool_bytes": 128 * 1024**2, "max_db_size_bytes": 8 * 1024**3}


def forget_everyone(store: GraphStore) -> None:
    for user in store.users():
        store.remove_user(user.name)


@pytest.fixture(params=BACKENDS)
def tiny(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """The tiny ecosystem (cluster ``mech`` with members ``acme`` and ``polito``) on each
    backend, with nobody in it."""
    with tiny_store(request, request.param, tmp_path) as store:
        forget_everyone(store)
        try:
            yield store
        finally:
            forget_everyone(store)


# -- adding, listing, removing ---------------------------------------------------------------------


def test_token_is_returned_once_and_only_its_digest_is_stored(tiny: GraphStore) -> None:
    user, token = people.add_user(tiny, "Maria Rossi", "editor", ["mech"])
    assert len(token) >= 40 and user.token_digest == token_digest(token)
    stored = tiny.users()
    assert [(u.name, u.role, u.clusters) for u in stored] == [("Maria Rossi", "editor", ["mech"])]
    assert stored[0].token_digest == token_digest(token)
    assert token not in stored[0].model_dump_json()
    assert tiny.user_by_token(token_digest(token)) == stored[0]
    assert tiny.user_by_token(token) is None  # the token itself is no key
    listed = people.list_users(tiny)
    assert [u.model_dump() for u in listed] == [
        {
            "name": "Maria Rossi",
            "role": "editor",
            "clusters": ["mech"],
            "created_at": user.created_at,
        }
    ]
    _, second = people.add_user(tiny, "ops", "viewer")
    assert second != token  # every person gets a token of their own
    people.remove_user(tiny, "Maria Rossi")
    assert tiny.user_by_token(token_digest(token)) is None
    assert [u.name for u in people.list_users(tiny)] == ["ops"]
    with pytest.raises(NotFoundError):
        people.remove_user(tiny, "Maria Rossi")


def test_the_database_files_never_hold_a_token(tmp_db: Path) -> None:
    with EmbeddedStore(tmp_db, **SMALL) as store:
        _, token = people.add_user(store, "ada", "admin")
    files = [tmp_db] if tmp_db.is_file() else [p for p in tmp_db.rglob("*") if p.is_file()]
    files += [p for p in tmp_db.parent.glob(tmp_db.name + "*") if p.is_file()]
    content = b"".join(p.read_bytes() for p in set(files))
    assert content and token.encode() not in content


@pytest.mark.parametrize(
    ("name", "role", "clusters", "error"),
    [
        ("", "viewer", [], InvalidInputError),
        (" ada", "viewer", [], InvalidInputError),
        ("ada  lovelace", "viewer", [], InvalidInputError),
        ("ada\x1b[2J", "viewer", [], InvalidInputError),
        ("x" * 101, "viewer", [], InvalidInputError),
        ("Anonymous", "viewer", [], InvalidInputError),
        ("api-key", "admin", [], InvalidInputError),
        ("ada", "owner", [], InvalidInputError),
        ("ada", "viewer", ["mech"], InvalidInputError),
        ("ada", "admin", ["mech"], InvalidInputError),
        ("ada", "editor", ["acme"], InvalidInputError),  # a company, not a cluster
        ("ada", "editor", ["no-such"], NotFoundError),
    ],
)
def test_names_roles_and_clusters_follow_their_rules(
    tiny: GraphStore, name: str, role: str, clusters: list[str], error: type[Exception]
) -> None:
    with pytest.raises(error):
        people.add_user(tiny, name, role, clusters)  # type: ignore[arg-type]
    assert tiny.users() == []


def test_names_are_unique_ignoring_case(tiny: GraphStore) -> None:
    people.add_user(tiny, "Ada", "admin")
    with pytest.raises(ConflictError, match="'Ada' exists already"):
        people.add_user(tiny, "ada", "viewer")
    assert [u.role for u in tiny.users()] == ["admin"]


# -- who is asking ---------------------------------------------------------------------------------


def test_identify_by_token_key_or_nobody(tiny: GraphStore) -> None:
    def who(token: str | None = None, key: str | None = None, **kw: object) -> Person:
        options = {"expected_key": None, "reads_need_token": False, **kw}
        return people.identify(tiny, token=token, key=key, **options)  # type: ignore[arg-type]

    # nobody, no key, reads open: whoever reaches the server is the admin (a local setup)
    assert who() == Person(name="anonymous", role="admin", signed_in=False)
    assert who(key="anything").role == "admin"  # a key nobody asked for is not looked at
    assert who(reads_need_token=True).role is None
    assert who(expected_key="k").role is None
    assert who(key="k", expected_key="k") == people.API_KEY_PERSON
    with pytest.raises(AuthenticationError):
        who(key="K", expected_key="k")
    _, token = people.add_user(tiny, "scot", "editor", ["mech"])
    assert who().role is None  # once a person exists, writes need a token
    assert who(token) == Person(name="scot", role="editor", clusters=["mech"], signed_in=True)
    with pytest.raises(AuthenticationError):
        who(token + "x")


# -- the rule --------------------------------------------------------------------------------------


def test_what_each_role_may_write(tiny: GraphStore) -> None:
    nobody = Person(name="anonymous", role=None, signed_in=False)
    viewer = Person(name="vera", role="viewer", signed_in=True)
    editor = Person(name="eddie", role="editor", signed_in=True)
    admin = Person(name="ada", role="admin", signed_in=True)
    assert not access.may_read(nobody) and access.may_read(viewer)
    with pytest.raises(AuthenticationError):
        access.check_edit(nobody, tiny, ["acme"])
    with pytest.raises(PermissionDeniedError, match="viewer"):
        access.check_edit(viewer, tiny, ["acme"])
    for person in (editor, admin):
        access.check_edit(person, tiny, ["acme", "cogs"], [("fund", "FUNDS", "bolt")])
        access.check_edit_all(person)
    with pytest.raises(PermissionDeniedError):
        access.check_edit_all(viewer)


def test_an_editor_with_clusters_edits_their_members_and_the_ties_they_state(
    tiny: GraphStore,
) -> None:
    """mech's members are acme and polito; cogs, bolt and fund are outside."""
    scot = Person(name="scot", role="editor", clusters=["mech"], signed_in=True)

    def may(org_ids: list[str] = [], rel_keys: list[tuple[str, str, str]] = []) -> bool:  # noqa: B006
        return access.may_edit(scot, tiny, org_ids, rel_keys)

    assert may(["acme"]) and may(["polito"]) and may(["mech"])  # members and the cluster
    assert not may(["cogs"]) and not may(["acme", "bolt"])
    assert may(["brand-new"])  # creating an organization touches nobody's record
    assert may([], [("acme", "INVESTS_IN", "bolt")])  # a member's own statement
    assert may([], [("acme", "MEMBER_OF", "mech")])  # a member leaving
    assert may([], [("cogs", "MEMBER_OF", "mech")])  # adding a member to the cluster
    assert may([], [("acme", "COLLABORATES_WITH", "polito")])
    assert may([], [("bolt", "COLLABORATES_WITH", "polito")])  # symmetric: either end
    assert not may([], [("cogs", "SUPPLIES", "acme")])  # the supplier's statement
    assert not may([], [("fund", "FUNDS", "bolt")])
    with pytest.raises(PermissionDeniedError, match="'cogs', 'cogs SUPPLIES acme'"):
        access.check_edit(scot, tiny, ["acme", "cogs"], [("cogs", "SUPPLIES", "acme")])
    with pytest.raises(PermissionDeniedError, match="an import needs an editor without clusters"):
        access.check_edit_all(scot)
    # a member of another cluster cannot be claimed (and then edited): only one in no cluster
    other = Organization(id="other", name="Other Cluster", kind="cluster")
    tiny.upsert([other], [Relationship(source="cogs", target="other", type="MEMBER_OF")])
    assert not may([], [("cogs", "MEMBER_OF", "mech")])
    assert may([], [("bolt", "MEMBER_OF", "mech")])
    # the scope is what is stored now: a member that leaves is out of it
    with tiny.write_session() as writer:
        writer.delete(rel_keys=[("acme", "MEMBER_OF", "mech")])
    assert not may(["acme"])


# -- the CLI ---------------------------------------------------------------------------------------


@pytest.fixture
def cli_db(tmp_db: Path, runner: CliRunner, tiny_ecosystem: tuple[Path, Path]) -> Path:
    result = runner.invoke(cli, ["--db", str(tmp_db), "import", *map(str, tiny_ecosystem)])
    assert result.exit_code == 0, result.output
    return tmp_db


def test_cli_users_add_list_remove(cli_db: Path, runner: CliRunner) -> None:
    db = ["--db", str(cli_db)]
    added = runner.invoke(
        cli, [*db, "users", "add", "scot", "--role", "editor", "--clusters", "mech", "--json"]
    )
    assert added.exit_code == 0, added.output
    answer = json.loads(added.stdout)
    assert set(answer) == {"name", "role", "token"}
    assert answer["name"] == "scot" and answer["role"] == "editor"
    plain = runner.invoke(cli, [*db, "users", "add", "vera", "--role", "viewer"])
    assert plain.exit_code == 0, plain.output
    token = plain.stdout.strip()
    assert len(token) >= 40 and "\n" not in token and "shown this once" in plain.stderr
    listed = runner.invoke(cli, [*db, "users", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    assert [(r["name"], r["role"], r["clusters"]) for r in rows] == [
        ("scot", "editor", ["mech"]),
        ("vera", "viewer", []),
    ]
    table = runner.invoke(cli, [*db, "users", "list"])
    for secret in (token, answer["token"], token_digest(token), token_digest(answer["token"])):
        assert secret not in listed.stdout and secret not in table.stdout
    assert "scot" in table.stdout and "mech" in table.stdout
    with EmbeddedStore(cli_db, **SMALL) as store:
        assert store.user_by_token(token_digest(token)).name == "vera"  # type: ignore[union-attr]
    removed = runner.invoke(cli, [*db, "users", "remove", "vera"])
    assert removed.exit_code == 0, removed.output
    assert "vera" not in runner.invoke(cli, [*db, "users", "list"]).stdout


@pytest.mark.parametrize(
    "args",
    [
        ["users", "add", "x", "--role", "owner"],
        ["users", "add", "x", "--role", "viewer", "--clusters", "mech"],
        ["users", "add", "x", "--role", "editor", "--clusters", "no-such"],
        ["users", "add", "api-key", "--role", "admin"],
        ["users", "add", "SCOT", "--role", "admin"],
        ["users", "remove", "nobody"],
    ],
)
def test_cli_users_refusals_exit_2(cli_db: Path, runner: CliRunner, args: list[str]) -> None:
    db = ["--db", str(cli_db)]
    assert runner.invoke(cli, [*db, "users", "add", "scot", "--role", "viewer"]).exit_code == 0
    result = runner.invoke(cli, [*db, *args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    listed = json.loads(runner.invoke(cli, [*db, "users", "list", "--json"]).stdout)
    assert [r["name"] for r in listed] == ["scot"]
