"""The HTTP API (FastAPI): ``create_app`` builds it; routes live in :mod:`app.api.routes`.

Thin layers: routes parse and validate, call the same service functions as the CLI, and
answer with the JSON the CLI prints with ``--json``. OpenAPI at ``/openapi.json``, read at
``/docs`` (Swagger UI) and ``/redoc``: both pages load their scripts from the assets shipped
with ``fastapi-offline``, never from a CDN, so they work on a machine without internet.

The store is opened once per process, when the application starts, from the settings (or
injected, e.g. by tests: an injected store is used but never closed by the application).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version

import anyio.to_thread
from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from app.api.bounded import HeavySlots, InFlight
from app.api.cache import ResultCache
from app.api.errors import install_error_handlers
from app.api.guard import BrowserGuard
from app.api.routes import api_router, page_router
from app.api.workers import WorkerPool
from app.settings import Settings
from app.store import GraphStore, open_store
from app.web import FAVICON_URL
from graph_analytics.compiled import preload

__all__ = ["create_app"]

logger = logging.getLogger(__name__)

#: Longest wait at shutdown for running computations to stop.
_DRAIN_S = 60.0


def _version() -> str:
    try:
        return version("ecomap")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0.0.0"


def _analytics_pool(workers: int) -> WorkerPool | None:
    """Worker processes for centralities, Leiden and maps (``ECOMAP_ANALYTICS_WORKERS``),
    started now: igraph holds the interpreter lock while it computes, so in the server
    process one analysis would stall every other request.
    Spawned, not forked: the store's threads and locks must not be copied into a child. A
    worker whose task is cancelled is killed and replaced; workers end with the server
    (see :mod:`app.api.workers`)."""
    if workers == 0:
        return None
    return WorkerPool(workers, initializer=preload)


def create_app(settings: Settings | None = None, *, store: GraphStore | None = None) -> FastAPI:
    """The EcoMap API.

    Parameters
    ----------
    settings : Settings, optional
        Configuration (default: from the environment, ``ECOMAP_*``).
    store : GraphStore, optional
        An open store to serve; the application neither opens nor closes one then.

    Returns
    -------
    FastAPI
        The application; run it with uvicorn, or in tests with ``TestClient`` (as a context
        manager, so that startup and shutdown run).
    """
    settings = settings if settings is not None else Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        served = store if store is not None else open_store(settings)
        app.state.store = served
        app.state.cache = ResultCache()
        preload()
        app.state.analytics = _analytics_pool(settings.analytics_workers)
        app.state.heavy = HeavySlots(settings.analytics_workers)
        logger.info("serving the %s store", served.backend)
        try:
            yield
        finally:
            # Running computations stop at their next checkpoint, before the store closes.
            if not await anyio.to_thread.run_sync(app.state.inflight.drain, _DRAIN_S):
                logger.warning("computations still running after %s s at shutdown", _DRAIN_S)
            if store is None:  # opened here: closed here; an injected store is its owner's
                served.close()
            app.state.store = None
            if app.state.analytics is not None:
                app.state.analytics.shutdown(cancel_futures=True)
            app.state.analytics = None

    app = FastAPIOffline(
        favicon_url=FAVICON_URL,
        redoc_url=None,  # served by app.api.routes.docs, without ReDoc's one CDN request
        title="EcoMap",
        version=_version(),
        description="Map, filter and analyse business-cluster ecosystems.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.analytics = None  # the worker processes, from startup
    app.state.heavy = HeavySlots(settings.analytics_workers)
    app.state.inflight = InFlight()
    # An injected store is ready at once (even without startup); its owner closes it.
    app.state.store = store
    app.state.cache = ResultCache()
    install_error_handlers(app)
    app.add_middleware(BrowserGuard, allowed_hosts=settings.allowed_hosts)
    app.include_router(api_router)
    app.include_router(page_router)
    return app
