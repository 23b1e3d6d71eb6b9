"""Headless chromium as a print engine: a page to a PDF, an SVG to a PNG.

The runtime runs the browser binary itself (never Playwright, which only the tests use):
``ECOMAP_CHROMIUM`` when set, else ``chromium`` (or ``chromium-browser``, ``google-chrome``)
on the ``PATH``. Each run gets a fresh profile in a temporary folder, no network (every
request but ``file:`` is refused by a proxy that does not exist) and a time limit; the
process, and any child it started, is killed when the limit passes or the caller is
interrupted (Ctrl-C), so no browser outlives the command.

Where no chromium can be found, :class:`ChromiumMissingError` says what to install (an
invalid request on this machine: the CLI exits 2); a browser that fails or runs out of time
raises :class:`ChromiumFailedError` (exit 1).
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from app.errors import EcoMapError, InvalidInputError

__all__ = [
    "CANDIDATES",
    "TIMEOUT_S",
    "ChromiumFailedError",
    "ChromiumMissingError",
    "find_chromium",
    "print_pdf",
    "screenshot_png",
]

logger = logging.getLogger(__name__)

#: Browser commands looked for on the PATH, in this order.
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: Longest one browser run may take, in seconds.
TIMEOUT_S = 120.0

#: Quiet, offline, sandbox-free (root in a container) headless flags.
_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--mute-audio",
    "--hide-scrollbars",
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
)

_INSTALL = (
    "install it (Debian/Ubuntu: apt-get install chromium; Fedora: dnf install chromium; "
    "macOS: brew install --cask chromium) or set ECOMAP_CHROMIUM to the browser's path"
)


class ChromiumMissingError(InvalidInputError):
    """No headless chromium on this machine: PDF and PNG output cannot be made here."""

    def __init__(self, detail: str = "") -> None:
        reason = detail or "no chromium was found on the PATH"
        super().__init__(f"PDF and PNG output need headless chromium ({reason}): {_INSTALL}")


class ChromiumFailedError(EcoMapError):
    """Chromium ran but did not produce its output (it failed, or took too long)."""


def find_chromium(configured: Path | str | None = None) -> Path:
    """The browser to run: ``configured`` (``ECOMAP_CHROMIUM``) if given, else the first of
    :data:`CANDIDATES` on the ``PATH``.

    Raises
    ------
    ChromiumMissingError
        When ``configured`` names no executable file, or none is on the ``PATH``.
    """
    if configured:
        path = Path(configured)
        if path.is_file() and os.access(path, os.X_OK):
            return path
        found = shutil.which(str(configured))
        if found:
            return Path(found)
        raise ChromiumMissingError(f"ECOMAP_CHROMIUM={configured} is not an executable")
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return Path(found)
    raise ChromiumMissingError()


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Kill the browser and everything it started (its own process group), done or not."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        if process.poll() is None:
            process.kill()
    process.wait()


def _run(
    browser: Path, arguments: Sequence[str], output: Path, *, timeout: float, what: str
) -> None:
    """Run ``browser`` headless with ``arguments``; ``output`` must exist, not empty, after."""
    with tempfile.TemporaryDirectory(prefix="ecomap-chromium-") as profile:
        command = [str(browser), *_FLAGS, f"--user-data-dir={profile}", *arguments]
        logger.debug("running %s", command)
        try:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                start_new_session=True,  # its own group: killed whole, spared the terminal's ^C
            )
        except OSError as exc:
            raise ChromiumMissingError(f"{browser} cannot be run: {exc.strerror or exc}") from exc
        try:
            _, errors = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop(process)
            raise ChromiumFailedError(
                f"chromium took longer than {timeout:g} s to make {what}"
            ) from None
        finally:
            _stop(process)  # interrupted (Ctrl-C) or done: no browser outlives the call
    if process.returncode != 0 or not output.is_file() or output.stat().st_size == 0:
        tail = errors.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise ChromiumFailedError(
            f"chromium could not make {what} (exit {process.returncode}): " + " / ".join(tail)
        )


def print_pdf(page: Path, pdf: Path, *, browser: Path, timeout: float = TIMEOUT_S) -> None:
    """Print the HTML file ``page`` to ``pdf`` as chromium prints it (the page's ``@page``
    and ``@media print`` rules apply; no header or footer is added).

    ``pdf`` is written by the browser: pass a temporary path and move it into place.
    """
    arguments = (
        "--no-pdf-header-footer",
        "--print-to-pdf-no-header",
        "--run-all-compositor-stages-before-draw",
        f"--print-to-pdf={pdf}",
        page.resolve().as_uri(),
    )
    _run(browser, arguments, pdf, timeout=timeout, what="the PDF")


def screenshot_png(
    page: Path,
    png: Path,
    *,
    width: int,
    height: int,
    browser: Path,
    timeout: float = TIMEOUT_S,
) -> None:
    """A ``width`` x ``height`` pixel PNG of the HTML file ``page`` (a window of that size,
    one pixel per CSS pixel), written to ``png`` (a temporary path, as for :func:`print_pdf`).
    """
    arguments = (
        f"--window-size={width},{height}",
        "--force-device-scale-factor=1",
        "--run-all-compositor-stages-before-draw",
        "--default-background-color=ffffffff",
        f"--screenshot={png}",
        page.resolve().as_uri(),
    )
    _run(browser, arguments, png, timeout=timeout, what="the PNG")
