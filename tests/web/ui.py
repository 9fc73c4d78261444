"""What a person does in the web app, as Playwright steps the browser tests share."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from playwright.sync_api import Locator, Page, expect

from tests.web.conftest import USER_TIMEZONE, LiveServer

CHAT_PATH = "/api/{user_id}/chat"


@dataclass(frozen=True, kw_only=True)
class Account:
    name: str
    email: str
    password: str


def new_account(name: str = "Ada") -> Account:
    return Account(
        name=name,
        email=f"{name.lower()}-{uuid.uuid4().hex[:10]}@example.com",
        password="a-long-passw0rd",
    )


def sign_up(page: Page, account: Account | None = None, timezone: str = USER_TIMEZONE) -> Account:
    account = account or new_account()
    form = page.get_by_role("form", name="Sign up")
    form.get_by_label("Name").fill(account.name)
    form.get_by_label("Email").fill(account.email)
    form.get_by_label("Password").fill(account.password)
    form.get_by_label("Time zone").fill(timezone)
    form.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Tasks")).to_be_visible()
    return account


def log_in(page: Page, account: Account) -> None:
    form = page.get_by_role("form", name="Log in")
    form.get_by_label("Email").fill(account.email)
    form.get_by_label("Password").fill(account.password)
    form.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Tasks")).to_be_visible()


def add_task(
    page: Page, title: str, *, priority: str = "P4", due: str = "", tags: str = ""
) -> Locator:
    form = page.get_by_role("form", name="Add a task")
    form.get_by_label("New task", exact=True).fill(title)
    more = form.locator("details")
    if more.get_attribute("open") is None:
        more.locator("summary").click()
    form.get_by_label("Priority").select_option(priority)
    form.get_by_label("Due date").fill(due)
    form.get_by_label("Tags").fill(tags)
    form.get_by_role("button", name="Add task").click()
    item = task_item(page, title)
    expect(item).to_be_visible()
    return item


def task_items(page: Page) -> Locator:
    return page.locator(".task-list > li")


def task_item(page: Page, title: str) -> Locator:
    exact = page.locator(".task-title", has_text=re.compile(rf"^{re.escape(title)}$"))
    return task_items(page).filter(has=exact)


def session_value(page: Page, key: str) -> str:
    """The tab's own session (sessionStorage; the refresh token is an HttpOnly cookie)."""
    value: str = page.evaluate(f"JSON.parse(sessionStorage.getItem('taskflow.session')).{key}")
    return value


def has_chat(server: LiveServer) -> bool:
    return CHAT_PATH in server.app.openapi().get("paths", {})


def open_filters(page: Page) -> Locator:
    """The filter form with its "More filters" section open."""
    form = page.get_by_role("search", name="Filter and sort tasks")
    more = form.locator("details")
    if more.get_attribute("open") is None:
        more.locator("summary").click()
    return form


def tag_filter(page: Page, tag: str) -> Locator:
    return open_filters(page).get_by_role("checkbox", name=f"#{tag}", exact=True)


def view_link(page: Page, name: str) -> Locator:
    return page.get_by_role("navigation", name="Views").get_by_role(
        "button", name=re.compile(rf"^{re.escape(name)}\b")
    )
