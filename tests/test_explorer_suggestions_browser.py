"""End to end: missing-link suggestions in the explorer's "Missing links" tab.

An editor accepts a suggestion (the tie exists, its evidence says who accepted what), undoes
it, dismisses another (never suggested again, listed under the suggestions) and restores it;
a viewer sees the suggestions with no button. The JSON API is the witness of every change.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from browser import open_page
from playwright.sync_api import Page
from test_explorer_editing_browser import Served, api, page_errors, serving_people, sign_in

pytestmark = pytest.mark.browser

FIRST = "#tab-body ol.links > li:first-child"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with serving_people(tmp_path_factory.mktemp("suggest")) as site:
        yield site


def open_links(page: Page) -> None:
    page.evaluate("document.getElementById('tab-body').removeAttribute('data-count')")
    page.click(".tabs [data-tab=links]")
    page.wait_for_selector("#tab-body[data-count]", state="attached")


def first_pair(page: Page) -> tuple[str, str]:
    source, target = (page.get_attribute(FIRST, "data-pair") or "").split(" ")
    return source, target


def pairs(page: Page) -> list[str]:
    return page.eval_on_selector_all(
        "#tab-body ol.links > li", "items => items.map(i => i.dataset.pair)"
    )


def dismissed(served: Served) -> list[tuple[str, str]]:
    status, body, _ = api(served, "GET", "/api/suggestions/dismissed")
    assert status == 200, body
    return [(d["source"], d["target"]) for d in body["items"]]


def test_accept_undo_dismiss_and_restore_a_suggestion(served: Served) -> None:
    with open_page(served.url + "/") as session:
        page = session.page
        sign_in(page, served.editor)
        open_links(page)
        source, target = first_pair(page)
        tie = f"/api/relationships/{quote(source)}/COLLABORATES_WITH/{quote(target)}"
        assert api(served, "GET", tie)[0] == 404
        # accept: the tie is stored with its evidence, and the pair is no longer suggested
        assert page.input_value(f"{FIRST} select") == "COLLABORATES_WITH"
        page.click(f"{FIRST} button:has-text('Accept')")
        page.wait_for_selector("#notice:has-text('Accepted')")
        status, rel, _ = api(served, "GET", tie)
        assert status == 200
        assert rel["evidence"].startswith("suggested by EcoMap: ra, score ")
        assert rel["evidence"].endswith("; accepted by ed")
        page.wait_for_function(
            "(pair) => ![...document.querySelectorAll('#tab-body ol.links > li')]"
            ".some(i => i.dataset.pair === pair)",
            arg=f"{source} {target}",
        )
        # undo it: the tie is gone, the pair is suggested again
        page.click("#notice button:has-text('Undo')")
        page.wait_for_selector("#notice:has-text('Undone')")
        assert api(served, "GET", tie)[0] == 404
        open_links(page)
        assert f"{source} {target}" in pairs(page)
        # dismiss it: stored, never suggested again, listed as dismissed
        page.click(f"{FIRST} button:has-text('Dismiss')")
        page.wait_for_selector("#notice:has-text('Dismissed')")
        assert dismissed(served) == [(min(source, target), max(source, target))]
        page.wait_for_selector("details.dismissed")
        assert f"{source} {target}" not in pairs(page)
        page.click("details.dismissed > summary")
        assert f"{min(source, target)} \u2013 {max(source, target)}" in page.inner_text(
            "details.dismissed"
        )
        # restore it from the list: suggested again
        page.click("details.dismissed button:has-text('Restore')")
        page.wait_for_selector("#notice:has-text('Restored')")
        assert dismissed(served) == []
        open_links(page)
        assert f"{source} {target}" in pairs(page)
        assert page_errors(session) == [] and session.external_requests == []


def test_a_viewer_sees_suggestions_without_buttons(served: Served) -> None:
    with open_page(served.url + "/") as session:
        page = session.page
        sign_in(page, served.viewer)
        open_links(page)
        assert int(page.get_attribute("#tab-body", "data-count") or 0) > 0
        assert page.locator("#tab-body button").count() == 0
        assert page_errors(session) == []
