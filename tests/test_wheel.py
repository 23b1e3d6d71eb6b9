"""The wheel is the whole application: built from this checkout and installed into a fresh
virtual environment, it runs ``ecomap demo`` from an empty folder.

The wheel is built from a temporary copy of the sources (so no build/ or *.egg-info appears in
the repository) with this environment's setuptools, offline. The new environment installs the
wheel alone (``--no-deps``); a .pth file lets it import this environment's third-party packages
(no download), while ``app`` itself can only come from the wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
#: Everything a build reads.
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "LICENSE")
PACKAGES = ("app", "graph_analytics", "cypher")
_IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc")


def _run(
    command: list[str | Path], *, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, (
        f"{' '.join(map(str, command))} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
    )
    return done


def _clean_env(**settings: str) -> dict[str, str]:
    """The environment without Python, virtualenv and EcoMap variables, plus ``settings``."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("PYTHON", "ECOMAP_", "NEO4J_")) and name != "VIRTUAL_ENV"
    }
    return {**env, **settings}


def _package_files() -> set[str]:
    """What the wheel must hold: every file of the packages, cypher/ as app/cypher/."""
    expected = set()
    for package in ("app", "graph_analytics"):
        for path in (ROOT / package).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                expected.add(path.relative_to(ROOT).as_posix())
    for path in (ROOT / "cypher").rglob("*.cypher"):
        expected.add("app/" + path.relative_to(ROOT).as_posix())
    return expected


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in SOURCES:
        shutil.copy2(ROOT / name, source / name)
    for name in PACKAGES:
        shutil.copytree(ROOT / name, source / name, ignore=_IGNORED)
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--no-build-isolation",
            "--check-build-dependencies",  # the test extra brings setuptools>=77
            "--wheel-dir",
            work / "dist",
            source,
        ],
        env=_clean_env(),
    )
    (built,) = (work / "dist").glob("ecomap-*.whl")
    return built


def test_wheel_carries_every_package_file(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = {name for name in archive.namelist() if not name.endswith("/")}
    missing = sorted(_package_files() - names)
    assert not missing, f"the wheel lacks {missing}"


def test_installed_wheel_runs_the_demo(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv])
    python = venv / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--python", python]
    _run([*pip, "install", "--quiet", "--no-deps", "--no-index", wheel], env=_clean_env())
    env = _clean_env(
        ECOMAP_DB=str(tmp_path / "db" / "ecomap.lbug"),
        ECOMAP_BUFFER_POOL_MB="128",
        ECOMAP_MAX_DB_SIZE_GB="8",
    )
    site = _run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], env=env
    )
    here = dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
    (Path(site.stdout.strip()) / "ecomap-test-dependencies.pth").write_text(
        "".join(f"{path}\n" for path in here), encoding="utf-8"
    )
    empty = tmp_path / "cwd"
    empty.mkdir()

    where = _run(
        [
            python,
            "-c",
            "import app, app.store.queries as q; print(app.__file__, q.CYPHER_DIR, sep='\\n')",
        ],
        cwd=empty,
        env=env,
    )
    module, cypher = (Path(line).resolve() for line in where.stdout.splitlines())
    assert module.is_relative_to(venv.resolve()), f"app imported from {module}, not the wheel"
    assert cypher == module.parent / "cypher"

    out = tmp_path / "out"
    _run([venv / "bin" / "ecomap", "demo", "--out", out], cwd=empty, env=env)
    for name in ("map.html", "report.html"):
        assert (out / name).stat().st_size > 1000, name
    assert (tmp_path / "db" / "ecomap.lbug").exists()
