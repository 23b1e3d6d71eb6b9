"""End to end: the explorer's state in its address, and saved views.

``ecomap serve`` on a fresh copy of the sample with an editor and a viewer; headless chromium
opens an address with filters, map options, a selected organization and a tab, and the form,
the map (the request that drew it), the profile and the tab match it; changing a filter
changes the address, and Back restores the state before. A viewer saves the state as a view,
the page is reloaded, and opening the view from the Views menu restores it exactly (the same
address, form, map, profile and tab); the view is then deleted. The JSON API is the witness.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from browser import open_page
from playwright.sync_api import Page, Request
from test_explorer_editing_browser import Served, api, page_errors, serving_people, sign_in

pytestmark = pytest.mark.browser

FASHION = "cl-valmora-fashion"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """A server of its own for each test: requests a test leaves running (an analysis of
    the open tab) do not hold up the next test's."""
    with serving_people(tmp_path) as site:
        yield site


def members(served: Served, query: str) -> list[dict[str, Any]]:
    status, body, _ = api(served, "GET", f"/api/organizations?limit=1000&{query}")
    assert status == 200, body
    return list(body["items"])


def watch_maps(page: Page) -> list[dict[str, Any]]:
    """The bodies of the page's ``POST /api/maps`` requests, as they are sent."""
    sent: list[dict[str, Any]] = []

    def on_request(request: Request) -> None:
        if request.method == "POST" and urlsplit(request.url).path == "/api/maps":
            sent.append(json.loads(request.post_data or "{}"))

    page.on("request", on_request)
    return sent


def restored(page: Page) -> None:
    """Wait until the page has shown a state (the first map of a server takes a while)."""
    page.wait_for_selector("body[data-view-state=ready]", state="attached", timeout=30_000)
    page.wait_for_selector("#map[data-ready=true]", state="attached", timeout=30_000)


def settled(page: Page) -> None:
    """Wait until the open tab has its answer (nothing is left computing)."""
    page.wait_for_function(
        "!document.getElementById('tab-body').textContent.startsWith('Computing')",
        timeout=30_000,
    )


def selected(page: Page, name: str) -> list[str]:
    """The values chosen in the filter form's list box ``name``."""
    return list(
        page.eval_on_selector(
            f"select[name={name}]",
            "s => Array.from(s.selectedOptions).map(o => o.value)",
        )
    )


def shown_state(page: Page) -> dict[str, Any]:
    """What the page shows: its address's query, the form, the selection and the tab."""
    return {
        "query": sorted(parse_qsl(urlsplit(page.url).query)),
        "clusters": selected(page, "clusters"),
        "kinds": selected(page, "kinds"),
        "countries": selected(page, "countries"),
        "min_employees": page.input_value("input[name=min_employees]"),
        "color_by": page.input_value("select[name=color_by]"),
        "size_by": page.input_value("select[name=size_by]"),
        "layout": page.input_value("select[name=layout]"),
        "selected": page.get_attribute("body", "data-selected"),
        "profile": page.inner_text("#profile-name") if page.is_visible("#profile") else None,
        "tab": page.get_attribute(".tabs button[aria-selected=true]", "data-tab"),
    }


def test_the_address_holds_the_state_and_back_restores_it(served: Served) -> None:
    companies = members(served, f"cluster={FASHION}&kind=company")
    target = sorted(companies, key=lambda o: o["id"])[0]
    query = f"cluster={FASHION}&kind=company&min_employees=0&color-by=sector&org={target['id']}"
    with open_page(f"{served.url}/?{query}&tab=brokers") as session:
        page = session.page
        maps = watch_maps(page)
        restored(page)
        page.wait_for_selector(f"body[data-selected='{target['id']}']", state="attached")
        page.wait_for_selector(f"#profile-name:text-is({json.dumps(target['name'])})")
        state = shown_state(page)
        assert state["clusters"] == [FASHION] and state["kinds"] == ["company"]
        assert (state["min_employees"], state["color_by"]) == ("0", "sector")
        assert (state["size_by"], state["layout"]) == ("degree", "force")
        assert state["tab"] == "brokers"
        assert page.is_hidden("#save-view")  # nobody signed in, and the server has people
        # the map drawn is the address's: its filters and colour (the request was sent
        # before the watch began when the map drew at once: draw again to see it)
        page.evaluate("window.explorer.drawMap()")
        page.wait_for_function("document.getElementById('map').dataset.ready === 'true'")
        assert maps and maps[-1]["color_by"] == "sector"
        assert maps[-1]["filters"] == {
            "kinds": ["company"],
            "clusters": [FASHION],
            "min_employees": "0",
        }
        frame = page.frame_locator("#map")
        frame.locator("#ecomap-network[data-ready=true]").wait_for(state="attached")
        handle = page.locator("#map").element_handle()
        content = handle.content_frame() if handle else None
        assert content is not None
        assert content.evaluate("window.ecomap.nodes.length") == len(companies)
        assert page.inner_text("#count") == f"{len(companies)} organizations"
        before = page.url
        # a filter changed: the address changes, a new history entry
        page.select_option("select[name=kinds]", ["company", "institution"])
        page.click("#apply")
        page.wait_for_function(f"location.href !== {json.dumps(before)}")
        assert ("kind", "institution") in parse_qsl(urlsplit(page.url).query)
        # another tab: the address says so
        page.click(".tabs button[data-tab=health]")
        page.wait_for_function("new URLSearchParams(location.search).get('tab') === 'health'")
        # Back, twice: the address and the page are the first state again
        page.evaluate("history.back()")
        page.wait_for_function("new URLSearchParams(location.search).get('tab') === 'brokers'")
        page.evaluate("history.back()")
        page.wait_for_function(f"location.href === {json.dumps(before)}")
        restored(page)
        assert shown_state(page) == state
        settled(page)
        assert page_errors(session) == [] and session.external_requests == []


def test_a_saved_view_reopens_exactly_after_a_reload(served: Served) -> None:
    target = members(served, "country=IT&kind=institution")[0]
    name = "Italian institutions, by PageRank"
    query = (
        f"kind=institution&country=IT&size-by=pagerank&layout=geo&org={quote(target['id'])}"
        "&tab=communities"
    )
    with open_page(f"{served.url}/?{query}") as session:
        page = session.page
        restored(page)
        page.wait_for_selector(f"body[data-selected='{target['id']}']", state="attached")
        sign_in(page, served.viewer)  # a viewer saves views of their own
        page.wait_for_selector("#save-view", state="visible")
        wanted = shown_state(page)
        assert wanted["size_by"] == "pagerank" and wanted["layout"] == "geo"
        assert wanted["tab"] == "communities" and wanted["profile"] == target["name"]
        page.click("#save-view")
        page.fill("#view-name", name)
        page.check("#view-shared")
        page.click("#save-view-form button[type=submit]")
        page.wait_for_selector(f"#status:has-text('Saved the view {name}')")
        status, view, _ = api(served, "GET", f"/api/views/{quote(name)}")
        assert status == 200, view
        assert (view["owner"], view["shared"]) == ("vi", True)
        assert view["filters"]["kinds"] == ["institution"]
        assert view["filters"]["countries"] == ["IT"]
        assert view["options"] == {
            "color_by": "cluster",
            "size_by": "pagerank",
            "layout": "geo",
            "max_nodes": 1500,
            "drill": [],
            "selection": target["id"],
            "tab": "communities",
            "positions": {},
        }
        assert sorted(parse_qsl(urlsplit(view["link"]).query)) == wanted["query"]
        # a fresh page (still signed in: the token lives in the tab): nothing filtered
        page.goto(served.url + "/")
        restored(page)
        assert urlsplit(page.url).query == ""
        assert shown_state(page)["tab"] == "actors"
        page.wait_for_selector("#whoami:has-text('Signed in as vi')")
        # the Views menu lists it; opening it restores the state exactly
        page.click("#views-button")
        entry = page.locator(f"#views-list li[data-view='{name}']")
        entry.wait_for()
        assert "yours, shared" in entry.inner_text()
        entry.locator(".view-open").click()
        page.wait_for_selector(f"#status:has-text('Opened the view {name}')")
        restored(page)
        page.wait_for_selector(f"#profile-name:text-is({json.dumps(target['name'])})")
        assert shown_state(page) == wanted
        # the owner deletes it
        page.click("#views-button")
        page.locator(f"#views-list li[data-view='{name}'] .view-delete").click()
        page.wait_for_selector(f"#notice:has-text('Deleted the view {name}')")
        page.wait_for_selector("#views-list[data-count='0']", state="attached")
        assert api(served, "GET", f"/api/views/{quote(name)}")[0] == 404
        settled(page)
        assert page_errors(session) == [] and session.external_requests == []


def drawn(page: Page) -> list[dict[str, Any]]:
    """The nodes of the map drawn now: id, name, whether a circle (drillable)."""
    page.wait_for_selector("#map[data-ready=true]", state="attached", timeout=30_000)
    page.frame_locator("#map").locator("#ecomap-network[data-ready=true]").wait_for(
        state="attached", timeout=30_000
    )
    handle = page.locator("#map").element_handle()
    frame = handle.content_frame() if handle else None
    assert frame is not None
    return list(
        frame.evaluate(
            "window.ecomap.nodes.get().map(n => ({id: String(n.id), name: n.name,"
            " drillable: Boolean(n.drillable)}))"
        )
    )


def test_the_node_limit_and_the_circles_opened_are_in_the_address(served: Served) -> None:
    with open_page(f"{served.url}/?max-nodes=40") as session:
        page = session.page
        restored(page)
        assert page.input_value("input[name=max_nodes]") == "40"
        circles = [n for n in drawn(page) if n["drillable"] and n["id"] != "-1"]
        assert circles  # the sample's 176 organizations, aggregated
        chosen = circles[0]
        page.evaluate(
            "([id, name]) => window.explorer.drillInto(id, name)", [chosen["id"], chosen["name"]]
        )
        page.wait_for_function(
            f"new URLSearchParams(location.search).get('drill') === {json.dumps(chosen['id'])}"
        )
        page.wait_for_selector("#map[data-ready=true]", state="attached", timeout=30_000)
        members = sorted(n["id"] for n in drawn(page))
        address = page.url
        # a fresh page at this address: the same circle opened, the same organizations drawn
        page.reload()
        restored(page)
        assert page.url == address
        page.wait_for_selector("#breadcrumb[data-depth='1']", state="attached")
        assert sorted(n["id"] for n in drawn(page)) == members
        # back to every circle: the address loses the circle
        page.click("#breadcrumb button.crumb")
        page.wait_for_function("!new URLSearchParams(location.search).has('drill')")
        assert ("max-nodes", "40") in parse_qsl(urlsplit(page.url).query)
        settled(page)
        assert page_errors(session) == [] and session.external_requests == []
