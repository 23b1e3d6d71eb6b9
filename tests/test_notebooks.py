"""Every notebook in notebooks/ runs top to bottom, and is kept in git without outputs.

Notebooks run with nbclient on the ``python3`` kernel of this environment's ipykernel (a
test checks that the kernel is this interpreter), from a copy in a temporary folder, so
nothing is written back to notebooks/. Matplotlib draws with Agg. A notebook whose metadata
says ``{"ecomap": {"requires": "PATH"}}`` (PATH relative to the repository root) is skipped
when PATH does not exist, e.g. real data under ../shared/data/.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbclient
import nbformat
import pytest
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: Seconds any one cell may take.
CELL_TIMEOUT = 300


@pytest.fixture
def kernel_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the kernel inherits: no GUI backend for matplotlib, jupyter's own directories."""
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # the debugger's startup warning


def _run(notebook: Any, workdir: Path) -> Any:
    """Execute ``notebook`` in ``workdir``; a failing cell raises CellExecutionError."""
    client = nbclient.NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=CELL_TIMEOUT,
        resources={"metadata": {"path": str(workdir)}},
    )
    return client.execute()


def _first_error(notebook: Any) -> str | None:
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return f"cell {index}: {output['ename']}: {output['evalue']}"
    return None


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path: Path, tmp_path: Path, kernel_env: None) -> None:
    notebook = nbformat.read(path, as_version=4)
    required = notebook.metadata.get("ecomap", {}).get("requires")
    if required and not (ROOT / required).exists():
        pytest.skip(f"{path.name} needs {required} (relative to the repository root)")
    original = path.read_bytes()
    shutil.copyfile(path, tmp_path / path.name)  # the working copy, as Jupyter would run it
    try:
        executed = _run(notebook, tmp_path)
    except CellExecutionError as exc:
        trace = re.sub(r"\x1b\[[0-9;]*m", "", str(exc))  # without the terminal colours
        pytest.fail(f"{path.name}: {_first_error(notebook)}\n{trace}", pytrace=False)
    assert _first_error(executed) is None
    assert path.read_bytes() == original


def test_kernel_is_this_environment(tmp_path: Path, kernel_env: None) -> None:
    """The ``python3`` kernel runs this interpreter, so it imports the EcoMap under test."""
    cell = nbformat.v4.new_code_cell(
        "import sys, app\nprint(sys.prefix)\nprint(app.__file__)\nimport matplotlib\n"
        "print(matplotlib.get_backend())"
    )
    notebook = nbformat.v4.new_notebook(cells=[cell])
    outputs = _run(notebook, tmp_path).cells[0].outputs
    # stdout may arrive as several stream outputs (it depends on ipykernel's flushing)
    stdout = "".join(
        output["text"]
        for output in outputs
        if output["output_type"] == "stream" and output["name"] == "stdout"
    )
    printed = stdout.split()
    assert len(printed) == 3, outputs
    prefix, module, backend = printed
    assert Path(prefix).resolve() == Path(sys.prefix).resolve()
    assert Path(module).resolve() == (ROOT / "app" / "__init__.py").resolve()
    assert backend.lower() == "agg"


def _committed(path: Path) -> str:
    """The notebook as git holds it (staged or committed), else as it is on disk."""
    relative = path.relative_to(ROOT).as_posix()
    try:
        shown = subprocess.run(
            ["git", "-C", str(ROOT), "show", f":{relative}"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return path.read_text(encoding="utf-8")
    return shown.stdout if shown.returncode == 0 else path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    notebook = nbformat.reads(_committed(path), as_version=4)
    nbformat.validate(notebook)
    dirty = [
        index
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert not dirty, (
        f"{path.name}: cells {dirty} have outputs or execution counts; clear all outputs "
        f"before committing (Jupyter: Edit > Clear Outputs of All Cells)"
    )


def test_there_are_notebooks() -> None:
    assert len(NOTEBOOKS) >= 3
