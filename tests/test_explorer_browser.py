"""End to end: ``ecomap serve`` on 127.0.0.1, the explorer in headless chromium.

Load the explorer, apply a filter and see the map redrawn with only the matching
organizations, click an organization on the map and see its profile, open the missing-links
tab and see suggestions; nothing is fetched from any other host.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from urllib.parse import urljoin

import pytest
from browser import PageSession, open_page, serving
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame

pytestmark = pytest.mark.browser

FASHION = "cl-valmora-fashion"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A live ``ecomap serve`` on a fresh copy of the sample; yields its base URL."""
    db = tmp_path_factory.mktemp("serve") / "eco.lbug"
    ecomap = [sys.executable, "-m", "app.cli", "--db", str(db)]
    subprocess.run([*ecomap, "demo", "--json"], check=True, capture_output=True)
    with serving(db) as url:
        yield url


def map_frame(session: PageSession) -> Frame:
    """The map's frame, once its network is drawn."""
    session.page.frame_locator("#map").locator("#ecomap-network[data-ready=true]").wait_for(
        state="attached"
    )
    handle = session.page.locator("#map").element_handle()
    frame = handle.content_frame() if handle is not None else None
    assert frame is not None
    return frame


def map_nodes(session: PageSession) -> int:
    try:
        return int(map_frame(session).evaluate("window.ecomap ? window.ecomap.nodes.length : -1"))
    except PlaywrightError:  # the frame was replaced by a new map meanwhile
        return -1


def test_filter_explore_and_find_missing_links(server: str) -> None:
    with urllib.request.urlopen(f"{server}/api/organizations?cluster={FASHION}&limit=1000") as r:
        members = {o["id"] for o in json.load(r)["items"]}
    with open_page(server + "/") as session:
        page = session.page
        everyone = map_nodes(session)
        assert everyone > len(members) > 0
        # filter: one cluster; the map is redrawn with its members only
        page.select_option("select[name=clusters]", FASHION)
        page.click("#apply")
        # the map is a sandboxed (opaque-origin) frame: read it through the frame itself
        deadline = time.monotonic() + 20
        while map_nodes(session) != len(members) and time.monotonic() < deadline:
            page.wait_for_timeout(100)
        assert map_nodes(session) == len(members)
        # the title bar counts the selection
        page.wait_for_function(
            f"document.getElementById('count').textContent === '{len(members)} organizations'"
        )
        assert page.is_hidden("#hints")
        # click an organization on the map: its profile shows
        target = sorted(members)[0]
        frame = map_frame(session)
        frame.evaluate("window.ecomap.network.fit()")
        page.wait_for_timeout(200)
        x, y = frame.evaluate(
            """(id) => { const n = window.ecomap.network;
                const at = n.canvasToDOM(n.getPositions([id])[id]);
                const box = document.getElementById('ecomap-network').getBoundingClientRect();
                return [box.left + at.x, box.top + at.y]; }""",
            target,
        )
        box = page.locator("#map").bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + x, box["y"] + y)
        page.wait_for_selector(f"body[data-selected='{target}']", state="attached")
        assert not page.is_hidden("#profile")
        assert page.inner_text("#profile-name")
        # missing links for the selected organization
        page.click("#profile-links")
        page.wait_for_selector("#tab-body[data-count]", state="attached")
        assert int(page.get_attribute("#tab-body", "data-count") or 0) > 0
        name = page.inner_text("#profile-name")
        assert page.inner_text("#tab-body ol.links > li:first-child").startswith(name)
        # a filter that matches nothing says so
        page.fill("input[name=search]", "no such name anywhere")
        page.click("#apply")
        page.wait_for_selector("#hints:not([hidden])")
        assert "match no organization together" in page.inner_text("#hints")
        assert page.inner_text("#count") == "0 organizations"
        # ... and the selected organization, which it excludes, is no longer selected
        page.wait_for_selector("body:not([data-selected])", state="attached")
        assert page.is_hidden("#profile")
        page.wait_for_selector("#tab-body[data-count]", state="attached")
        assert session.console_errors == [] and session.external_requests == []


@pytest.mark.parametrize(
    ("path", "drawn"),
    [("/docs", ".swagger-ui .info .title"), ("/redoc", ".api-info h1")],
)
def test_api_documentation_works_offline(server: str, path: str, drawn: str) -> None:
    """Swagger UI and ReDoc come from the package's own assets: drawn, nothing fetched
    from any other host, and the icon is there."""
    with open_page(server + path) as session:
        session.page.wait_for_selector(drawn, timeout=20_000)
        assert "EcoMap" in session.page.inner_text(drawn)
        href = session.page.get_attribute("link[rel~=icon]", "href") or ""
        icon = session.page.request.get(urljoin(server + path, href))
        assert icon.status == 200 and icon.headers["content-type"] == "image/svg+xml"
        assert session.console_errors == [] and session.external_requests == []


def node_center(session: PageSession, node_id: str) -> tuple[float, float]:
    """Where a node of the map is on the page."""
    frame = map_frame(session)
    x, y = frame.evaluate(
        """(id) => { const n = window.ecomap.network;
            const at = n.canvasToDOM(n.getPositions([id])[id]);
            const box = document.getElementById('ecomap-network').getBoundingClientRect();
            return [box.left + at.x, box.top + at.y]; }""",
        node_id,
    )
    box = session.page.locator("#map").bounding_box()
    assert box is not None
    return box["x"] + x, box["y"] + y


def test_drill_into_a_community_and_back(server: str) -> None:
    """Above the node limit the map draws communities; a click on one opens its members as
    the next map, and the breadcrumb leads back."""
    with open_page(server + "/") as session:
        page = session.page
        map_nodes(session)  # the first map is drawn
        page.fill("input[name=max_nodes]", "40")
        page.click("#apply")
        deadline = time.monotonic() + 20
        groups: list[dict[str, object]] = []
        while not groups and time.monotonic() < deadline:
            try:
                groups = map_frame(session).evaluate(
                    "window.ecomap.nodes.get().filter(n => n.drillable)"
                    ".map(n => ({id: n.id, name: n.name, label: n.baseLabel}))"
                )
            except PlaywrightError:
                groups = []
            page.wait_for_timeout(100)
        assert groups and all(
            str(g["name"]).startswith(("Community", "Organizations")) for g in groups
        )
        circles = len(groups)
        # a community under the node limit (its label ends with its members: "(34)")
        small = next(
            g for g in groups if g["id"] != "-1" and int(str(g["label"]).split("(")[-1][:-1]) < 40
        )
        map_frame(session).evaluate("window.ecomap.network.fit()")
        page.wait_for_timeout(200)
        page.mouse.click(*node_center(session, str(small["id"])))
        page.wait_for_selector("#breadcrumb[data-depth='1']")
        assert page.inner_text("#breadcrumb .crumb-here") == small["name"]
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                drawn = map_frame(session).evaluate(
                    "[window.ecomap.nodes.length, "
                    "window.ecomap.nodes.get().filter(n => n.drillable).length]"
                )
            except PlaywrightError:
                drawn = [0, 0]
            if drawn[0] and not drawn[1]:
                break
            page.wait_for_timeout(100)
        assert drawn[0] > 0 and drawn[1] == 0  # the community's organizations, one by one
        # back to every circle
        page.click("#breadcrumb button.crumb")
        page.wait_for_selector("#breadcrumb", state="hidden")
        deadline = time.monotonic() + 20
        while map_nodes(session) != circles and time.monotonic() < deadline:
            page.wait_for_timeout(100)
        assert map_nodes(session) == circles
        assert session.console_errors == [] and session.external_requests == []


def test_tabs_read_well_select_rows_and_can_be_cancelled(server: str) -> None:
    """The brokers tab groups by any attribute; a row selects its organization; a long
    computation shows its seconds and stops on Cancel."""
    from playwright.sync_api import Route

    with open_page(server + "/") as session:
        page = session.page
        page.click(".tabs [data-tab=brokers]")
        page.wait_for_selector("#tab-body[data-count]", state="attached")
        page.select_option("#group-by", "community")
        page.wait_for_function(
            "document.getElementById('group-by') && "
            "document.getElementById('group-by').value === 'community' && "
            "document.getElementById('tab-body').hasAttribute('data-count')"
        )
        assert " groups by community" in page.inner_text("#tab-body")
        first = page.locator("#tab-body tr.pick").first
        chosen = first.get_attribute("data-id")
        first.click()
        page.wait_for_selector(f"body[data-selected='{chosen}']", state="attached")
        # health reads as numbers for people: no "42.000" organizations
        page.click(".tabs [data-tab=health]")
        page.wait_for_selector("#tab-body[data-count]", state="attached")
        text = page.inner_text("#tab-body")
        assert "organizations\t" in text and ".000" not in text and "%" in text
        # a computation held by the server: seconds count up, Cancel stops it
        held: list[Route] = []
        page.route("**/api/analytics/communities", lambda route: held.append(route))
        page.click(".tabs [data-tab=communities]")
        page.wait_for_selector("#cancel-analysis")
        page.wait_for_function(
            "document.querySelector('#tab-body .computing').textContent.endsWith(' s')"
        )
        page.click("#cancel-analysis")
        page.wait_for_selector("#tab-body[data-cancelled]", state="attached")
        assert page.inner_text("#tab-body") == "Cancelled."
        for route in held:
            route.abort()
        page.unroute("**/api/analytics/communities")
        page.click(".tabs [data-tab=communities]")
        page.wait_for_selector("#tab-body[data-count]", state="attached")
        assert "best-connected members" in page.inner_text("#tab-body")
        assert session.console_errors == [] and session.external_requests == []


def test_show_an_organizations_partners_on_a_filtered_map(server: str) -> None:
    """On the map of one cluster, "Show its partners on the map" adds the partners outside
    the cluster around the selected organization, with its ties to them."""
    with urllib.request.urlopen(f"{server}/api/organizations?cluster={FASHION}&limit=1000") as r:
        members = {o["id"] for o in json.load(r)["items"]}
    with open_page(server + "/") as session:
        page = session.page
        page.select_option("select[name=clusters]", FASHION)
        page.click("#apply")
        deadline = time.monotonic() + 20
        while map_nodes(session) != len(members) and time.monotonic() < deadline:
            page.wait_for_timeout(100)
        center = "in-textile-research-institute-of-borgo-tessa"
        with urllib.request.urlopen(f"{server}/api/organizations/{center}/relationships") as r:
            ties = [t for t in json.load(r)["items"] if t["type"] != "MEMBER_OF"]
        outside = {t["other"]["id"] for t in ties} - members
        assert outside  # the institute works with organizations outside the district
        page.evaluate("(id) => window.explorer.showProfile(id)", center)
        page.wait_for_selector(f"body[data-selected='{center}']", state="attached")
        page.click("#profile-expand")
        frame = map_frame(session)
        frame.wait_for_selector(f"#ecomap-network[data-expanded='{center}']", state="attached")
        added = set(
            frame.evaluate("window.ecomap.nodes.get().filter(n => n.expanded).map(n => n.id)")
        )
        assert added == outside
        assert map_nodes(session) == len(members) + len(outside)
        assert session.console_errors == [] and session.external_requests == []
