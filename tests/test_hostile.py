"""The standing attack suite: every malformed input of tests/hostile/corpus.py is refused.

For each input, through the CLI (``ecomap import``, in process) and the API
(``POST /api/import``), each on a real embedded store holding the tiny ecosystem: exit code 2
and answer 422, problems located as ``FILE:LINE: column: message`` (the API's with file, line
and column), no traceback anywhere, every message short (values are quoted by at most
:data:`~app.errors.MAX_QUOTED` characters), and the store unchanged (a hash of its sorted
export). Size limits run under ``ECOMAP_MAX_INPUT_MB=1``, so bombs stay small.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import TINY_ORGANIZATIONS, TINY_RELATIONSHIPS
from fastapi.testclient import TestClient
from hostile.corpus import CASES, MAX_INPUT_MB, Case
from typer.testing import CliRunner

from app.api import create_app
from app.api.guard import CSRF_HEADER
from app.cli import app as cli_app
from app.errors import MAX_COLUMN_TEXT, MAX_MESSAGE_TEXT
from app.services.importing import import_files
from app.settings import Settings
from app.store.embedded import EmbeddedStore

_LOCATED = re.compile(r"^(?P<file>[^\n]+?):(?P<line>\d+): (?P<column>[^\n]*?): (?P<message>.+)$")
#: Longest file name in the corpus, with a sheet suffix, and room for the separators.
_FILE_BOUND = 80
_LINE_BOUND = _FILE_BOUND + MAX_COLUMN_TEXT + MAX_MESSAGE_TEXT + 20
#: An error answer lists a few short problems: a few KiB, never megabytes.
_BODY_BOUND = 64 * 1024
_STORE_OPTIONS: dict[str, Any] = {
    "buffer_pool_bytes": 128 * 1024**2,
    "max_db_size_bytes": 8 * 1024**3,
}


def store_hash(store: EmbeddedStore) -> str:
    """A hash of the sorted export: equal hashes, equal stores."""
    data = dataclasses.asdict(store.export())
    text = json.dumps(data, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _load_tiny(store: EmbeddedStore, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in (
        ("organizations.csv", TINY_ORGANIZATIONS),
        ("relationships.csv", TINY_RELATIONSHIPS),
    ):
        path = folder / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        paths.append(path)
    import_files(store, paths)


@pytest.fixture(scope="module")
def cli_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A database for the CLI, with the tiny ecosystem; its path and hash."""
    root = tmp_path_factory.mktemp("hostile-cli")
    db = root / "cli.lbug"
    with EmbeddedStore(db, **_STORE_OPTIONS) as store:
        _load_tiny(store, root / "tiny")
        return db, store_hash(store)


@pytest.fixture(scope="module")
def api(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[TestClient, EmbeddedStore, str]]:
    """An API on its own database with the tiny ecosystem; the client, store and hash."""
    root = tmp_path_factory.mktemp("hostile-api")
    with EmbeddedStore(root / "api.lbug", **_STORE_OPTIONS) as store:
        _load_tiny(store, root / "tiny")
        settings = Settings(api_key=None, max_upload_mb=8, max_input_mb=MAX_INPUT_MB)
        csrf = {CSRF_HEADER: "1"}  # the proof a cross-site form cannot send
        app = create_app(settings, store=store)
        with TestClient(app, raise_server_exceptions=False, headers=csrf) as client:
            yield client, store, store_hash(store)


def _file_names(case: Case) -> list[str]:
    names = [name for name, _ in case.files]
    return names + ([case.projects[0]] if case.projects else [])


def _check_located(file: str, column: str, message: str, case: Case) -> None:
    assert any(file == name or file.startswith(f"{name}[") for name in _file_names(case)), file
    assert message.strip(), "an empty message"
    assert len(column) <= MAX_COLUMN_TEXT + 1 and len(message) <= MAX_MESSAGE_TEXT + 1
    assert "Traceback" not in message


def run_cli(case: Case, folder: Path, db: Path) -> Any:
    folder.mkdir(parents=True, exist_ok=True)
    args = ["--db", str(db), "import"]
    for name, data in case.files:
        (folder / name).write_bytes(data)
        args.append(str(folder / name))
    if case.fmt:
        args += ["--format", case.fmt]
    if case.projects:
        (folder / case.projects[0]).write_bytes(case.projects[1])
        args += ["--projects", str(folder / case.projects[0])]
    env = {"ECOMAP_MAX_INPUT_MB": str(MAX_INPUT_MB)}
    return CliRunner().invoke(cli_app, args, env=env)


def post(client: TestClient, case: Case) -> Any:
    files = [("files", (name, data, "application/octet-stream")) for name, data in case.files]
    if case.projects:
        files.append(("projects", (*case.projects, "application/octet-stream")))
    data = {"format": case.fmt} if case.fmt else {}
    return client.post("/api/import", files=files, data=data)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_cli_refuses_with_located_problems(
    case: Case, cli_db: tuple[Path, str], tmp_path: Path
) -> None:
    db, before = cli_db
    result = run_cli(case, tmp_path / "in", db)
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert result.exit_code == 2, output[:2000]
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    problems = [line for line in lines if not line.endswith("nothing was imported.")]
    assert problems, result.stderr[:2000]
    for line in problems:
        assert len(line) <= _LINE_BOUND, line[:200]
        match = _LOCATED.match(line)
        assert match, line
        _check_located(match["file"], match["column"], match["message"], case)
    with EmbeddedStore(db, read_only=True, **_STORE_OPTIONS) as store:
        assert store_hash(store) == before


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_api_refuses_with_located_problems(
    case: Case, api: tuple[TestClient, EmbeddedStore, str]
) -> None:
    client, store, before = api
    response = post(client, case)
    assert "Traceback" not in response.text and 'File "' not in response.text
    assert response.status_code == 422, response.text[:2000]
    assert len(response.content) <= _BODY_BOUND
    body = response.json()
    assert body["type"] == "invalid_import", body
    assert body["problems"]
    for problem in body["problems"]:
        assert isinstance(problem["line"], int)
        _check_located(problem["file"], problem["column"], problem["message"], case)
    assert store_hash(store) == before


def test_the_corpus_covers_every_reader() -> None:
    kinds = {case.name.split("-")[0] for case in CASES}
    assert kinds == {"csv", "rels", "json", "xlsx", "cordis"}
    assert len(CASES) >= 100
