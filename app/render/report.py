"""The one-page HTML report, rendered from plain data with a Jinja2 template.

The page loads nothing from anywhere: inline CSS, system fonts, no images, and the interactive
map (a whole page of its own) embedded in the ``srcdoc`` attribute of a sandboxed iframe.
Every value from the data is escaped by Jinja's autoescaping, the map page included.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from datetime import date
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

__all__ = ["fmt_number", "fmt_percent", "fmt_signed", "render_report"]

#: Categorical colours (Okabe-Ito), for the communities in the cluster split bars.
COMMUNITY_COLORS = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#7F7F7F",
)

KIND_LABELS = {"company": "companies", "institution": "institutions", "cluster": "clusters"}

REL_LABELS = {
    "COLLABORATES_WITH": ("Collaborations", "joint projects, R&D, partnerships"),
    "SUPPLIES": ("Supply ties", "one company supplies another"),
    "INVESTS_IN": ("Investments", "equity stakes"),
    "FUNDS": ("Funding", "grants and public support"),
    "SPUN_OUT_OF": ("Spin-offs", "a company founded out of another organization"),
    "MEMBER_OF": ("Cluster memberships", "declared membership of a cluster"),
}

_SVG_NS = "http://www.w3.org/2000/svg"

MINUS = "\u2212"
DASH = "\u2013"


def fmt_number(value: float | None, digits: int = 3) -> str:
    """A number with about ``digits`` significant digits, never in scientific notation.

    Examples
    --------
    >>> fmt_number(0.30056), fmt_number(0.0012345), fmt_number(12.345), fmt_number(0)
    ('0.301', '0.00123', '12.3', '0')
    >>> fmt_number(0.017), fmt_number(1234.5), fmt_number(-0.5) == MINUS + "0.500"
    ('0.0170', '1,234', True)
    >>> fmt_number(None) == fmt_number(float("nan")) == DASH
    True
    """
    if value is None or not math.isfinite(value):
        return DASH
    if value == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(value)))
    decimals = max(digits - 1 - magnitude, 0)
    return f"{value:,.{decimals}f}".replace("-", MINUS)


def fmt_percent(value: float | None) -> str:
    """A share as a percentage, with decimals only where they matter.

    Examples
    --------
    >>> fmt_percent(0.3142), fmt_percent(0.0512), fmt_percent(0.00423), fmt_percent(1.0)
    ('31%', '5.1%', '0.42%', '100%')
    >>> fmt_percent(0.9943), fmt_percent(0.99996), fmt_percent(0), fmt_percent(None) == DASH
    ('99.4%', '99.9%', '0%', True)
    """
    if value is None or not math.isfinite(value):
        return DASH
    percent = 100 * value
    if percent == 0 or percent == 100:
        return f"{percent:.0f}%"
    if 10 <= percent <= 99:
        return f"{percent:.0f}%"
    if 99 < percent < 100:  # 99.96% is not 100%
        return f"{math.floor(percent * 10) / 10:.1f}%"
    if 1 <= percent < 10:
        return f"{percent:.1f}%"
    return f"{fmt_number(percent, 2)}%"


def fmt_signed(value: float | None) -> str:
    """A value between -1 and +1 with its sign, two decimals (E-I index).

    Examples
    --------
    >>> fmt_signed(0.2), fmt_signed(0), fmt_signed(-0.3091) == MINUS + "0.31"
    ('+0.20', '0.00', True)
    """
    if value is None or not math.isfinite(value):
        return DASH
    if round(value, 2) == 0:
        return "0.00"
    return f"{value:+.2f}".replace("-", MINUS)


def _count(value: int | None) -> str:
    return DASH if value is None else f"{value:,}"


def _date(value: str | None) -> str:
    if not value:
        return ""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return value
    return f"{day.day} {day:%B %Y}"


def _pair(value: str) -> str:
    return value.replace("-", DASH)


def _modularity_words(value: float | None) -> str:
    if value is None:
        return "cannot be measured without ties"
    if value >= 0.5:
        return "a strong community structure"
    if value >= 0.3:
        return "a clear community structure"
    return "a weak community structure"


def _agreement_words(nmi: float | None) -> str:
    if nmi is None:
        return "No organization declares a cluster membership, so there is nothing to compare."
    if nmi >= 0.7:
        return "The declared clusters largely match how organizations actually work together."
    if nmi >= 0.4:
        return "The declared clusters partly match how organizations actually work together."
    return "The declared clusters say little about how organizations actually work together."


def _ei_words(value: float | None) -> str:
    if value is None:
        return ""
    if value <= -0.2:
        return "inward-looking"
    if value >= 0.2:
        return "outward-looking"
    return "balanced"


def _community_color(label: str) -> str:
    number = label.rsplit(" ", 1)[-1]
    index = int(number) - 1 if number.isdigit() else 0
    return COMMUNITY_COLORS[index % len(COMMUNITY_COLORS)]


@functools.cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("app.render", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )
    env.filters.update(
        num=fmt_number,
        pct=fmt_percent,
        signed=fmt_signed,
        count=_count,
        pair=_pair,
        community_color=_community_color,
    )
    env.globals.update(
        kind_label=lambda kind: KIND_LABELS.get(kind, kind),
        rel_label=lambda rel: REL_LABELS.get(rel, (rel, ""))[0],
        rel_meaning=lambda rel: REL_LABELS.get(rel, (rel, ""))[1],
        modularity_words=_modularity_words,
        agreement_words=_agreement_words,
        ei_words=_ei_words,
    )
    return env


_DEFAULTS: dict[str, Any] = {
    "title": "EcoMap ecosystem report",
    "generated": None,
    "filters": [],
    "truncated": False,
    "limit": None,
    "seed": 0,
    "figures": None,
    "freshness": None,
    "actors": None,
    "betweenness_sampled_sources": None,
    "communities": None,
    "health": None,
    "links": None,
    "link_method": "resource allocation",
    "map_html": None,
    "map_svg": None,
}


def render_report(data: Mapping[str, Any]) -> str:
    """The report page of ``data``, as :func:`app.services.report.report_data` returns it.

    Every key is optional; a missing section says it is not available.

    - ``title`` (str), ``generated`` (ISO date), ``filters`` (``[[label, value], ...]``,
      empty for the whole ecosystem), ``truncated`` (bool) and ``limit`` (the node cap),
      ``seed``.
    - ``figures``: ``organizations``, ``by_kind`` ({kind: n}), ``relationships``,
      ``by_type`` ({type: n}), and of the collaboration network (organizations only):
      ``network_organizations``, ``network_ties``, ``mean_partners``, ``density``,
      ``components``, ``largest_component``, ``largest_component_share``, ``isolates``.
    - ``freshness``: ``records``, ``never_verified``, ``verified_before``, ``stale`` (both
      together) and ``since`` (the ISO date or time they were counted against).
    - ``actors``: ``{"betweenness" | "pagerank" | "degree": [{"id", "name", "score"}]}``,
      degree rows with ``partners``; ``betweenness_sampled_sources`` (None when exact).
    - ``communities``: ``algorithm``, ``resolution``, ``modularity``, ``count``, ``nmi``,
      ``ari``, ``largest`` ([{"label", "members", "main_cluster": {"id", "name",
      "members"} | None, "examples": [name]}]) and ``clusters`` ([{"id", "name", "members",
      "communities": [{"label", "members"}]}]).
    - ``health``: [{"id", "name", "members", "ties", "density", "mean_clustering",
      "ei_index", "components", "largest_share", "isolates": [name], "top_broker": {"id",
      "name", "betweenness"} | None, "broker_path_share", "triple_helix": {pair: share}}].
    - ``links``: [{"source", "target", "source_name", "target_name", "score", "reason"}],
      ``link_method`` (its name in words).
    - ``map_html``: the map page, embedded in a sandboxed iframe; None leaves the map out.
    - ``map_svg``: the same map for print, as :func:`app.render.print_map.svg_map` makes it
      (every text in it escaped there), inlined as it is: printed in place of the
      interactive map, and shown on screen when there is none.

    Examples
    --------
    >>> page = render_report({"title": "<b>Valmora</b>", "map_html": "<script>x</script>"})
    >>> "<b>Valmora</b>" in page, "&lt;b&gt;Valmora&lt;/b&gt;" in page
    (False, True)
    >>> 'srcdoc="&lt;script&gt;x&lt;/script&gt;"' in page
    True
    """
    context = {**_DEFAULTS, **{k: v for k, v in data.items() if v is not None}}
    if context["map_svg"]:  # inline SVG needs no namespace declaration (nor any URL)
        context["map_svg"] = Markup(context["map_svg"].replace(f' xmlns="{_SVG_NS}"', "", 1))
    context["generated_text"] = _date(context["generated"])
    template = _environment().get_template("report.html")
    return template.render(**context)
