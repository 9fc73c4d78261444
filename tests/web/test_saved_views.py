"""Undo of delete and of a recurring completion, and saved views, in the real browser at
desktop and phone sizes. What is checked is what a person sees; the server state is checked by
reloading the page."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, ViewportSize, expect

from tests.web.conftest import DESKTOP, PHONE, LiveServer
from tests.web.test_accessibility import _expect_every_control_named, _low_contrast
from tests.web.test_views import Api, _day, _signed_in, _today
from tests.web.ui import add_task, open_filters, task_item, task_items, view_link

NewContext = Callable[..., BrowserContext]
SIZES = [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")]


def _count(page: Page, name: str, count: int) -> None:
    expect(view_link(page, name)).to_have_text(re.compile(rf"^{re.escape(name)}\s*{count}$"))


@pytest.mark.parametrize("size", SIZES)
def test_delete_shows_undo_that_restores_the_task(
    new_context: NewContext, live_server: LiveServer, size: ViewportSize
) -> None:
    page = _signed_in(new_context, live_server, size)
    add_task(page, "pay rent", tags="home")
    add_task(page, "call mum")
    _count(page, "All tasks", 2)

    task_item(page, "pay rent").get_by_role("button", name="Delete pay rent").click()
    expect(task_item(page, "pay rent")).to_have_count(0)
    _count(page, "All tasks", 1)
    toast = page.locator(".toast", has_text="Deleted “pay rent”.")
    toast.get_by_role("button", name="Undo: restore pay rent").click()

    row = task_item(page, "pay rent")
    expect(row).to_be_visible()
    expect(row).to_be_focused()  # the toast that held focus is gone
    expect(row.get_by_role("button", name="#home: show tasks tagged home")).to_be_visible()
    _count(page, "All tasks", 2)
    expect(toast).to_have_count(0)
    page.reload()
    expect(task_item(page, "pay rent")).to_be_visible()


def test_deleted_task_stays_deleted_without_undo(
    new_context: NewContext, live_server: LiveServer
) -> None:
    page = _signed_in(new_context, live_server, DESKTOP)
    add_task(page, "old idea")
    task_item(page, "old idea").get_by_role("button", name="Delete old idea").click()
    page.locator(".toast", has_text="Deleted “old idea”.").get_by_role(
        "button", name="Dismiss message"
    ).click()
    page.reload()
    _count(page, "All tasks", 0)
    expect(task_items(page)).to_have_count(0)


@pytest.mark.parametrize("size", SIZES)
def test_completing_a_recurring_task_has_undo(
    new_context: NewContext, live_server: LiveServer, size: ViewportSize
) -> None:
    page = _signed_in(new_context, live_server, size)
    Api(page, live_server).create("water plants", due_at=_day(0, "18:00:00"), recurrence="daily")
    page.reload()
    row = task_item(page, "water plants")
    today = _today().strftime("%b %-d")
    expect(row.locator("time")).to_contain_text(today)
    row.get_by_role("checkbox", name="Completed: water plants").click()

    # The next occurrence takes the row's place; Undo puts the series back where it was.
    tomorrow = (_today() + timedelta(days=1)).strftime("%b %-d")
    expect(row.locator("time")).to_contain_text(tomorrow)
    page.locator(".toast", has_text="Completed “water plants”.").get_by_role(
        "button", name="Undo: reopen water plants"
    ).click()
    expect(row.locator("time")).to_contain_text(today)
    expect(row.get_by_role("checkbox")).not_to_be_checked()
    expect(task_items(page)).to_have_count(1)
    _count(page, "Completed", 0)
    page.reload()
    expect(task_items(page)).to_have_count(1)
    expect(task_item(page, "water plants").locator("time")).to_contain_text(today)


def _save_view(page: Page, name: str) -> None:
    page.get_by_role("button", name="Save view").click()
    form = page.get_by_role("form", name="Save these filters as a view")
    form.get_by_label("View name").fill(name)
    form.get_by_role("button", name="Save", exact=True).click()


@pytest.mark.parametrize("size", SIZES)
def test_filters_saved_as_a_view_listed_with_count_and_deleted(
    new_context: NewContext, live_server: LiveServer, size: ViewportSize, artifacts: Path
) -> None:
    page = _signed_in(new_context, live_server, size)
    api = Api(page, live_server)
    api.create("report draft", priority="P1", tags=["work"])
    api.create("report final", priority="P3", tags=["work"])
    api.create("groceries", priority="P1", tags=["home"])
    page.reload()
    filters = open_filters(page)
    filters.get_by_role("checkbox", name="#work", exact=True).check()
    filters.get_by_label("Filter by Priority").select_option("P1")
    expect(task_items(page)).to_have_count(1)

    _save_view(page, "Urgent work")
    saved = view_link(page, "Urgent work")
    _count(page, "Urgent work", 1)
    expect(saved).to_have_attribute("aria-current", "page")
    expect(saved).to_be_focused()
    expect(page.get_by_label("Filter by Priority")).to_have_value("")  # the view holds them now
    expect(task_items(page)).to_have_count(1)
    expect(task_item(page, "report draft")).to_be_visible()
    _expect_every_control_named(page)
    assert _low_contrast(page) == []
    page.emulate_media(color_scheme="dark")
    assert _low_contrast(page) == []
    page.emulate_media(color_scheme="light")

    # Stored by the server: still there after a reload, and counted after a change.
    page.reload()
    view_link(page, "All tasks").click()
    expect(task_items(page)).to_have_count(3)
    add_task(page, "report slides", priority="P1", tags="work")
    _count(page, "Urgent work", 2)
    view_link(page, "Urgent work").click()
    expect(page.get_by_role("heading", name="Urgent work", level=2)).to_be_attached()
    expect(task_items(page)).to_have_count(2)
    page.screenshot(path=artifacts / f"saved-view-{size['width']}.png")

    # A name already taken (in any case) is said next to the name field.
    _save_view(page, "urgent WORK")
    name = page.get_by_label("View name")
    expect(page.get_by_text("You already have a view with this name.")).to_be_visible()
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_be_focused()
    _expect_every_control_named(page)  # the name form and its error too
    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("form", name="Save these filters as a view")).to_be_hidden()

    # Renamed in place: a taken name is said next to the field, Escape keeps the old name, and
    # a refresh while typing (a live update) keeps what was typed.
    page.get_by_role("button", name="Rename saved view Urgent work").click()
    rename = page.get_by_role("form", name="Rename saved view Urgent work")
    new_name = rename.get_by_label("New name")
    expect(new_name).to_be_focused()
    _expect_every_control_named(page)
    new_name.fill("")
    rename.get_by_role("button", name="Save").click()
    expect(new_name).to_have_accessible_description("A view needs a name.")
    new_name.press("Escape")
    expect(view_link(page, "Urgent work")).to_be_visible()
    expect(page.get_by_role("button", name="Rename saved view Urgent work")).to_be_focused()
    page.get_by_role("button", name="Rename saved view Urgent work").click()
    new_name.fill("Hot work")
    with page.expect_response(re.compile(r"/views$")):  # the list is fetched and redrawn
        api.complete(api.create("done elsewhere")["id"])
    expect(new_name).to_have_value("Hot work")
    expect(new_name).to_be_focused()
    new_name.press("Enter")
    expect(view_link(page, "Hot work")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("heading", name="Hot work", level=2)).to_be_attached()
    expect(page.get_by_role("button", name="Rename saved view Hot work")).to_be_focused()
    page.reload()
    expect(view_link(page, "Hot work")).to_be_visible()
    page.get_by_role("button", name="Rename saved view Hot work").click()
    page.get_by_label("New name").fill("Urgent work")
    page.get_by_label("New name").press("Enter")

    page.get_by_role("button", name="Delete saved view Urgent work").click()
    expect(view_link(page, "Urgent work")).to_have_count(0)
    expect(view_link(page, "All tasks")).to_have_attribute("aria-current", "page")
    expect(task_items(page)).to_have_count(4)
    page.locator(".toast", has_text="Deleted view “Urgent work”.").get_by_role(
        "button", name="Undo: save view Urgent work again"
    ).click()
    _count(page, "Urgent work", 2)
    page.reload()
    _count(page, "Urgent work", 2)
