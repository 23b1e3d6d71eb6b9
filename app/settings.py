"""EcoMap settings: one pydantic-settings class, read from the environment (prefix ``ECOMAP_``).

Neo4j connection settings use the conventional ``NEO4J_*`` names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings"]

MIB = 1024 * 1024


class Settings(BaseSettings):
    """Everything configurable, with its environment variable.

    Examples
    --------
    >>> Settings(db=Path("/tmp/x.lbug")).backend
    'embedded'
    """

    model_config = SettingsConfigDict(env_prefix="ECOMAP_", extra="ignore")

    backend: Literal["embedded", "neo4j"] = "embedded"
    db: Path = Field(Path("ecomap.lbug"), description="embedded database file (ECOMAP_DB)")
    buffer_pool_mb: int = Field(
        1024, ge=64, description="embedded buffer pool size in MiB (ECOMAP_BUFFER_POOL_MB)"
    )
    max_db_size_gb: int = Field(
        64, ge=1, description="largest embedded database in GiB (ECOMAP_MAX_DB_SIZE_GB)"
    )
    threads: int = Field(0, ge=0, description="embedded query threads; 0 = all cores")
    batch_size: int = Field(5000, ge=1, description="rows per write batch")
    max_nodes: int = Field(
        250_000, ge=1, description="cap on organizations in one filtered graph (ECOMAP_MAX_NODES)"
    )
    api_key: SecretStr | None = Field(
        None,
        description="API: an admin token, sent as the X-API-Key header (ECOMAP_API_KEY); "
        "when set, writes need it or a person's token",
    )
    require_auth_for_reads: bool = Field(
        False,
        description="API: reads need a token too (a person's, any role, or the API key); "
        "otherwise anyone who reaches the server reads (ECOMAP_REQUIRE_AUTH_FOR_READS)",
    )
    author: str | None = Field(
        None,
        max_length=100,
        description="name the CLI records its changes under (ECOMAP_AUTHOR); "
        "default: the login name",
    )
    analytics_workers: int = Field(
        2,
        ge=0,
        description="API: processes computing the analyses and maps "
        "beside the server, so that other requests run meanwhile (ECOMAP_ANALYTICS_WORKERS); "
        "0 = in the server process",
    )
    query_timeout_s: float = Field(
        60,
        gt=0,
        description="longest any one database statement may run, on both backends "
        "(ECOMAP_QUERY_TIMEOUT_S)",
    )
    max_upload_mb: int = Field(
        50, ge=1, description="largest API import upload in MiB (ECOMAP_MAX_UPLOAD_MB)"
    )
    analysis_budget: int = Field(
        2_000_000_000,
        ge=0,
        description="work budget of one metric that walks from every organization "
        "(betweenness, closeness, harmonic): sources x (organizations + ties); over it the API "
        "answers 413 and the CLI exits 2; about 10 s of compiled work on two cores; 0 = "
        "unbounded (ECOMAP_ANALYSIS_BUDGET)",
    )
    max_input_mb: int = Field(
        1024,
        ge=1,
        description="largest input file once decompressed (a .xlsx or .gz counted as it "
        "expands), in MiB, for the CLI and the API (ECOMAP_MAX_INPUT_MB)",
    )
    allowed_hosts: list[str] = Field(
        default_factory=lambda: ["localhost", "127.0.0.1", "::1"],
        description="API: host names the Host header may carry (ECOMAP_ALLOWED_HOSTS, a JSON "
        "list); `ecomap serve` adds its bind address",
    )
    chromium: str | None = Field(
        None,
        description="headless chromium for PDF reports and PNG maps (ECOMAP_CHROMIUM): a path "
        "or a command; default: chromium (or chromium-browser, google-chrome) on the PATH",
    )

    neo4j_uri: str | None = Field(None, validation_alias=AliasChoices("NEO4J_URI"))
    neo4j_user: str = Field("neo4j", validation_alias=AliasChoices("NEO4J_USER"))
    neo4j_password: SecretStr | None = Field(None, validation_alias=AliasChoices("NEO4J_PASSWORD"))
    neo4j_database: str = Field("neo4j", validation_alias=AliasChoices("NEO4J_DATABASE"))

    @property
    def buffer_pool_bytes(self) -> int:
        return self.buffer_pool_mb * MIB

    @property
    def max_db_size_bytes(self) -> int:
        return self.max_db_size_gb * 1024 * MIB

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * MIB

    @property
    def budget(self) -> int | None:
        """:attr:`analysis_budget` as the services take it (``None``: unbounded)."""
        return self.analysis_budget or None

    @property
    def max_input_bytes(self) -> int:
        return self.max_input_mb * MIB
