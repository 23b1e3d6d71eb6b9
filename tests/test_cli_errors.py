"""Failures of the ``ecomap`` command line: one line on stderr and exit 1 when the system fails
(an output that cannot be written, a full disk, the store), exit 2 when the input is wrong;
never a traceback. Real databases in temporary folders, through typer's runner."""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import pytest
from csvdata import ORG_HEADER
from typer.testing import CliRunner, Result

from app.cli import app
from app.errors import NotFoundError, QueryTimeoutError, StoreBusyError, StoreError
from app.services import output

WriteCsv = Callable[[str, str], Path]


def cli(runner: CliRunner, db: Path, *args: object) -> Result:
    return runner.invoke(app, ["--db", str(db), *(str(a) for a in args)])


def failed(result: Result, code: int) -> str:
    """The one ``error:`` line of a failed command (and no traceback anywhere)."""
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert isinstance(result.exception, SystemExit), result.exception  # handled, not raised
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    return errors[0]


def only_line(result: Result, code: int) -> str:
    """As :func:`failed`, and the error is all there is on stderr."""
    line = failed(result, code)
    assert [text for text in result.stderr.splitlines() if text.strip()] == [line]
    return line


@pytest.fixture
def loaded(runner: CliRunner, tmp_db: Path, tiny_ecosystem: tuple[Path, Path]) -> Path:
    """``tmp_db`` with the tiny ecosystem imported."""
    result = cli(runner, tmp_db, "import", *tiny_ecosystem)
    assert result.exit_code == 0, result.stderr
    return tmp_db


# -- outputs that cannot be written ----------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["export", "--format", "json", "-o", "/proc/nope/x.json"], "/proc/nope/x.json"),
        (["export", "--format", "graphml", "-o", "/proc/nope/x.graphml"], "/proc/nope/x.graphml"),
        (["export", "--format", "gexf", "-o", "/proc/x.gexf"], "/proc/x.gexf"),
        (["export", "--format", "csv", "-o", "/proc/nope"], "/proc/nope"),
        (["map", "-o", "/proc/x.html"], "/proc/x.html"),
        (["map", "--json", "-o", "/proc/nope/x.html"], "/proc/nope/x.html"),
        (["demo", "--out", "/proc/x"], "/proc/x"),
        (["generate", "--orgs", "10", "--out", "/proc/x"], "/proc/x"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else None,
)
def test_unwritable_output_is_one_line_and_exit_1(
    runner: CliRunner, loaded: Path, args: list[str], named: str
) -> None:
    line = only_line(cli(runner, loaded, *args), 1)
    assert line.startswith(f"error: cannot write {named}: "), line


def test_output_that_is_a_folder_is_one_line(
    runner: CliRunner, loaded: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    line = only_line(cli(runner, loaded, "map", "-o", folder), 1)
    assert line == f"error: cannot write {folder}: Is a directory"


class _DiskFull:
    """A file handle that takes half of the first write, then fails as a full disk does."""

    def __init__(self, handle: IO[Any]) -> None:
        self._handle = handle

    def write(self, data: Any) -> int:
        self._handle.write(data[: len(data) // 2])
        self._handle.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)

    def __enter__(self) -> _DiskFull:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()


@pytest.mark.parametrize(
    ("args", "target"),
    [
        (["map", "-o", "{out}/map.html"], "map.html"),
        (["export", "--format", "json", "-o", "{out}/eco.json"], "eco.json"),
        (["export", "--format", "graphml", "-o", "{out}/eco.graphml"], "eco.graphml"),
        (["export", "--format", "csv", "-o", "{out}"], "organizations.csv"),
        (["generate", "--orgs", "10", "--out", "{out}"], "organizations.csv"),
        (["demo", "--into-existing", "--out", "{out}"], "map.html"),
    ],
    ids=lambda value: value[0] if isinstance(value, list) else None,
)
def test_full_disk_leaves_the_old_file_and_no_half_file(
    runner: CliRunner,
    loaded: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    target: str,
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / target).write_text("the previous version\n", encoding="utf-8")
    real_open = output._open_fd
    monkeypatch.setattr(output, "_open_fd", lambda *a: _DiskFull(real_open(*a)))
    result = cli(runner, loaded, *(a.format(out=out) for a in args))
    line = failed(result, 1)
    assert line == f"error: cannot write {out / target}: No space left on device"
    assert (out / target).read_text(encoding="utf-8") == "the previous version\n"
    assert sorted(p.name for p in out.iterdir()) == [target]  # no temporary file left


def test_written_outputs_are_whole_and_readable(
    runner: CliRunner, loaded: Path, tmp_path: Path
) -> None:
    path = tmp_path / "deep" / "er" / "eco.json"
    result = cli(runner, loaded, "export", "--format", "json", "-o", path)
    assert result.exit_code == 0, result.stderr
    assert path.read_text(encoding="utf-8").endswith("}\n")
    assert sorted(p.name for p in path.parent.iterdir()) == ["eco.json"]
    assert path.stat().st_mode & 0o777 != 0o600  # as open() makes files, not mkstemp


# -- the store --------------------------------------------------------------------------------


def _raise(error: Exception) -> Callable[..., Any]:
    def service(*args: Any, **kwargs: Any) -> Any:
        raise error

    return service


def test_query_timeout_names_the_setting(
    runner: CliRunner, loaded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    error = QueryTimeoutError(7.0)
    monkeypatch.setattr("app.cli.analyze.health_of", _raise(error))
    line = only_line(cli(runner, loaded, "analyze", "health", "--json"), 1)
    assert "took longer than the 7 s timeout" in line and "ECOMAP_QUERY_TIMEOUT_S" in line


def test_busy_store_is_its_message_on_one_line(
    runner: CliRunner,
    tmp_db: Path,
    tiny_ecosystem: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    error = StoreBusyError(f"{tmp_db} is open for writing in another process (ecomap serve?)")
    monkeypatch.setattr("app.cli.data.import_files", _raise(error))
    line = failed(cli(runner, tmp_db, "import", *tiny_ecosystem), 1)
    assert line == f"error: {error}"


def test_store_error_is_one_line_and_never_markup(
    runner: CliRunner, loaded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    error = StoreError("Binder exception: [/x] is not a [red]label[/red]\n  at query line 3")
    monkeypatch.setattr("app.cli.data.export_data", _raise(error))
    line = only_line(cli(runner, loaded, "export", "--format", "json", "-o", "x.json"), 1)
    assert line == "error: Binder exception: [/x] is not a [red]label[/red] at query line 3"


def test_unknown_id_with_markup_is_shown_as_typed(runner: CliRunner, loaded: Path) -> None:
    for org_id in ("[/x]", "[red]acme"):
        line = only_line(cli(runner, loaded, "ego", org_id), 2)
        assert org_id in line, line
    path_line = only_line(cli(runner, loaded, "path", "acme", "[/nope]"), 2)
    assert "[/nope]" in path_line


def test_paths_with_markup_are_printed_as_typed(
    runner: CliRunner, loaded: Path, tmp_path: Path
) -> None:
    path = tmp_path / "[/x]" / "[red]eco.json"
    result = cli(runner, loaded, "export", "--format", "json", "-o", path)
    assert result.exit_code == 0, (result.stderr, result.exception)
    assert result.stdout.strip() == str(path)
    unwritable = only_line(cli(runner, loaded, "map", "-o", "/proc/[/x]/[red]m.html"), 1)
    assert unwritable.startswith("error: cannot write /proc/[/x]/[red]m.html: ")


def test_not_found_stays_exit_2(
    runner: CliRunner, loaded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("app.cli.analyze.health_of", _raise(NotFoundError("no cluster 'k'")))
    assert only_line(cli(runner, loaded, "analyze", "health"), 2) == "error: no cluster 'k'"


# -- numbers out of range ---------------------------------------------------------------------


def test_overflowing_employees_is_an_input_error(
    runner: CliRunner, tmp_db: Path, write_csv: WriteCsv
) -> None:
    orgs = write_csv(
        "organizations.csv",
        f"{ORG_HEADER}\nbig,Big Corp,company,,,,,,,,,99999999999999999999999,,,\n",
    )
    result = cli(runner, tmp_db, "import", orgs)
    assert result.exit_code == 2, (result.stdout, result.stderr, result.exception)
    assert "Traceback" not in result.stderr
    assert (
        "organizations.csv:2: employees: Input should be less than or equal to 10000000 "
        "(got '99999999999999999999999')"
    ) in result.stderr.splitlines()
    assert "nothing was imported" in result.stderr


@pytest.mark.parametrize(
    "option",
    ["--min-employees", "--max-employees", "--founded-from", "--founded-to"],
)
@pytest.mark.parametrize("value", ["99999999999999999999", "-99999999999999999999"])
def test_huge_filter_numbers_are_usage_errors(
    runner: CliRunner, loaded: Path, option: str, value: str
) -> None:
    result = cli(runner, loaded, "orgs", f"{option}={value}")
    assert result.exit_code == 2, (result.stdout, result.stderr, result.exception)
    assert "Traceback" not in result.stderr
    assert option in result.stderr


def test_largest_filter_numbers_still_run(runner: CliRunner, loaded: Path) -> None:
    largest = str(2**63 - 1)
    result = cli(
        runner, loaded, "orgs", "--min-employees", largest, "--founded-from", f"-{largest}"
    )
    assert result.exit_code == 0, (result.stderr, result.exception)


# -- work budgets and deadlines ---------------------------------------------------------------


def test_analysis_over_the_budget_exits_2(
    runner: CliRunner, loaded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``ECOMAP_ANALYSIS_BUDGET`` bounds the CLI's analyses and maps as it bounds the API's."""
    monkeypatch.setenv("ECOMAP_ANALYSIS_BUDGET", "10")
    line = only_line(cli(runner, loaded, "analyze", "centrality", "--metric", "closeness"), 2)
    assert "closeness" in line and "analysis budget" in line and "narrow the filters" in line
    out = loaded.parent / "map.html"
    line = failed(cli(runner, loaded, "map", "--size-by", "harmonic", "-o", out), 2)
    assert "harmonic" in line and not out.exists()
    assert cli(runner, loaded, "analyze", "centrality", "--metric", "degree").exit_code == 0
    monkeypatch.setenv("ECOMAP_ANALYSIS_BUDGET", "0")  # 0: unbounded
    assert cli(runner, loaded, "analyze", "centrality", "--metric", "closeness").exit_code == 0


def test_analysis_past_the_deadline_exits_1(
    runner: CliRunner, loaded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An analysis is stopped between its phases once ``ECOMAP_QUERY_TIMEOUT_S`` has passed."""
    import app.services.deadline as deadline

    clock = iter(range(0, 10_000, 100))  # every reading of the clock is 100 s later
    monkeypatch.setattr(deadline.time, "monotonic", lambda: next(clock))
    line = only_line(cli(runner, loaded, "analyze", "communities"), 1)
    assert "timeout" in line and "ECOMAP_QUERY_TIMEOUT_S" in line
