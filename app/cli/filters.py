"""The FILTERS options shared by CLI commands, defined once.

``@with_filters`` adds one option per :class:`~app.filters.FilterSpec` field to a typer command
(``--kind``, ``--sector``, ... repeatable where the field is a list) and calls the command with
the validated spec as its ``spec`` argument.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Annotated, Any, TypeVar, get_args, get_origin

import typer
from pydantic import ValidationError

from app.filters import FilterSpec

__all__ = ["FILTER_OPTIONS", "SPEC_KEY", "with_filters"]

#: Where ``@with_filters`` leaves the command's spec in the click context's ``meta``, for
#: :func:`app.cli.common.open_cli_store` to hint at values that match nothing.
SPEC_KEY = "ecomap.filters"

F = TypeVar("F", bound=Callable[..., Any])


def _option_type(annotation: Any) -> Any:
    """What typer parses an option into: lists as lists of text (FilterSpec converts the
    items), a single value as its own type; None when not given."""
    if get_origin(annotation) is list:
        return list[str] | None
    value = next(arg for arg in get_args(annotation) if arg is not type(None))
    return value | None


#: (FilterSpec field, option, type, help), in the order the options are listed: derived from
#: :meth:`FilterSpec.parameters` and the fields' descriptions.
FILTER_OPTIONS: tuple[tuple[str, str, Any, str], ...] = tuple(
    (
        name,
        "--" + parameter.replace("_", "-"),
        _option_type(FilterSpec.model_fields[name].annotation),
        FilterSpec.model_fields[name].description or "",
    )
    for name, parameter in FilterSpec.parameters().items()
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
    contexts = [p.name for p in own if p.annotation is typer.Context]

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = {field: kwargs.pop(f"filter_{field}") for field, *_ in FILTER_OPTIONS}
        try:
            spec = FilterSpec.model_validate({k: v for k, v in values.items() if v is not None})
        except ValidationError as exc:
            raise typer.BadParameter(_describe(exc)) from None
        for name in contexts:
            kwargs[name].meta[SPEC_KEY] = spec
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
