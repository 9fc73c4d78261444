"""Views, recurring series, editing every field, reminders and activity, in the real browser.

Tasks are made through the API with the page's own token; what is checked is what a person
sees. Dates are computed in the user's zone (the browser runs in another one).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import BrowserContext, Page, ViewportSize, expect

from tests.web.conftest import DESKTOP, PHONE, USER_TIMEZONE, LiveServer
from tests.web.ui import add_task, session_value, sign_up, task_item, task_items, view_link

NewContext = Callable[..., BrowserContext]
SIZES = [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")]


def _today() -> datetime:
    return datetime.now(ZoneInfo(USER_TIMEZONE))


def _day(offset: int, time: str = "23:59:59") -> str:
    """A naive local time `offset` days from today (23:59:59 is a day without a time)."""
    return f"{(_today() + timedelta(days=offset)).date().isoformat()}T{time}"


class Api:
    """The REST API as the signed-in page's user."""

    def __init__(self, page: Page, server: LiveServer) -> None:
        self.page = page
        self.base = f"{server.url}/api/{session_value(page, 'user.id')}"
        self.headers = {"Authorization": f"Bearer {session_value(page, 'token')}"}

    def create(self, title: str, **fields: Any) -> dict[str, Any]:
        answer = self.page.request.post(
            f"{self.base}/tasks", headers=self.headers, data={"title": title, **fields}
        )
        assert answer.status == 201, answer.text()
        task: dict[str, Any] = answer.json()
        return task

    def complete(self, task_id: int) -> None:
        answer = self.page.request.patch(
            f"{self.base}/tasks/{task_id}/complete", headers=self.headers, data={"completed": True}
        )
        assert answer.status == 200, answer.text()


def _signed_in(new_context: NewContext, server: LiveServer, size: ViewportSize) -> Page:
    page = new_context(viewport=size).new_page()
    page.goto(server.url)
    sign_up(page)
    return page


@pytest.mark.parametrize("size", SIZES)
def test_views_show_counts_and_group_upcoming_by_day(
    new_context: NewContext, live_server: LiveServer, size: ViewportSize, artifacts: Path
) -> None:
    page = _signed_in(new_context, live_server, size)
    api = Api(page, live_server)
    api.create("today all day", due_at=_day(0))
    api.create("tomorrow all day", due_at=_day(1), priority="P1")
    api.create("in three days", due_at=_day(3, "09:30:00"))
    api.create("was yesterday", due_at=_day(-1, "08:00:00"))
    api.create("some day")
    api.complete(api.create("already done")["id"])
    page.reload()

    counts = {"All tasks": 5, "Today": 1, "Upcoming": 3, "Overdue": 1, "No date": 1}
    for name, count in {**counts, "Completed": 1}.items():
        expect(view_link(page, name)).to_have_text(re.compile(rf"^{name}\s*{count}$"))
    expect(task_item(page, "already done")).to_have_count(0)  # open tasks by default

    view_link(page, "Upcoming").click()
    expect(page.get_by_role("heading", name="Upcoming", level=2)).to_be_visible()
    days = page.locator(".day-title")
    expect(days).to_have_count(3)
    expect(days.nth(0)).to_have_text("Today")
    expect(days.nth(1)).to_have_text("Tomorrow")
    third = (_today() + timedelta(days=3)).strftime("%A")
    expect(days.nth(2)).to_contain_text(third)
    tomorrow = task_item(page, "tomorrow all day")
    expect(tomorrow.locator("time")).not_to_contain_text(re.compile(r"\d:\d\d"))  # no time
    expect(task_item(page, "in three days").locator("time")).to_contain_text("9:30 AM")
    page.screenshot(path=artifacts / f"upcoming-{size['width']}.png", full_page=True)

    view_link(page, "Overdue").click()
    expect(task_items(page)).to_have_count(1)
    expect(task_item(page, "was yesterday").locator("time")).to_contain_text("Overdue")
    view_link(page, "No date").click()
    expect(task_items(page)).to_have_count(1)
    expect(task_item(page, "some day")).to_be_visible()
    view_link(page, "Completed").click()
    expect(task_items(page)).to_have_count(1)
    expect(task_item(page, "already done").get_by_role("checkbox")).to_be_checked()
    view_link(page, "Today").click()
    expect(task_items(page)).to_have_count(1)
    expect(task_item(page, "today all day")).to_be_visible()
    expect(view_link(page, "Today")).to_have_attribute("aria-current", "page")

    # Adding a task updates the counts without a reload.
    view_link(page, "No date").click()
    add_task(page, "read the paper")
    expect(view_link(page, "No date")).to_have_text(re.compile(r"^No date\s*2$"))


def test_recurring_series_is_one_row_with_its_history(
    new_context: NewContext, live_server: LiveServer
) -> None:
    page = _signed_in(new_context, live_server, DESKTOP)
    Api(page, live_server).create(
        "water plants", due_at=_day(0, "18:00:00"), recurrence="FREQ=DAILY", priority="P2"
    )
    page.reload()
    row = task_item(page, "water plants")
    expect(row).to_contain_text("Repeats daily")
    row.get_by_role("checkbox").click()

    # The next occurrence replaces it: still one row, due a day later.
    tomorrow = (_today() + timedelta(days=1)).strftime("%b %-d")
    expect(row.locator("time")).to_contain_text(tomorrow)
    expect(task_items(page)).to_have_count(1)
    page.get_by_label("Search tasks").fill("water")
    expect(task_items(page)).to_have_count(1)
    page.get_by_role("search").locator("summary").click()
    page.get_by_label("Filter by Status").select_option("all")
    expect(task_items(page)).to_have_count(1)  # the completed occurrence is history, not a row

    row.get_by_role("button", name="History and activity of water plants").click()
    dialog = page.get_by_role("dialog", name="water plants")
    expect(dialog).to_be_visible()
    history = dialog.get_by_role("list", name="Completed occurrences of water plants")
    expect(history.locator("li")).to_have_count(1)
    expect(history).to_contain_text(_today().strftime("%b %-d"))
    expect(dialog.get_by_role("list", name="Activity of water plants")).to_contain_text("Created")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(row.get_by_role("button", name="History and activity of water plants")).to_be_focused()


@pytest.mark.parametrize("size", SIZES)
def test_every_field_edited_with_errors_next_to_fields(
    new_context: NewContext, live_server: LiveServer, size: ViewportSize
) -> None:
    page = _signed_in(new_context, live_server, size)
    item = add_task(page, "plan trip")
    item.get_by_role("button", name="Edit plan trip").click()
    form = page.get_by_role("form", name="Edit plan trip")

    # A reminder needs a due date: said next to the reminder, nothing sent.
    form.get_by_label("Reminder").select_option("15")
    form.get_by_role("button", name="Save").click()
    expect(form.get_by_label("Reminder")).to_have_accessible_description(
        re.compile("Set a due date first")
    )

    form.get_by_label("Title").fill("plan the trip")
    form.get_by_label("Notes").fill("book trains first")
    form.get_by_label("Due date").fill("2030-05-17")  # a Friday, no time
    form.get_by_label("Repeats").select_option(label="Every weekday")
    expect(form.get_by_label("Rule (RRULE or cron)")).to_have_value(
        "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    )
    form.get_by_label("Priority").select_option("P1")
    form.get_by_label("Tags").fill("travel, family")
    form.get_by_role("button", name="Save").click()

    trip = task_item(page, "plan the trip")
    expect(trip.locator(".prio")).to_have_text("P1")
    expect(trip.locator("time")).to_have_text("Due Fri, May 17, 2030")
    expect(trip).to_contain_text("Repeats weekly on weekdays")
    expect(trip).to_contain_text("Reminder 15 min before")
    expect(trip).to_contain_text("book trains first")
    expect(trip.get_by_role("button", name=re.compile("^#family"))).to_be_visible()

    # The raw rule for power users; a rule the API refuses is explained next to it.
    trip.get_by_role("button", name="Edit plan the trip").click()
    form = page.get_by_role("form", name="Edit plan the trip")
    expect(form.get_by_label("Time (optional)")).to_have_value("")
    form.get_by_label("Rule (RRULE or cron)").fill("FREQ=SOMETIMES")
    expect(form.get_by_label("Repeats")).to_have_value("custom")
    form.get_by_role("button", name="Save").click()
    rule = form.get_by_label("Rule (RRULE or cron)")
    expect(rule).to_have_attribute("aria-invalid", "true")
    expect(rule).to_have_accessible_description(re.compile("^This repeat rule is not understood"))
    expect(page.get_by_role("alert")).to_be_empty()
    rule.fill("FREQ=MONTHLY;BYMONTHDAY=1")
    form.get_by_label("Time (optional)").fill("08:15")
    form.get_by_role("button", name="Save").click()
    expect(trip).to_contain_text("Repeats monthly on day 1")
    expect(trip.locator("time")).to_contain_text("8:15 AM")


def test_reminder_reaches_user_as_toast_bell_and_notification(
    new_context: NewContext, live_server: LiveServer
) -> None:
    context = new_context(permissions=["notifications"])
    page = context.new_page()
    # Record what the page hands to the Notification API (headless Chromium shows nothing).
    page.add_init_script(
        "window.__notified = [];"
        "window.Notification = class extends window.Notification {"
        "  constructor(title, options) { super(title, options);"
        "    window.__notified.push(options.body); } };"
    )
    page.goto(live_server.url)
    sign_up(page)
    bell = page.locator("#bell-button")
    expect(bell).to_have_attribute("data-ready", "true")
    expect(bell).to_have_accessible_name("Notifications")

    due = datetime.now(UTC) + timedelta(minutes=1)
    Api(page, live_server).create(
        "stretch", due_at=due.isoformat(), remind_before_minutes=1, priority="P3"
    )
    toast = page.locator(".toast-reminder", has_text="Reminder: stretch")
    expect(toast).to_be_visible(timeout=15_000)
    expect(bell).to_have_accessible_name("Notifications, 1 unread")
    expect(page.locator("#bell-count")).to_have_text("1")
    assert page.evaluate("window.__notified")[0].startswith("Reminder: stretch")
    expect(task_item(page, "stretch")).to_contain_text("Reminder sent")

    bell.click()
    panel = page.get_by_role("dialog", name="Notifications")
    expect(panel).to_be_visible()
    panel.get_by_role("button", name="Mark read: stretch").click()
    expect(bell).to_have_accessible_name("Notifications")
    expect(page.locator("#bell-count")).to_be_hidden()

    toast.get_by_role("button", name="Open task: stretch").click()
    dialog = page.get_by_role("dialog", name="stretch")
    expect(dialog.get_by_role("list", name="Activity of stretch")).to_contain_text("Reminder sent")


def test_account_activity_lists_changes(new_context: NewContext, live_server: LiveServer) -> None:
    page = _signed_in(new_context, live_server, DESKTOP)
    item = add_task(page, "file taxes", priority="P2")
    item.get_by_role("checkbox").click()
    expect(item).to_have_count(0)
    page.get_by_role("button", name="Activity", exact=True).click()
    dialog = page.get_by_role("dialog", name="Your account")
    entries = dialog.get_by_role("list", name="Account activity")
    expect(entries).to_contain_text("Created “file taxes”")
    expect(entries).to_contain_text("Completed")
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
