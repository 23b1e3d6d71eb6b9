"""Headless-browser harness for HTML map tests: Debian's chromium driven by Playwright.

Never ``playwright install``: the browser comes from the ``chromium`` Debian package
(``make test`` installs it) or from ``$ECOMAP_CHROMIUM``. Tests that use it carry
``@pytest.mark.browser`` (see ``conftest.py``): skipped when chromium or Playwright is
missing, an error under CI.

Every request that would leave the machine is recorded and aborted, so a page that
references a CDN fails fast and visibly instead of hanging on the closed network.
"""

from __future__ import annotations

import importlib.util
import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage, Page, Route, WebSocketRoute

#: Debian's chromium (a shell wrapper that execs /usr/lib/chromium/chromium).
CHROMIUM = Path("/usr/bin/chromium")

#: --no-sandbox is required as root; the rest keep chromium quiet and off the network.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
)

LOCAL_SCHEMES = frozenset({"file", "data", "blob", "about"})
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

#: Chromium's console message for a request we aborted (``route.abort("blockedbyclient")``).
_BLOCKED = "net::ERR_BLOCKED_BY_CLIENT"


def chromium_path() -> Path | None:
    """The chromium to drive: ``$ECOMAP_CHROMIUM`` if set, else Debian's; None if not there.

    An ``$ECOMAP_CHROMIUM`` that names no executable gives None rather than a silent fallback.
    """
    override = os.environ.get("ECOMAP_CHROMIUM")
    candidates = [Path(override)] if override else [CHROMIUM]
    if not override:
        found = shutil.which("chromium")
        if found:
            candidates.append(Path(found))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def unavailable_reason() -> str | None:
    """Why browser tests cannot run here, or None when chromium and Playwright are present."""
    if importlib.util.find_spec("playwright") is None:
        return "Playwright is not installed (pip install -e '.[test]')"
    if chromium_path() is None:
        if os.environ.get("ECOMAP_CHROMIUM"):
            return f"$ECOMAP_CHROMIUM={os.environ['ECOMAP_CHROMIUM']} is not an executable"
        return f"chromium not found at {CHROMIUM} (apt-get install chromium, or make test)"
    return None


def is_external(url: str) -> bool:
    """True for URLs that would leave the machine.

    >>> [is_external(u) for u in ("file:///m.html", "data:,x", "http://127.0.0.1:8000/a")]
    [False, False, False]
    >>> is_external("https://cdn.example.com/x.js"), is_external("wss://tiles.example/ws")
    (True, True)
    """
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return False
    return (parts.hostname or "") not in LOCAL_HOSTS


@dataclass
class PageSession:
    """A loaded page plus what it did: console/page errors, external requests (all aborted)."""

    page: Page
    console_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)

    def screenshot_png(
        self, path: Path | str | None = None, *, selector: str | None = None
    ) -> bytes:
        """PNG of the viewport, or of the element matching ``selector``; also written to path."""
        if selector is not None:
            return self.page.locator(selector).screenshot(path=path)
        return self.page.screenshot(path=path)


def _to_url(target: Path | str) -> str:
    if isinstance(target, str) and len(urlsplit(target).scheme) > 1:
        return target  # a URL; a one-letter "scheme" is a Windows drive
    return Path(target).resolve().as_uri()


@contextmanager
def open_page(
    html_path_or_url: Path | str,
    *,
    viewport: tuple[int, int] = (1280, 800),
    timeout_ms: float = 10_000,
) -> Iterator[PageSession]:
    """Load a file (path) or URL in headless chromium with a fresh profile; yield the session.

    The page has fired ``load`` when this yields. External requests (see ``is_external``)
    are recorded and aborted; "Failed to load resource" console errors caused by that
    abort are not repeated in ``console_errors``, which holds the page's own console
    errors and uncaught exceptions (``pageerror``).
    """
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        raise RuntimeError(unavailable_reason() or "chromium not found")
    width, height = viewport
    with (
        tempfile.TemporaryDirectory(prefix="ecomap-chromium-") as profile,
        sync_playwright() as playwright,
    ):
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=executable,
            headless=True,
            args=list(CHROMIUM_ARGS),
            viewport={"width": width, "height": height},
            service_workers="block",  # workers' fetches would bypass routing
            timeout=timeout_ms,
        )
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.set_default_timeout(timeout_ms)
            session = PageSession(page=page)

            def on_request(route: Route) -> None:
                url = route.request.url
                if is_external(url):
                    session.external_requests.append(url)
                    route.abort("blockedbyclient")
                else:
                    route.fallback()

            def on_socket(socket: WebSocketRoute) -> None:
                if is_external(socket.url):
                    session.external_requests.append(socket.url)
                    socket.close()
                else:
                    socket.connect_to_server()

            def on_console(message: ConsoleMessage) -> None:
                if message.type != "error":
                    return
                if _BLOCKED in message.text and message.location.get("url", "") in set(
                    session.external_requests
                ):
                    return
                session.console_errors.append(message.text)

            def on_page_error(error: Exception) -> None:
                session.console_errors.append(f"pageerror: {error}")

            context.route("**/*", on_request)
            context.route_web_socket("**/*", on_socket)
            page.on("console", on_console)
            page.on("pageerror", on_page_error)
            page.goto(_to_url(html_path_or_url), wait_until="load")
            yield session
        finally:
            context.close()


def nonblank_fraction(png: bytes) -> float:
    """Share of pixels that differ from the most common colour (the background), 0.0 to 1.0."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        rgba = image.convert("RGBA")
    total = rgba.width * rgba.height
    if total == 0:
        return 0.0
    colors = rgba.getcolors(maxcolors=total)
    assert colors is not None  # maxcolors=total can't be exceeded
    return 1.0 - max(count for count, _ in colors) / total


def free_port() -> int:
    """A TCP port nobody listens on now, on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(db: Path, *, timeout_s: float = 30) -> Iterator[str]:
    """``ecomap serve`` on the database ``db``, on 127.0.0.1 and a free port, until the
    block ends; yields its base URL once ``/api/health`` answers."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "--db", str(db), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    message = process.stderr.read().decode() if process.stderr else ""
                    raise RuntimeError(message) from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
