"""Shared fixtures: temporary databases, small CSV files, the CLI runner."""

from __future__ import annotations

import functools
import json
import os
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from browser import unavailable_reason
from csvdata import ORG_HEADER, REL_HEADER
from neo4j_server import Neo4jServer, missing_tools, start, under_ci
from typer.testing import CliRunner

from app.settings import Settings
from app.store.embedded import EmbeddedStore

_DEFAULT_HOSTS = Settings.model_fields["allowed_hosts"].default_factory()  # type: ignore[misc]

WriteCsv = Callable[[str, str], Path]


#: Six organizations of all three kinds, list cells, coordinates, a quoted cell with a comma.
TINY_ORGANIZATIONS = f"""
{ORG_HEADER}
acme,Acme Robotics,company,sme,C28|M72,robotics|automation,Turin,Piedmont,IT,45.07,7.69,120,2004,https://acme.example,Industrial robots
bolt,Bolt Drives,company,startup,C27,motors,Milan,Lombardy,IT,45.46,9.19,15,2019,,
cogs,Cogs Components,company,large_enterprise,C28|C29,supply|metal,Lyon,Auvergne-Rhone-Alpes,FR,45.76,4.84,2500,1968,,"Gears, shafts and bearings"
polito,Turin Polytechnic,institution,university,M72|P85,research|education,Turin,Piedmont,IT,45.06,7.66,5000,1859,https://polito.example,
fund,Regional Innovation Fund,institution,government,,funding,Turin,Piedmont,IT,,,,,,
mech,Mechatronics Cluster,cluster,association,C28,cluster,Turin,Piedmont,IT,45.07,7.68,,2010,,
"""  # noqa: E501

#: Eight relationships covering all six types (COLLABORATES_WITH written once, reversed).
TINY_RELATIONSHIPS = f"""
{REL_HEADER}
acme,mech,MEMBER_OF,1,2015,,membership list
polito,mech,MEMBER_OF,,,,
cogs,acme,SUPPLIES,3.5,2012,,supplier register
bolt,acme,SUPPLIES,,,,
polito,acme,COLLABORATES_WITH,2,2018,2022,joint R&D project
fund,bolt,FUNDS,1,2020-03-01,2021-12-31,grant
acme,bolt,INVESTS_IN,0.5,2021,,
bolt,polito,SPUN_OUT_OF,,2019,,spin-off register
"""


@pytest.fixture(scope="session", autouse=True)
def _small_embedded_databases() -> Iterator[None]:
    """CLI invocations open databases with a 128 MiB buffer pool instead of 1 GiB."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ECOMAP_BUFFER_POOL_MB", "128")
        patch.setenv("ECOMAP_MAX_DB_SIZE_GB", "8")
        yield


@pytest.fixture
def tmp_db(tmp_path: Path) -> Path:
    """A fresh database path (not created yet)."""
    return tmp_path / "eco.lbug"


@pytest.fixture
def store(tmp_db: Path) -> Iterator[EmbeddedStore]:
    """An open embedded store on ``tmp_db``, closed after the test."""
    with EmbeddedStore(
        tmp_db, buffer_pool_bytes=128 * 1024**2, max_db_size_bytes=8 * 1024**3
    ) as opened:
        yield opened


@pytest.fixture
def write_csv(tmp_path: Path) -> WriteCsv:
    """``write_csv(name, text)``: write dedented text to ``tmp_path / name``, return the path."""

    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


@pytest.fixture
def tiny_ecosystem(write_csv: WriteCsv) -> tuple[Path, Path]:
    """A valid canonical CSV pair: (organizations.csv, relationships.csv)."""
    return (
        write_csv("tiny/organizations.csv", TINY_ORGANIZATIONS),
        write_csv("tiny/relationships.csv", TINY_RELATIONSHIPS),
    )


@pytest.fixture
def runner() -> CliRunner:
    """Typer's runner; ``result.stdout`` and ``result.stderr`` are captured separately."""
    return CliRunner()


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    """The bundled sample, loaded once for the whole run; tests only read it."""
    from app.services.sample import load_sample

    path = tmp_path_factory.mktemp("sample") / "sample.lbug"
    # 256 MiB: 3-hop walks from the sample's hubs need more than the 128 MiB of small stores.
    with EmbeddedStore(path, buffer_pool_bytes=256 * 1024**2, max_db_size_bytes=8 * 1024**3) as s:
        load_sample(s)
        yield s


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jServer]:
    """The real Neo4j server (see tests/neo4j_server.py), started on first use, stopped at
    the end of the run. Skipped without Java or Maven, except under CI, where that fails."""
    reason = None if os.environ.get("NEO4J_URI") else missing_tools()
    if reason is not None:
        if under_ci():
            pytest.fail(f"the Neo4j tests cannot run under CI: {reason}", pytrace=False)
        pytest.skip(f"Neo4j tests skipped: {reason}")
    server = start(tmp_path_factory.mktemp("neo4j"))
    try:
        yield server
    finally:
        server.stop()


def pytest_configure(config: pytest.Config) -> None:
    # API apps compute in their own process unless a test asks for worker processes (each
    # app would otherwise spawn its own); tests/test_api.py checks both give the same JSON.
    os.environ.setdefault("ECOMAP_ANALYTICS_WORKERS", "0")
    # TestClient and schemathesis send ``Host: testserver``: the apps of the tests answer to
    # it besides the default names (tests/test_api_security.py checks other hosts fail).
    os.environ.setdefault("ECOMAP_ALLOWED_HOSTS", json.dumps([*_DEFAULT_HOSTS, "testserver"]))
    config.addinivalue_line(
        "markers",
        "browser: needs headless chromium + Playwright (tests/browser.py); skipped when they"
        " are missing, an error when $CI is set",
    )


@functools.cache
def _browser_unavailable() -> str | None:
    return unavailable_reason()


def pytest_runtest_setup(item: pytest.Item) -> None:
    """``@pytest.mark.browser`` tests: skip without chromium/Playwright, but fail under CI."""
    if item.get_closest_marker("browser") is None:
        return
    reason = _browser_unavailable()
    if reason is None:
        return
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        pytest.fail(f"browser test cannot run under CI: {reason}", pytrace=False)
    pytest.skip(f"browser test skipped: {reason}")


def _hypothesis_profiles() -> None:
    """Property-based tests run bounded in ``make test`` and long in ``make fuzz``
    (``ECOMAP_FUZZ=1``); a test picks its share with ``fuzz_settings``."""
    from hypothesis import HealthCheck, settings

    common = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
    settings.register_profile("ci", max_examples=200, derandomize=True, **common)
    settings.register_profile("fuzz", max_examples=20_000, **common)
    settings.load_profile("fuzz" if os.environ.get("ECOMAP_FUZZ") else "ci")


_hypothesis_profiles()
