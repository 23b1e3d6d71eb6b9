"""The explorer page: filters, map and analyses on one screen, served by the API at ``/``.

One HTML document with its scripts and stylesheet inlined (nothing is loaded from anywhere
else); it calls the JSON API and embeds the map that ``POST /api/maps`` returns. Signed in
with a person's token, an editor edits organizations, their ties and memberships, and
reverts changes from the profile; the forms are built from :func:`app.web.schema.edit_schema`,
embedded in the page as JSON. The page's state (filters, map options, selection, tab) lives in
its address, and people save it as named views (``static/views.js``,
:mod:`app.services.views`).
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

from markupsafe import Markup

from app.services.maps import COLOR_BY, SIZE_BY
from app.web.schema import edit_schema

__all__ = ["FAVICON_URL", "SCRIPTS", "TABS", "favicon", "render_explorer"]

#: Where the explorer and the API documentation pages find the icon (:func:`favicon`).
FAVICON_URL = "/favicon.ico"

#: The analysis tabs: (key used by the script, title).
TABS = (
    ("actors", "Top actors"),
    ("communities", "Communities"),
    ("brokers", "Brokers"),
    ("health", "Cluster health"),
    ("links", "Missing links"),
)

#: The page's scripts, inlined in this order: the core (filters, map, profile, tabs, the
#: request helper and the signed-in person on ``window.explorer``), the analysis tabs,
#: then sign-in, what the edit forms share, editing of the organization, its ties and
#: memberships, its history, the missing links, the drill-down into a map's circles, the
#: "Download report" button, and last the page's state in its address and saved views (which
#: restores the address's state once every other script is in).
SCRIPTS = (
    "explorer.js",
    "analyses.js",
    "session.js",
    "forms.js",
    "editing.js",
    "ties.js",
    "history.js",
    "suggestions.js",
    "drill.js",
    "report.js",
    "views.js",
)

_SELECTS = (
    ("kinds", "Kind", "kinds"),
    ("types", "Type", "types"),
    ("sectors", "Sector", "sectors"),
    ("regions", "Region", "regions"),
    ("countries", "Country", "countries"),
    ("clusters", "Cluster", "clusters"),
    ("tags", "Tags", "tags"),
)


@functools.cache
def _static(name: str) -> str:
    return resources.files("app.web").joinpath("static", name).read_text(encoding="utf-8")


@functools.cache
def _schema() -> dict[str, Any]:
    return edit_schema()


@functools.cache
def _template() -> Any:
    from jinja2 import Environment, PackageLoader, select_autoescape

    environment = Environment(
        loader=PackageLoader("app.web", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.get_template("explorer.html")


def favicon() -> str:
    """EcoMap's icon (SVG), served at :data:`FAVICON_URL`."""
    return _static("favicon.svg")


def render_explorer(facets: dict[str, Any]) -> str:
    """The explorer page for these filter values (see :func:`app.services.facets.facets`)."""
    selects = [(field, title, facets.get(key, [])) for field, title, key in _SELECTS]
    return str(
        _template().render(
            facets=facets,
            selects=selects,
            color_by=COLOR_BY,
            size_by=SIZE_BY,
            tabs=TABS,
            schema=_schema(),
            favicon_url=FAVICON_URL,
            css=Markup(_static("explorer.css")),
            scripts=[Markup(_static(name)) for name in SCRIPTS],
        )
    )
