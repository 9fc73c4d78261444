"""Sessions in the browser: only an HttpOnly cookie outlives a tab, a new tab and a reload stay
signed in through it, a rejected token is renewed once, and "Log out everywhere" reaches
another browser on its next call."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import BrowserContext, Page, expect

from tests.web.conftest import PHONE, LiveServer
from tests.web.ui import add_task, log_in, session_value, sign_up, task_item

NewContext = Callable[..., BrowserContext]
ENDED = "Your session has ended. Please log in again."


def _open(context: BrowserContext, server: LiveServer) -> Page:
    page = context.new_page()
    page.goto(server.url)
    return page


def _local_storage(page: Page) -> str:
    text: str = page.evaluate("JSON.stringify({...localStorage})")
    return text


def test_new_tab_and_reload_stay_signed_in_without_a_token_in_local_storage(
    new_context: NewContext, live_server: LiveServer
) -> None:
    context = new_context()
    first = _open(context, live_server)
    sign_up(first)
    add_task(first, "kept across tabs")
    token = session_value(first, "token")
    # What outlives the tab is the cookie, which no script can read.
    assert token not in _local_storage(first)
    [cookie] = [c for c in context.cookies() if c["name"] == "taskflow_refresh"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/api/auth"
    assert "taskflow_refresh" not in first.evaluate("document.cookie")

    second = _open(context, live_server)
    expect(task_item(second, "kept across tabs")).to_be_visible()
    # Its own access token, got through the cookie.
    assert session_value(second, "token") != token
    second.reload()
    expect(task_item(second, "kept across tabs")).to_be_visible()
    assert session_value(second, "token") not in _local_storage(second)
    expect(second.get_by_role("alert")).to_be_empty()

    # Logging out clears the cookie and ends the server's session: the cookie as it was just
    # before, put back, signs no new tab in.
    [before] = [c for c in context.cookies() if c["name"] == "taskflow_refresh"]
    # Other tabs leave at once (storage event); the cookie goes when the server answers.
    with first.expect_response("**/api/auth/logout"):
        first.get_by_role("button", name="Log out", exact=True).click()
    expect(second.get_by_role("form", name="Log in")).to_be_visible()
    assert not [c for c in context.cookies() if c["name"] == "taskflow_refresh"]
    context.add_cookies(
        [
            {
                "name": before["name"],
                "value": before["value"],
                "domain": before["domain"],
                "path": before["path"],
                "httpOnly": True,
                "sameSite": "Strict",
            }
        ]
    )
    first.evaluate("localStorage.setItem('taskflow.signed-in', 'try the old cookie')")
    third = context.new_page()
    with third.expect_response("**/api/auth/refresh") as answer:
        third.goto(live_server.url)
    # The cookie was sent, and refused as an ended session.
    assert answer.value.json()["detail"] == "your session has ended; log in again"
    expect(third.get_by_role("form", name="Log in")).to_be_visible()
    expect(third.get_by_role("heading", name="Tasks")).to_be_hidden()


def test_tabs_opened_together_all_get_a_session(
    new_context: NewContext, live_server: LiveServer
) -> None:
    # Each refresh replaces the cookie; tabs refreshing at once with the same one would look
    # like a stolen token and end the session, unless they take turns.
    context = new_context()
    first = _open(context, live_server)
    sign_up(first)
    add_task(first, "in every tab")
    tabs = [context.new_page() for _ in range(3)]
    for tab in tabs:
        tab.goto(live_server.url, wait_until="commit")
    for tab in [first, *tabs]:
        expect(task_item(tab, "in every tab")).to_be_visible()
    tabs[0].reload()
    expect(task_item(tabs[0], "in every tab")).to_be_visible()


def test_rejected_token_is_renewed_through_the_cookie(page: Page) -> None:
    sign_up(page)
    add_task(page, "still here")
    page.evaluate(
        "sessionStorage.setItem('taskflow.session', JSON.stringify({...JSON.parse("
        "sessionStorage.getItem('taskflow.session')), token: 'expired-or-forged'}))"
    )
    page.reload()
    expect(task_item(page, "still here")).to_be_visible()
    expect(page.locator("#live-status")).to_have_text("Live")
    expect(page.get_by_role("alert")).to_be_empty()
    assert session_value(page, "token") != "expired-or-forged"


def test_log_out_everywhere_ends_another_browsers_session_on_its_next_call(
    new_context: NewContext, live_server: LiveServer
) -> None:
    here = _open(new_context(), live_server)
    account = sign_up(here)
    there = _open(new_context(), live_server)
    log_in(there, account)
    add_task(there, "before")
    there_token = session_value(there, "token")

    here.get_by_role("button", name="Log out everywhere").click()
    expect(here.get_by_role("form", name="Log in")).to_be_visible()
    expect(here.get_by_role("status").first).to_have_text("Logged out on every device.")

    # The other browser's next call is refused, its refresh too: its session ends. The call:
    # the tab coming back to the front refetches (or a refetch still running got there first).
    there.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(there.get_by_role("form", name="Log in")).to_be_visible()
    expect(there.get_by_role("alert")).to_have_text(ENDED)
    answer = there.request.get(
        f"{live_server.url}/api/auth/me", headers={"Authorization": f"Bearer {there_token}"}
    )
    assert answer.status == 401
    # A reload does not bring it back.
    there.reload()
    expect(there.get_by_role("form", name="Log in")).to_be_visible()


def test_log_out_everywhere_on_a_phone_is_in_the_bells_panel(page: Page) -> None:
    page.set_viewport_size(PHONE)
    sign_up(page)
    # The top bar has no room for it on a phone (its copy there is hidden).
    expect(page.locator("#logout-all-button")).to_be_hidden()
    page.get_by_role("button", name="Notifications").click()
    page.get_by_role("dialog", name="Notifications").get_by_role(
        "button", name="Log out everywhere"
    ).click()
    expect(page.get_by_role("form", name="Log in")).to_be_visible()
    expect(page.get_by_role("status").first).to_have_text("Logged out on every device.")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
