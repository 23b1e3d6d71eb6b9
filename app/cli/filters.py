"""The FILTERS options shared by CLI commands, defined once.

``@with_filters`` adds one option per :class:`~app.domain.FilterSpec` field to a typer command
(``--kind``, ``--sector``, ... repeatable where the field is a list) and calls the command with
the validated spec as its ``spec`` argument.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer
from pydantic import ValidationError

from app.domain import FilterSpec

__all__ = ["FILTER_OPTIONS", "with_filters"]

F = TypeVar("F", bound=Callable[..., Any])

_LIST = list[str] | None
#: (FilterSpec field, option, type, help), in the order the options are listed.
FILTER_OPTIONS: tuple[tuple[str, str, Any, str], ...] = (
    ("kinds", "--kind", _LIST, "company, institution or cluster (repeatable)"),
    ("types", "--type", _LIST, "organization type, e.g. startup, university (repeatable)"),
    ("sectors", "--sector", _LIST, "sector code prefix: C29 selects C29.1 and C29.10 (repeatable)"),
    ("regions", "--region", _LIST, "region, any case (repeatable)"),
    ("countries", "--country", _LIST, "ISO 3166-1 alpha-2 country code (repeatable)"),
    ("clusters", "--cluster", _LIST, "members of this cluster id (repeatable)"),
    ("tags", "--tag", _LIST, "tag (repeatable)"),
    ("rel_types", "--rel-type", _LIST, "only these relationship types (repeatable)"),
    ("min_employees", "--min-employees", int | None, "at least this many employees"),
    ("max_employees", "--max-employees", int | None, "at most this many employees"),
    ("founded_from", "--founded-from", int | None, "founded in or after this year"),
    ("founded_to", "--founded-to", int | None, "founded in or before this year"),
    ("search", "--search", str | None, "case-insensitive part of the name"),
)


def _parameter(field: str, option: str, kind: Any, help_text: str) -> inspect.Parameter:
    annotation = Annotated[
        kind, typer.Option(option, help=help_text, rich_help_panel="Filters", show_default=False)
    ]
    return inspect.Parameter(
        f"filter_{field}", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation
    )


def with_filters(command: F) -> F:
    """Give ``command`` the FILTERS options; it receives them as ``spec: FilterSpec``."""
    # eval_str: typer needs the real annotations, not the strings of postponed evaluation.
    signature = inspect.signature(command, eval_str=True)
    own = [p for name, p in signature.parameters.items() if name != "spec"]
    parameters = [*own, *(_parameter(*option) for option in FILTER_OPTIONS)]

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = {field: kwargs.pop(f"filter_{field}") for field, *_ in FILTER_OPTIONS}
        try:
            spec = FilterSpec.model_validate({k: v for k, v in values.items() if v is not None})
        except ValidationError as exc:
            raise typer.BadParameter(_describe(exc)) from None
        return command(*args, spec=spec, **kwargs)

    wrapper.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in parameters}
    return wrapper  # type: ignore[return-value]


def _describe(error: ValidationError) -> str:
    """Filter errors, named after the option the user typed."""
    options = {field: option for field, option, *_ in FILTER_OPTIONS}
    messages = []
    for err in error.errors(include_url=False):
        cause = (err.get("ctx") or {}).get("error")
        field = getattr(cause, "column", None) or (str(err["loc"][0]) if err["loc"] else "")
        message = err["msg"].removeprefix("Value error, ")
        messages.append(f"{options.get(field, field)}: {message}")
    return "; ".join(messages)
