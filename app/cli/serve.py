"""``ecomap serve``: the HTTP API and the explorer page, with uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from app.cli.common import stderr

__all__ = ["serve"]


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8000,
) -> None:
    """Serve the HTTP API and the explorer page (open http://HOST:PORT/ in a browser)."""
    import uvicorn

    from app.api import create_app

    settings = ctx.obj
    if host not in settings.allowed_hosts:  # the bind address is a name the server answers to
        settings = settings.model_copy(update={"allowed_hosts": [*settings.allowed_hosts, host]})
    stderr.print(
        f"EcoMap on http://{host}:{port}/ (API docs at /docs), database {settings.db}",
        highlight=False,
    )
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
