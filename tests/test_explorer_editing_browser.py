"""End to end: editing from the explorer, as a person signed in with their token.

``ecomap serve`` on a fresh copy of the sample with an editor and a viewer (``ecomap users
add``); headless chromium signs in on the page, edits a field (an invalid value first: the
server's message shows next to the field), adds and removes a tie and a cluster membership,
creates and deletes an organization, confirms one, meets a version conflict, reads the
history and reverts an edit; the JSON API is the witness of every change. A viewer, and
nobody, see no edit control.

The page itself logs no error. Chromium logs every answer of status 400 or above to the
console ("Failed to load resource: ... 422"); those of the answers a test provokes on
purpose (422, 409, 401) are expected and counted, never any other.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from browser import PageSession, open_page, serving
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

_LOGGED_STATUS = re.compile(
    r"^Failed to load resource: the server responded with a status of (\d+)"
)


@dataclass(frozen=True)
class Served:
    url: str
    editor: str
    viewer: str


@contextmanager
def serving_people(folder: Path) -> Iterator[Served]:
    """The sample, an editor ``ed`` and a viewer ``vi`` (added before the server holds the
    database), served on 127.0.0.1."""
    db = folder / "eco.lbug"
    ecomap = [sys.executable, "-m", "app.cli", "--db", str(db)]
    subprocess.run([*ecomap, "demo", "--json"], check=True, capture_output=True)
    tokens = {}
    for name, role in (("ed", "editor"), ("vi", "viewer")):
        added = subprocess.run(
            [*ecomap, "users", "add", name, "--role", role, "--json"],
            check=True,
            capture_output=True,
            text=True,
        )
        tokens[role] = json.loads(added.stdout)["token"]
    with serving(db) as url:
        yield Served(url, tokens["editor"], tokens["viewer"])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with serving_people(tmp_path_factory.mktemp("edit")) as site:
        yield site


def api(
    served: Served, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
) -> tuple[int, Any, dict[str, str]]:
    """The JSON API as a witness: status, body, headers (names in lower case; errors are
    answers too)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(served.url + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {served.editor}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            body = json.loads(response.read() or b"null")
            return response.status, body, {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as error:
        body = json.loads(error.read() or b"null")
        return error.code, body, {k.lower(): v for k, v in error.headers.items()}


def org(served: Served, org_id: str) -> dict[str, Any]:
    status, body, _ = api(served, "GET", f"/api/organizations/{org_id}")
    assert status == 200, body
    return dict(body)


def page_errors(session: PageSession, *expected: int) -> list[str]:
    """The console errors but Chromium's log of the answers of an ``expected`` status."""
    errors = []
    for text in session.console_errors:
        logged = _LOGGED_STATUS.match(text)
        if logged is None or int(logged.group(1)) not in expected:
            errors.append(text)
    return errors


def sign_in(page: Page, token: str) -> None:
    page.click("#sign-in")
    page.fill("#token", token)
    page.click("#sign-in-form button[type=submit]")
    page.wait_for_selector("#whoami:has-text('Signed in as')")


def open_profile(page: Page, org_id: str) -> None:
    """Show an organization's profile (as a click on the map does) and wait for its ties."""
    page.evaluate("(id) => window.explorer.showProfile(id)", org_id)
    page.wait_for_selector(f"#ties[data-loaded='{org_id}']", state="attached")
    page.wait_for_selector(f"body[data-selected='{org_id}']", state="attached")


def open_history(page: Page, org_id: str) -> None:
    if page.get_attribute("#history", "open") is None:
        page.click("#history > summary")
    page.wait_for_selector(f"#history[data-loaded='{org_id}']", state="attached")


def test_edit_a_field_see_its_history_and_revert_it(served: Served) -> None:
    target = "co-voltaris-motors"
    before = org(served, target)
    with open_page(served.url + "/") as session:
        page = session.page
        sign_in(page, served.editor)
        assert page.inner_text("#whoami") == "Signed in as ed (editor)"
        assert page.is_visible("#new-org") and page.is_visible("#sign-out")
        open_profile(page, target)
        page.click("#profile-tools [data-action=edit]")
        # the form is the model's: read-only fields are shown, not editable
        assert page.locator("#org-form input[name=updated_at]").count() == 0
        assert before["verified_by"] in page.inner_text("#org-form .field[data-field=verified_by]")
        assert page.locator("#org-form input[name=id]").count() == 0
        # invalid values: the server's messages, each next to its field; nothing changes
        page.fill("#org-founded", "99999")
        page.fill("#org-website", "ftp://example.org")
        page.click("#org-form button[type=submit]")
        founded_error = "#org-form .field[data-field=founded] .field-error"
        page.wait_for_selector(founded_error, state="visible")
        assert "99999" in page.inner_text(founded_error)
        assert "future" in page.inner_text(founded_error)
        website_error = page.inner_text("#org-form .field[data-field=website] .field-error")
        assert "http" in website_error and "ftp://example.org" in website_error
        assert page.get_attribute("#org-founded", "aria-invalid") == "true"
        assert page.is_hidden("#org-form .field[data-field=name] .field-error")
        assert org(served, target) == before
        # valid values: saved, the profile shows them
        page.fill("#org-founded", "1951")
        page.fill("#org-website", "https://voltaris.example")
        page.click("#org-form button[type=submit]")
        page.wait_for_selector("#editor", state="hidden")
        page.wait_for_selector("#profile-facts dd:text-is('1951')")
        assert "Saved Voltaris Motors (change" in page.inner_text("#notice")
        after = org(served, target)
        assert (after["founded"], after["website"]) == (1951, "https://voltaris.example")
        assert after["verified_by"] == "ed"
        assert {k: v for k, v in after.items() if k not in CHANGED} == {
            k: v for k, v in before.items() if k not in CHANGED
        }
        # the history shows the edit, newest first; revert it
        open_history(page, target)
        newest = page.locator("#history li.change-set").first
        text = newest.inner_text()
        assert "ed" in text and f"PUT /api/organizations/{target}" in text
        assert "founded: 1949 \u2192 1951" in text
        assert f"website: {before['website']} \u2192 https://voltaris.example" in text
        change = newest.get_attribute("data-change")
        newest.locator("button", has_text="Revert").click()
        page.wait_for_selector("#profile-facts dd:text-is('1949')")
        assert f"Change {change} reverted by change" in page.inner_text("#notice")
        restored = org(served, target)
        assert (restored["founded"], restored["website"]) == (before["founded"], before["website"])
        # the history reloaded with the revert on top; reverting the edit again is refused
        page.wait_for_selector(f"#history li.change-set[data-change='{int(change) + 1}']")
        old = page.locator(f"#history li.change-set[data-change='{change}']")
        old.locator("button", has_text="Revert").click()
        page.wait_for_selector(f"#history li[data-change='{change}'] .refusal")
        refusal = old.locator(".refusal").inner_text()
        assert f"Cannot revert change {change}" in refusal and "later change" in refusal
        assert page_errors(session, 422, 409) == []
        assert session.external_requests == []


#: The fields the edit above changes (verification follows an edit).
CHANGED = {"founded", "website", "updated_at", "verified_at", "verified_by"}


def test_add_and_remove_a_tie_and_a_membership(served: Served) -> None:
    source, target = "co-calusi-coatings", "co-albello-meccanica"
    tie = f"/api/relationships/{source}/SUPPLIES/{target}"
    assert api(served, "GET", tie)[0] == 404
    with open_page(served.url + "/") as session:
        page = session.page
        sign_in(page, served.editor)
        open_profile(page, source)
        page.click("#ties details.add > summary")
        # only the types whose ends allow a company here; membership has its own section
        offered = page.locator("#tie-type option").all_inner_texts()
        assert "this SUPPLIES other" in offered and "other SUPPLIES this" in offered
        assert not any("FUNDS" in o and o.startswith("this") for o in offered)
        assert not any("MEMBER_OF" in o for o in offered)
        page.select_option("#tie-type", label="this SUPPLIES other")
        # the other end: suggestions come from the API as one types its name
        page.fill("#tie-other", "Albello")
        page.wait_for_selector(f"#tie-other-options option[value='{target}']", state="attached")
        page.fill("#tie-other", target)
        page.fill("#tie-since", "soon")  # invalid: shown next to the field
        page.fill("#tie-evidence", "Met at the regional supplier day")
        page.click("#ties form button[type=submit]")
        since_error = "#ties .field[data-field=since] .field-error"
        page.wait_for_selector(since_error, state="visible")
        assert "soon" in page.inner_text(since_error)
        assert api(served, "GET", tie)[0] == 404
        page.fill("#tie-since", "2025")
        page.click("#ties form button[type=submit]")
        item = f"#ties li[data-tie='{source} SUPPLIES {target}']"
        page.wait_for_selector(item)
        assert "Albello Meccanica" in page.inner_text(item)
        status, stored, _ = api(served, "GET", tie)
        assert status == 200
        assert (stored["since"], stored["evidence"]) == ("2025", "Met at the regional supplier day")
        # remove it
        page.click(f"{item} button")
        page.wait_for_selector(item, state="detached")
        assert api(served, "GET", tie)[0] == 404
        assert "Removed" in page.inner_text("#notice")

        # cluster membership: add to a second cluster, then remove
        fashion = "cl-valmora-fashion"
        member = f"#memberships li[data-tie='{source} MEMBER_OF {fashion}']"
        assert page.is_visible("#memberships")
        assert page.locator("#memberships li.tie").count() == 1
        page.click("#memberships details.add > summary")
        page.fill("#member-other", "Fashion")
        page.wait_for_selector(f"#member-other-options option[value='{fashion}']", state="attached")
        page.fill("#member-other", fashion)
        page.click("#memberships form button[type=submit]")
        page.wait_for_selector(member)
        membership = f"/api/relationships/{source}/MEMBER_OF/{fashion}"
        assert api(served, "GET", membership)[0] == 200
        page.click(f"{member} button")
        page.wait_for_selector(member, state="detached")
        assert api(served, "GET", membership)[0] == 404
        assert page_errors(session, 422) == []


def test_create_confirm_delete_and_undo_an_organization(served: Served) -> None:
    new_id = "co-new-test-works"
    with open_page(served.url + "/") as session:
        page = session.page
        sign_in(page, served.editor)
        page.click("#new-org")
        assert page.inner_text("#editor-title") == "New organization"
        assert page.locator("#org-form input[name=verified_at]").count() == 0
        page.fill("#org-id", new_id)
        page.fill("#org-name", "New Test Works")
        page.select_option("#org-kind", "company")
        page.fill("#org-city", "Castelrivo")
        page.fill("#org-country", "it")
        page.fill("#org-tags", "new | test ")
        page.click("#org-form button[type=submit]")
        page.wait_for_selector(f"body[data-selected='{new_id}']", state="attached")
        created = org(served, new_id)
        assert (created["name"], created["kind"], created["country"]) == (
            "New Test Works",
            "company",
            "IT",
        )
        assert created["tags"] == ["new", "test"] and created["verified_by"] == "ed"
        assert "Created New Test Works" in page.inner_text("#notice")
        # the same id again: refused next to the id field (If-None-Match: *)
        page.click("#new-org")
        page.fill("#org-id", new_id)
        page.fill("#org-name", "Someone Else")
        page.click("#org-form button[type=submit]")
        id_error = "#org-form .field[data-field=id] .field-error"
        page.wait_for_selector(id_error, state="visible")
        assert "exists already" in page.inner_text(id_error)
        page.click("#org-form button:text-is('Cancel')")
        assert org(served, new_id)["name"] == "New Test Works"

        # a tie to delete with it
        status, _, _ = api(
            served,
            "PUT",
            f"/api/relationships/{new_id}/SUPPLIES/co-voltaris-motors",
            {"evidence": "test"},
        )
        assert status == 201
        open_profile(page, new_id)
        page.click("#profile-tools [data-action=confirm]")
        page.wait_for_selector("#notice:has-text('Confirmed New Test Works as right')")
        assert org(served, new_id)["verified_at"] >= created["verified_at"]
        page.once("dialog", lambda dialog: dialog.accept())
        page.click("#profile-tools [data-action=delete]")
        page.wait_for_selector("#notice:has-text('Deleted New Test Works')")
        assert f"{new_id} SUPPLIES co-voltaris-motors" in page.inner_text("#notice")
        assert page.is_hidden("#profile")
        assert api(served, "GET", f"/api/organizations/{new_id}")[0] == 404
        # undo brings it back, with its tie
        page.click("#notice button:text-is('Undo')")
        page.wait_for_selector(f"body[data-selected='{new_id}']", state="attached")
        assert "Undone: change" in page.inner_text("#notice")
        assert org(served, new_id)["name"] == "New Test Works"
        page.wait_for_selector(f"#ties li[data-tie='{new_id} SUPPLIES co-voltaris-motors']")
        assert page_errors(session, 409) == []


def test_a_change_made_meanwhile_is_shown_not_overwritten(served: Served) -> None:
    target = "co-brunida-castings"
    with open_page(served.url + "/") as session:
        page = session.page
        sign_in(page, served.editor)
        open_profile(page, target)
        page.click("#profile-tools [data-action=edit]")
        page.fill("#org-city", "Mine")
        # someone else saves first
        _, current, headers = api(served, "GET", f"/api/organizations/{target}")
        body = {k: v for k, v in current.items() if k not in CHANGED - {"founded", "website"}}
        status, _, _ = api(
            served,
            "PUT",
            f"/api/organizations/{target}",
            {**body, "city": "Theirs"},
            {"If-Match": headers["etag"]},
        )
        assert status == 200
        page.click("#org-form button[type=submit]")
        page.wait_for_selector("#org-form .conflict", state="visible")
        conflict = page.inner_text("#org-form .conflict")
        assert "Someone else changed" in conflict and "Theirs" in conflict
        assert org(served, target)["city"] == "Theirs"
        page.click("#org-form .conflict button:text-is('Reload their version')")
        page.wait_for_function(
            "document.getElementById('org-city') && "
            "document.getElementById('org-city').value === 'Theirs'"
        )
        page.click("#org-form button:text-is('Cancel')")
        assert page_errors(session, 409) == []


def test_the_not_confirmed_since_filter_is_sent(served: Served) -> None:
    with open_page(served.url + "/") as session:
        page = session.page
        page.fill("#filters input[name=stale_since]", "2001-02-03")
        with page.expect_request("**/api/maps") as sent:
            page.click("#apply")
        assert sent.value.post_data_json["filters"]["stale_since"] == "2001-02-03"
        assert session.console_errors == []


def test_a_viewer_and_nobody_see_no_edit_control(served: Served) -> None:
    target = "co-voltaris-motors"
    with open_page(served.url + "/") as session:
        page = session.page
        # nobody: read-only, as before sign-in existed
        open_profile(page, target)
        open_history(page, target)
        assert_read_only(page)
        assert page.is_visible("#sign-in") and page.is_hidden("#sign-out")
        # a token nobody holds: said in words, still read-only
        page.click("#sign-in")
        page.fill("#token", "not-a-token")
        page.click("#sign-in-form button[type=submit]")
        page.wait_for_selector("#sign-in-error:has-text('not known')")
        assert page.inner_text("#whoami") == ""
        page.click("#sign-in-cancel")
        # a viewer
        sign_in(page, served.viewer)
        assert page.inner_text("#whoami") == "Signed in as vi (viewer)"
        open_profile(page, target)
        open_history(page, target)
        assert page.locator("#ties li.tie").count() > 0
        assert page.locator("#history li.change-set").count() > 0
        assert_read_only(page)
        # the token is kept for the tab: a reload is still signed in; sign out forgets it
        page.reload()
        page.wait_for_selector("#whoami:has-text('Signed in as vi')")
        assert page.evaluate("window.explorer.person.role") == "viewer"
        assert page.evaluate("typeof window.explorer.request") == "function"
        page.click("#sign-out")
        assert page.inner_text("#whoami") == ""
        assert page.evaluate("window.sessionStorage.getItem('ecomap.token')") is None
        assert page_errors(session, 401) == []


def assert_read_only(page: Page) -> None:
    assert page.is_hidden("#new-org")
    assert page.locator("#profile-tools button").count() == 0
    assert page.locator("#ties button, #memberships button").count() == 0
    assert page.locator("#ties details.add, #memberships details.add").count() == 0
    assert page.locator("#history button").count() == 0
    assert page.is_hidden("#editor")
