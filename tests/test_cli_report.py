"""``ecomap report``: the report of a filtered selection as HTML and (headless chromium) an A4
PDF; progress on stderr; a clear error, and no file, where chromium is missing; Ctrl-C
stops it without a traceback and leaves nothing behind."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from test_cli import cli, ok
from test_report import Page
from typer.testing import CliRunner

from app.cli import app
from app.services.report_page import PHASES

FASHION = "cl-valmora-fashion"


def make_sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding the sample (loaded by ``ecomap demo``)."""
    folder = tmp_path_factory.mktemp("report-cli")
    ok(cli(CliRunner(), folder / "eco.lbug", "demo", "--out", folder))
    return folder / "eco.lbug"


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's database; tests only read it."""
    return make_sample_db(tmp_path_factory)


def leftovers(folder: Path) -> list[str]:
    """Temporary files an interrupted or failed write would leave."""
    return sorted(p.name for p in folder.iterdir() if ".tmp" in p.name)


def pdf_pages(data: bytes) -> list[tuple[float, float]]:
    """(width, height) in points of each page of a PDF chromium printed."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    return [(float(w), float(h)) for w, h in boxes]


def test_report_of_a_selection(runner: CliRunner, sample_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "fashion.html"
    result = ok(
        cli(
            runner,
            sample_db,
            "report",
            "--cluster",
            FASHION,
            "--kind",
            "company",
            "-o",
            out,
            "--title",
            "Fashion companies",
            "--top",
            "5",
        )
    )
    assert result.stdout.strip() == str(out)
    # progress: one line per phase, in order, on stderr (not a terminal here)
    shown = re.findall(r"^\[(\d)/(\d)\] (.+)\u2026$", result.stderr, flags=re.M)
    assert [phase for _, _, phase in shown] == list(PHASES)
    assert {total for _, total, _ in shown} == {str(len(PHASES))}
    page = Page(out.read_text(encoding="utf-8"))
    assert page.headings["h1"] == "Fashion companies"
    scope = " ".join("".join(page.texts).split())
    assert "kind: company; cluster: Valmora Fashion & Textile District" in scope
    assert len(page.body_rows("links")) == 5
    assert page.iframes(), "the interactive map"
    assert any(tag == "svg" for tag, _ in page.tags), "the map for print"
    assert leftovers(out.parent) == []


def test_report_json_and_no_map(runner: CliRunner, sample_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = ok(cli(runner, sample_db, "report", "--no-map", "-o", out, "--json"))
    answer = json.loads(result.stdout)
    assert answer == {"html": str(out), "pdf": None, "organizations": 176, "banners": []}
    assert "[1/" not in result.stderr  # --json: no progress
    page = Page(out.read_text(encoding="utf-8"))
    assert page.iframes() == [] and "not included" in page.text("map")


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["-o", "r.txt"], "--out"),
        (["-o", "r.html", "--pdf", "r.html"], "--pdf"),
        (["-o", "r.html", "--color-by", "mood"], "--color-by"),
        (["-o", "r.html", "--top", "0"], "--top"),
    ],
)
def test_invalid_options_exit_2(
    runner: CliRunner, sample_db: Path, tmp_path: Path, args: list[str], hint: str
) -> None:
    result = cli(
        runner, sample_db, "report", *[str(tmp_path / a) if a.startswith("r.") else a for a in args]
    )
    assert result.exit_code == 2, result.stderr
    assert hint in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("how", ["configured", "path"])
def test_pdf_without_chromium_says_what_to_install(
    runner: CliRunner, sample_db: Path, tmp_path: Path, how: str
) -> None:
    env = (
        {"ECOMAP_CHROMIUM": str(tmp_path / "no-such-browser")}
        if how == "configured"
        else {"PATH": str(tmp_path), "ECOMAP_CHROMIUM": ""}
    )
    out, pdf = tmp_path / "r.html", tmp_path / "r.pdf"
    args = ["--db", str(sample_db), "report", "-o", str(out), "--pdf", str(pdf)]
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    message = " ".join(result.stderr.split())
    assert message.startswith("error: PDF and PNG output need headless chromium")
    assert "apt-get install chromium" in message and "ECOMAP_CHROMIUM" in message
    assert not out.exists() and not pdf.exists()


@pytest.mark.browser
def test_pdf_report_is_printed_on_a4(runner: CliRunner, sample_db: Path, tmp_path: Path) -> None:
    out, pdf = tmp_path / "r.html", tmp_path / "pdf" / "r.pdf"
    result = ok(cli(runner, sample_db, "report", "--cluster", FASHION, "-o", out, "--pdf", pdf))
    assert result.stdout.split() == [str(out), str(pdf)]
    assert "printing the PDF" in result.stderr
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = pdf_pages(data)
    assert len(pages) >= 2
    a4 = (595.0, 842.0)
    for width, height in pages:  # A4, portrait for the text, landscape for the map
        assert sorted((round(width), round(height))) == sorted(map(round, a4))
    assert pages[0][0] < pages[0][1] and pages[-1][0] > pages[-1][1]
    assert "Valmora Fashion" in out.read_text(encoding="utf-8")
    assert leftovers(tmp_path) == [] and leftovers(pdf.parent) == []


def _interrupt(db: Path, out: Path, pdf: Path | None, at: str) -> subprocess.CompletedProcess[str]:
    """Run ``ecomap report`` and press Ctrl-C (SIGINT) when phase ``at`` starts."""
    command = [sys.executable, "-m", "app.cli", "--db", str(db), "report", "-o", str(out)]
    if pdf is not None:
        command += ["--pdf", str(pdf)]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stderr is not None
    lines = []
    for line in process.stderr:
        lines.append(line)
        if at in line:
            process.send_signal(signal.SIGINT)
            break
    stdout, rest = process.communicate(timeout=120)
    return subprocess.CompletedProcess(command, process.returncode, stdout, "".join(lines) + rest)


def test_ctrl_c_stops_without_traceback_or_files(sample_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    done = _interrupt(sample_db, out, None, PHASES[0])
    assert done.returncode == 130, done.stderr
    assert "cancelled: nothing was written" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert list(tmp_path.iterdir()) == []


@pytest.mark.browser
def test_ctrl_c_while_printing_leaves_neither_file(sample_db: Path, tmp_path: Path) -> None:
    out, pdf = tmp_path / "r.html", tmp_path / "r.pdf"
    done = _interrupt(sample_db, out, pdf, "printing the PDF")
    assert done.returncode == 130, done.stderr
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []
