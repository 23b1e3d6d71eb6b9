"""Graph stores: the only part of EcoMap that talks to a database."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from app.errors import ConfigurationError, StoreError
from app.settings import Settings
from app.store.base import GraphData, GraphStore, ProgressCallback, WriteSummary

if TYPE_CHECKING:
    from app.store.neo4j import Neo4jStore

__all__ = ["GraphData", "GraphStore", "ProgressCallback", "WriteSummary", "open_store"]


def open_store(settings: Settings, *, read_only: bool = False) -> GraphStore:
    """Open the store the settings name (``ECOMAP_BACKEND``), ready to use as a context manager."""
    if settings.backend == "embedded":
        from app.store.embedded import EmbeddedStore

        return EmbeddedStore.from_settings(settings, read_only=read_only)
    if settings.backend == "neo4j":
        return _open_neo4j(settings, read_only=read_only)
    raise ConfigurationError(
        f"backend {settings.backend!r} is not available; use 'embedded' or 'neo4j'"
    )


def _shown(uri: str) -> str:
    """The URI without any user:password part, fit for messages."""
    parts = urlsplit(uri)
    if parts.hostname is None or "@" not in parts.netloc:
        return uri
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=host))


def _open_neo4j(settings: Settings, *, read_only: bool) -> Neo4jStore:
    """Build the driver, check that the server answers, create the constraints (unless
    ``read_only``) and hand the driver to a :class:`~app.store.neo4j.Neo4jStore` that owns it.
    Messages name the URI and the user, never the password."""
    import neo4j
    from neo4j.exceptions import DriverError, Neo4jError

    from app.store.neo4j import Neo4jStore

    uri = settings.neo4j_uri
    if not uri:
        raise ConfigurationError(
            "ECOMAP_BACKEND=neo4j needs NEO4J_URI (for example neo4j://localhost:7687)"
        )
    password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else ""
    if not password:
        raise ConfigurationError(
            f"ECOMAP_BACKEND=neo4j needs NEO4J_PASSWORD (the password of NEO4J_USER "
            f"{settings.neo4j_user!r} at {_shown(uri)})"
        )

    def scrub(error: Exception) -> str:  # the driver quotes a malformed URI whole
        return str(error).replace(uri, _shown(uri))

    try:
        # The server's notifications (e.g. "property key does not exist" on an empty database)
        # are advice for query authors; the driver would log each as a warning on stderr.
        driver = neo4j.GraphDatabase.driver(
            uri, auth=(settings.neo4j_user, password), notifications_min_severity="OFF"
        )
    except (DriverError, ValueError) as exc:
        raise ConfigurationError(f"NEO4J_URI {_shown(uri)!r} is not usable: {scrub(exc)}") from None
    try:
        driver.verify_connectivity()
        store = Neo4jStore(
            driver,
            database=settings.neo4j_database,
            batch_size=settings.batch_size,
            max_nodes=settings.max_nodes,
            query_timeout_s=settings.query_timeout_s,
            owns_driver=True,
        )
        if not read_only:
            store.setup_schema()
    except (Neo4jError, DriverError, StoreError) as exc:
        driver.close()
        raise StoreError(
            f"cannot use Neo4j at {_shown(uri)} (user {settings.neo4j_user!r}, database "
            f"{settings.neo4j_database!r}): {scrub(exc)}"
        ) from exc
    except BaseException:
        driver.close()
        raise
    return store
