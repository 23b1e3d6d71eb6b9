"""Docs that cannot drift: the README's CLI reference is the CLI's own help, and its Python
example runs."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_readme_cli_reference_matches_the_cli_help() -> None:
    spec = importlib.util.spec_from_file_location("cli_reference", ROOT / "tools/cli_reference.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert module.splice(readme, module.render()) == readme, (
        "README.md's CLI reference is out of date: run python tools/cli_reference.py --write"
    )


def test_readme_shows_the_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme


def test_readme_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's notebook example, run as written (in an empty working directory)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Notebooks and the Python API", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {}
    exec(compile(code, "README.md", "exec"), namespace)  # our own README
    try:
        assert namespace["G"].number_of_nodes() > 10
        assert "<iframe" in namespace["eco"].show_map(namespace["store"])._repr_html_()
    finally:
        namespace["store"].close()


def test_readme_lists_every_setting() -> None:
    """Every Settings field has a row in the README's settings table, under its variable."""
    from pydantic import AliasChoices

    from app.settings import Settings

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Settings", 1)[1].split("\n## ", 1)[0]
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        variable = alias.choices[0] if isinstance(alias, AliasChoices) else f"ECOMAP_{name}"
        assert f"`{str(variable).upper()}`" in table, f"README's settings table lacks {variable}"
