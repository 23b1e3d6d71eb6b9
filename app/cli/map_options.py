"""The map options ``ecomap map`` and ``ecomap report`` share, defined once: colour, size
and layout, each optional so that a saved view's value applies unless one is given."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from app.services.maps import COLOR_BY, LAYOUTS, SIZE_BY

__all__ = ["LayoutOption", "check_choices", "choice", "color_by_option", "size_by_option"]


def choice(value: str, allowed: tuple[str, ...], option: str) -> str:
    """``value`` if it is one of ``allowed``, else a usage error naming ``option``."""
    if value not in allowed:
        raise typer.BadParameter(f"use {'|'.join(allowed)}", param_hint=option)
    return value


def check_choices(color_by: str | None, size_by: str | None, layout: str | None) -> None:
    """Refuse a colour, size or layout that is given and not one of the map's."""
    for value, allowed, option in (
        (color_by, COLOR_BY, "--color-by"),
        (size_by, SIZE_BY, "--size-by"),
        (layout, LAYOUTS, "--layout"),
    ):
        if value is not None:
            choice(value, allowed, option)


def color_by_option(what: str, default: str) -> Any:
    """``--color-by`` (``what``: "nodes", "the map's nodes"; ``default`` without a view)."""
    return typer.Option(
        "--color-by",
        help=f"Colour {what} by {'|'.join(COLOR_BY)} (default: {default}, or the view's).",
        show_default=False,
    )


def size_by_option(what: str) -> Any:
    """``--size-by`` (default degree, or the view's)."""
    return typer.Option(
        "--size-by",
        help=f"Size {what} by {'|'.join(SIZE_BY)} (default: degree, or the view's).",
        show_default=False,
    )


LayoutOption = Annotated[
    str | None,
    typer.Option(
        "--layout",
        help=f"{'|'.join(LAYOUTS)} (default: force, or the view's).",
        show_default=False,
    ),
]
