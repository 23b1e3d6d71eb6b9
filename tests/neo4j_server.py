"""The real Neo4j server of the test suite: ``tools/neo4j/serve`` started once per run.

``NEO4J_URI`` set: the tests use that server (with ``NEO4J_USER``, ``NEO4J_PASSWORD``,
``NEO4J_DATABASE``) and start none. Otherwise :func:`start` runs ``tools/neo4j/serve`` on a
free loopback port with a random password, waits for its ``NEO4J_URI=...`` line and stops it
(SIGTERM, then closing its standard input) at the end of the run. Without Java or Maven the
Neo4j tests skip, except under CI, where they fail.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SERVE = Path(__file__).resolve().parents[1] / "tools" / "neo4j" / "serve"
#: The first start downloads Neo4j from Maven Central into ~/.m2; later ones take seconds.
START_TIMEOUT_S = 900


def under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@dataclass
class Neo4jServer:
    uri: str
    user: str
    password: str
    database: str
    process: subprocess.Popen[str] | None = None

    def env(self) -> dict[str, str]:
        """The variables that point ``ecomap`` (and ``Settings``) at this server."""
        return {
            "ECOMAP_BACKEND": "neo4j",
            "NEO4J_URI": self.uri,
            "NEO4J_USER": self.user,
            "NEO4J_PASSWORD": self.password,
            "NEO4J_DATABASE": self.database,
        }

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            if self.process.stdin:
                self.process.stdin.close()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def missing_tools() -> str | None:
    """Why ``tools/neo4j/serve`` cannot run here, or None."""
    for tool in ("java", "mvn"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (the Neo4j test server needs Java 17 and Maven)"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(data_dir: Path) -> Neo4jServer:
    """The server named by ``NEO4J_URI``, or a new one from ``tools/neo4j/serve``."""
    if os.environ.get("NEO4J_URI"):
        return Neo4jServer(
            uri=os.environ["NEO4J_URI"],
            user=os.environ.get("NEO4J_USER", "neo4j"),
            password=os.environ.get("NEO4J_PASSWORD", ""),
            database=os.environ.get("NEO4J_DATABASE", "neo4j"),
        )
    password = secrets.token_urlsafe(16)
    port = _free_port()
    process = subprocess.Popen(
        [str(SERVE), str(port), str(data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "NEO4J_PASSWORD": password},
    )
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(process.stdout.readline()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    reader.join(START_TIMEOUT_S)
    first = line[0].strip() if line else ""
    if not first.startswith("NEO4J_URI="):
        server = Neo4jServer("", "neo4j", password, "neo4j", process)
        server.stop()
        raise RuntimeError(
            f"tools/neo4j/serve did not report NEO4J_URI within {START_TIMEOUT_S} s "
            f"(exit code {process.poll()}; its messages are above, on stderr)"
        )
    return Neo4jServer(first.split("=", 1)[1], "neo4j", password, "neo4j", process)


def settings(server: Neo4jServer, **values: object) -> Any:
    """``app.settings.Settings`` for the Neo4j backend on ``server`` (``values`` override)."""
    from app.settings import Settings

    env = {k: v for k, v in server.env().items() if k != "ECOMAP_BACKEND"}
    return Settings.model_validate({**env, "backend": "neo4j", **values})


def wipe(server: Neo4jServer) -> None:
    """Delete every EcoMap node (organizations: labels Company, Institution, Cluster; change
    sets; people) and its relationships from the server's database; the version node stays,
    so versions keep growing."""
    import neo4j

    from app.store.queries import query

    with neo4j.GraphDatabase.driver(server.uri, auth=(server.user, server.password)) as driver:
        driver.execute_query(query("neo4j", "delete_all"), database_=server.database)


@contextmanager
def fresh_store(server: Neo4jServer, **values: object) -> Iterator[Any]:
    """An open Neo4j store (``app.store.open_store``) on an emptied database, emptied again
    afterwards."""
    from app.store import open_store

    wipe(server)
    try:
        with open_store(settings(server, **values)) as store:
            yield store
    finally:
        wipe(server)
