"""The headless-browser harness itself (tests/browser.py): drawing, blocked requests, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import nonblank_fraction, open_page

CANVAS = """<!doctype html>
<html><head><meta charset="utf-8"><title>canvas</title></head>
<body style="margin:0;background:#fff">
<canvas id="map" width="400" height="300"></canvas>
<script>
  const ctx = document.getElementById("map").getContext("2d");
  ctx.fillStyle = "#1f77b4";
  ctx.fillRect(20, 20, 300, 200);
</script>
</body></html>
"""

CDN = """<!doctype html>
<html><head><meta charset="utf-8"><title>cdn</title>
<script src="https://cdn.example.com/x.js" onerror="window.cdnFailed = true"></script>
</head><body><p id="done">loaded</p></body></html>
"""

THROWS = """<!doctype html>
<html><head><meta charset="utf-8"><title>throws</title></head>
<body><script>throw new Error("boom from the page");</script></body></html>
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "page.html"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.browser
def test_drawn_canvas_loads_cleanly(tmp_path: Path) -> None:
    with open_page(write(tmp_path, CANVAS), viewport=(640, 480)) as session:
        png = session.screenshot_png(tmp_path / "shot.png")
        canvas_png = session.screenshot_png(selector="#map")
        assert session.console_errors == []
        assert session.external_requests == []
    assert png.startswith(b"\x89PNG") and (tmp_path / "shot.png").read_bytes() == png
    assert nonblank_fraction(png) > 0.01
    # 300x200 of the 400x300 canvas is filled: the fill becomes the "background" colour.
    assert nonblank_fraction(canvas_png) == pytest.approx(1 - 300 * 200 / (400 * 300))


@pytest.mark.browser
def test_external_request_is_recorded_and_aborted(tmp_path: Path) -> None:
    with open_page(write(tmp_path, CDN)) as session:
        assert session.external_requests == ["https://cdn.example.com/x.js"]
        assert session.page.evaluate("window.cdnFailed") is True
        assert session.page.text_content("#done") == "loaded"
        assert session.console_errors == []  # the abort itself is not a page error


@pytest.mark.browser
def test_script_error_is_recorded(tmp_path: Path) -> None:
    with open_page(write(tmp_path, THROWS)) as session:
        assert session.external_requests == []
        assert any("boom from the page" in error for error in session.console_errors)


def test_uniform_png_has_nothing_drawn() -> None:
    # A 2x1 white RGB PNG built by hand: no browser needed.
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 2, 1, 8, 2, 0, 0, 0)
    white = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" + b"\xff" * 6))
    png = b"\x89PNG\r\n\x1a\n" + white + chunk(b"IEND", b"")
    assert nonblank_fraction(png) == 0.0
