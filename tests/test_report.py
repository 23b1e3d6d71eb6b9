"""The one-page HTML report: its sections, its numbers against the analysis services, that it
loads nothing from anywhere, and that nothing from the data reaches it unescaped."""

from __future__ import annotations

from collections import defaultdict
from html.parser import HTMLParser
from typing import Any

import pytest
from factories import org, rel

from app.filters import FilterSpec
from app.render.report import fmt_number, fmt_percent, fmt_signed, render_report
from app.services.analyze import (
    centrality_of,
    communities_of,
    fetch_members,
    fetch_network,
    health_of,
)
from app.services.links import links_of
from app.services.maps import MapOptions, build_map
from app.services.report import report_data, report_html
from app.store.embedded import EmbeddedStore

SECTIONS = ("figures", "actors", "communities", "health", "links", "map")
TITLE = "Valmora <report> & co"

#: The missing links planted in the sample (app/sample/README.md).
PLANTED_LINKS = {
    frozenset(("co-albello-meccanica", "co-meleris-batteries")),
    frozenset(("co-selvilia-informatica", "co-tassora-security")),
    frozenset(("co-rifinizione-brunara", "co-rifinizione-pralani")),
    frozenset(("co-morilia-packaging", "co-salumificio-pralida")),
}

#: Attributes through which a page could load something.
LOADING_ATTRIBUTES = {"src", "href", "srcset", "action", "formaction", "data", "poster", "ping"}


class Page(HTMLParser):
    """The parts of a page the tests look at: every tag with its attributes, and per
    ``<section id>`` its text and its table rows (cell texts, whitespace collapsed)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.texts: list[str] = []
        self.section_text: dict[str, list[str]] = defaultdict(list)
        self.rows: dict[str, list[list[str]]] = defaultdict(list)  # body rows only
        self.headings: dict[str, str] = {}
        self._section: str | None = None
        self._in_head = False
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._heading: tuple[str, list[str]] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        if tag == "section":
            self._section = attributes.get("id")
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        elif tag in ("h1", "h2"):
            self._heading = (tag if tag == "h1" else self._section or "", [])

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self._section = None
        elif tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._section:
            if not self._in_head:
                self.rows[self._section].append(self._row)
            self._row = None
        elif tag in ("h1", "h2") and self._heading is not None:
            self.headings[self._heading[0]] = " ".join("".join(self._heading[1]).split())
            self._heading = None

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        if self._section:
            self.section_text[self._section].append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._heading is not None:
            self._heading[1].append(data)

    def text(self, section: str) -> str:
        return " ".join("".join(self.section_text[section]).split())

    def body_rows(self, section: str) -> list[list[str]]:
        """The table rows of a section, header rows left out."""
        return self.rows[section]

    def iframes(self) -> list[dict[str, str]]:
        return [attrs for tag, attrs in self.tags if tag == "iframe"]


@pytest.fixture(scope="module")
def map_html(sample_store: EmbeddedStore) -> str:
    return build_map(
        sample_store, FilterSpec(), MapOptions(title="Valmora", color_by="cluster")
    ).html


@pytest.fixture(scope="module")
def data(sample_store: EmbeddedStore) -> dict[str, Any]:
    return report_data(sample_store, FilterSpec())


@pytest.fixture(scope="module")
def html(sample_store: EmbeddedStore, map_html: str) -> str:
    return report_html(sample_store, FilterSpec(), map_html=map_html, title=TITLE)


@pytest.fixture(scope="module")
def page(html: str) -> Page:
    return Page(html)


def test_sections_in_order_with_title(page: Page) -> None:
    sections = [attrs["id"] for tag, attrs in page.tags if tag == "section"]
    assert sections == list(SECTIONS)
    assert page.headings["h1"] == TITLE
    assert page.headings["links"] == "Top missing links"
    assert "the whole ecosystem (no filters)" in "".join(page.texts)


def test_key_figures_match_the_store(sample_store: EmbeddedStore, data: dict, page: Page) -> None:
    counts = sample_store.counts()
    figures = data["figures"]
    assert figures["by_kind"] == counts.by_kind
    assert figures["by_type"] == counts.by_type
    assert (figures["organizations"], figures["relationships"]) == (
        counts.nodes,
        counts.relationships,
    )
    _, notes = centrality_of(fetch_network(sample_store, FilterSpec()), metrics=["degree"])
    assert figures["network_organizations"] == notes.organizations
    assert figures["network_ties"] == notes.ties
    # The sample is connected apart from its isolated start-up.
    assert (figures["components"], figures["isolates"]) == (2, 1)
    text = page.text("figures")
    assert f"{counts.nodes:,}" in text and "153 companies, 23 institutions, 4 clusters" in text
    assert fmt_percent(figures["density"]) in text
    rows = {row[0]: row[2] for row in page.body_rows("figures")}
    assert rows["Collaborations"] == f"{counts.by_type['COLLABORATES_WITH']:,}"
    assert rows["Cluster memberships"] == f"{counts.by_type['MEMBER_OF']:,}"


def test_top_actors_match_centrality(sample_store: EmbeddedStore, data: dict, page: Page) -> None:
    answer, _ = centrality_of(
        fetch_network(sample_store, FilterSpec()),
        metrics=["betweenness", "pagerank", "degree"],
        top_n=10,
    )
    ranked = answer.model_dump()
    shown = {
        metric: [{k: v for k, v in row.items() if k != "partners"} for row in rows]
        for metric, rows in data["actors"].items()
    }
    assert shown == ranked
    best = ranked["betweenness"][0]
    assert best["name"] == "University of Valmora"
    rows = page.body_rows("actors")
    assert len(rows) == 30  # three tables of ten
    assert rows[0] == ["1", "University of Valmora", fmt_percent(best["score"])]
    assert rows[10][1:] == [
        ranked["pagerank"][0]["name"],
        fmt_number(ranked["pagerank"][0]["score"]),
    ]
    assert rows[20][2].startswith(f"{data['actors']['degree'][0]['partners']} (")


def test_communities_against_clusters(sample_store: EmbeddedStore, data: dict, page: Page) -> None:
    report = communities_of(fetch_network(sample_store, FilterSpec())).model_dump()
    communities = data["communities"]
    assert communities["modularity"] == report["modularity"]
    assert communities["nmi"] == report["agreement"]["nmi"]
    assert communities["count"] == report["communities"]
    text = page.text("communities")
    assert fmt_number(report["modularity"]) in text
    assert fmt_number(report["agreement"]["nmi"]) in text
    split = sorted(report["cluster_split"]["cl-valmora-fashion"].values(), reverse=True)
    assert len(split) == 2  # traditional textile and sustainable fashion tech
    fashion = next(r for r in page.body_rows("communities") if r[0].startswith("Valmora Fashion"))
    assert fashion[0] == "Valmora Fashion & Textile District"
    assert fashion[1] == str(sum(split))
    assert fashion[2].startswith(f"2 communities ({split[0]} + {split[1]})")


def test_cluster_health_matches_health_of(
    sample_store: EmbeddedStore, data: dict, page: Page
) -> None:
    rows = {row["id"]: row for row in data["health"]}
    assert sorted(rows) == [
        "cl-valmora-agrifood",
        "cl-valmora-digital",
        "cl-valmora-fashion",
        "cl-valmora-mobility",
    ]
    for cluster, row in rows.items():
        expected = health_of(
            fetch_network(sample_store), fetch_members(sample_store, FilterSpec(clusters=[cluster]))
        ).model_dump()
        assert row["members"] == expected["nodes"]
        assert row["density"] == pytest.approx(expected["density"])
        assert row["ei_index"] == pytest.approx(expected["ei_index"])
        assert row["components"] == expected["components"]["count"]
        assert row["top_broker"]["id"] == expected["brokers"]["top"][0]["id"]
    html_rows = {r[0]: r for r in page.body_rows("health")}
    assert len(html_rows) == 4
    digital = html_rows["Valmora Digital Valley"]
    assert digital[1] == str(rows["cl-valmora-digital"]["members"])
    assert digital[4].startswith(fmt_signed(rows["cl-valmora-digital"]["ei_index"]))
    assert digital[6] == "Orbitella Labs"  # the sample's isolated start-up


def test_missing_links_show_planted_pairs_by_name(
    sample_store: EmbeddedStore, data: dict, page: Page
) -> None:
    expected = links_of(fetch_network(sample_store, FilterSpec()), top_n=10).rows()
    assert [(link["source"], link["target"], link["score"]) for link in data["links"]] == [
        (link["source"], link["target"], link["score"]) for link in expected
    ]
    planted = [
        link
        for link in data["links"]
        if frozenset((link["source"], link["target"])) in PLANTED_LINKS
    ]
    assert planted
    rows = page.body_rows("links")
    assert len(rows) == 10
    names = {(row[1], row[2]) for row in rows}
    assert {(link["source_name"], link["target_name"]) for link in planted} <= names
    assert ("Rifinizione Brunara", "Rifinizione Pralani") in names
    text = page.text("links")
    assert "cl-valmora-" not in text  # clusters by name in the reasons
    assert "both in cluster Valmora Fashion & Textile District" in text


def test_loads_nothing_from_anywhere(html: str, page: Page, map_html: str) -> None:
    (frame,) = page.iframes()
    assert frame["srcdoc"] == map_html  # the whole map, attribute-escaped and intact
    assert frame["sandbox"] == "allow-scripts allow-downloads"
    for tag, attrs in page.tags:
        assert tag not in {"script", "img", "link", "object", "embed", "audio", "video"}
        for name, value in attrs.items():
            if name == "srcdoc":
                continue
            assert "http:" not in value and "https:" not in value and "//" not in value, name
            if name in LOADING_ATTRIBUTES:
                assert value.startswith("#"), (tag, name, value)  # in-page anchors only
    outside = "".join(page.texts)
    for needle in ("http://", "https://", "url(", "@import"):
        assert needle not in outside
    inner = Page(map_html)
    for _tag, attrs in inner.tags:
        for name, value in attrs.items():
            if name in LOADING_ATTRIBUTES:
                assert not value.lower().startswith(("http:", "https:", "//")), (name, value)


def test_without_map(sample_store: EmbeddedStore, data: dict) -> None:
    page = Page(render_report({**data, "map_html": None}))
    assert page.iframes() == []
    assert "The map is not included in this report." in page.text("map")


def test_filtered_report_names_its_scope(sample_store: EmbeddedStore) -> None:
    spec = FilterSpec(clusters=["cl-valmora-fashion"], min_employees=10)
    data = report_data(sample_store, spec, top_n=3)
    assert data["filters"] == [
        ["cluster", "Valmora Fashion & Textile District"],
        ["employees", "at least 10"],
    ]
    assert [row["id"] for row in data["health"]] == ["cl-valmora-fashion"]
    assert data["figures"]["network_organizations"] == len(sample_store.subgraph(spec).graph)
    page = Page(render_report(data))
    assert "cluster: Valmora Fashion & Textile District; employees: at least 10" in "".join(
        page.texts
    )
    assert len(page.body_rows("links")) == 3


def test_every_section_says_when_it_has_nothing() -> None:
    page = Page(render_report({}))
    assert [attrs["id"] for tag, attrs in page.tags if tag == "section"] == list(SECTIONS)
    assert "Key figures are not available." in page.text("figures")
    assert "not included" in page.text("map")


EVIL = "<img src=x onerror=alert(1)>"
EVIL_CLUSTER = '<script>alert("cluster")</script>'


def test_user_data_is_escaped(store: EmbeddedStore) -> None:
    store.upsert(
        [
            org("evil", name=EVIL),
            org("a", name="Alpha & Sons"),
            org("b", name="Beta"),
            org("c", name="Gamma"),
            org("cl-x", kind="cluster", name=EVIL_CLUSTER),
        ],
        [
            rel("evil", "a", "COLLABORATES_WITH"),
            rel("a", "b", "COLLABORATES_WITH"),
            rel("b", "c", "SUPPLIES"),
            *(rel(member, "cl-x", "MEMBER_OF") for member in ("evil", "a", "b")),
        ],
    )
    map_html = "<p>map</p><script>alert(1)</script>"
    html = report_html(store, FilterSpec(), map_html=map_html, title=EVIL)
    page = Page(html)
    assert "<img" not in html and "<script>alert" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # inside srcdoc, escaped
    assert {tag for tag, _ in page.tags}.isdisjoint({"img", "script"})
    (frame,) = page.iframes()
    assert frame["srcdoc"] == map_html
    assert page.headings["h1"] == EVIL
    # The names still read as written wherever they appear.
    assert EVIL in page.text("actors") and EVIL in page.text("links")
    assert [row[0] for row in page.body_rows("health")] == [EVIL_CLUSTER]
    assert EVIL_CLUSTER in page.text("communities")
    assert any(EVIL_CLUSTER in row[-1] for row in page.body_rows("links"))
