"""Accessibility in the real browser: names on every control, live regions, contrast, keyboard."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.web.conftest import LiveServer
from tests.web.ui import add_task, has_chat, new_account, sign_up, task_item

NewContext = Callable[..., BrowserContext]
CONTROLS = "input, select, textarea, button"

# WCAG 2 contrast ratio of each visible text element against its effective background.
CONTRAST_JS = """
(selector) => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const c = rgb(getComputedStyle(node).backgroundColor);
      if (c.length === 3 || c[3] > 0) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  return [...document.querySelectorAll(selector)]
    .filter((el) => el.offsetParent !== null && el.textContent.trim())
    .map((el) => {
      const a = lum(rgb(getComputedStyle(el).color)), b = lum(background(el));
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      return [el.tagName + "." + el.className + " " + el.textContent.trim().slice(0, 20), ratio];
    });
}
"""
TEXT = "h1, h2, h3, label, button, p, .task-title, .prio, time, .recur, .remind, .msg, .error"


# Form fields named by a <label> or ARIA, never by a placeholder alone.
UNLABELLED_JS = """
(selector) => [...document.querySelectorAll(selector)]
  .filter((el) => el.offsetParent !== null && el.tagName !== "BUTTON")
  .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute("aria-label")
                  && !el.getAttribute("aria-labelledby"))
  .map((el) => el.id || el.outerHTML)
"""


def _expect_every_control_named(page: Page) -> int:
    assert page.evaluate(UNLABELLED_JS, CONTROLS) == []
    controls = page.locator(CONTROLS).filter(visible=True)
    count = controls.count()
    for index in range(count):
        expect(controls.nth(index)).to_have_accessible_name(re.compile(r"\w"))
    return count


def _low_contrast(page: Page) -> list[tuple[str, float]]:
    ratios: list[tuple[str, float]] = page.evaluate(CONTRAST_JS, TEXT)
    assert ratios
    return [(name, round(ratio, 2)) for name, ratio in ratios if ratio < 4.5]


def _focused(page: Page) -> str:
    label: str = page.evaluate(
        "(() => { const el = document.activeElement;"
        " return el.id || el.getAttribute('aria-label') || el.textContent.trim(); })()"
    )
    return label


def _tab_to(page: Page, target: str | re.Pattern[str], limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if target.search(focused) if isinstance(target, re.Pattern) else focused == target:
            return
    pytest.fail(f"Tab never reached {target!r}")


def test_every_control_named_when_logged_out_and_in(page: Page) -> None:
    assert _expect_every_control_named(page) >= 8
    expect(page.get_by_role("alert")).to_have_attribute("aria-live", "assertive")
    assert _low_contrast(page) == []

    sign_up(page)
    item = add_task(page, "label check", priority="P1", due="2020-01-01T08:00", tags="a11y")
    assert _expect_every_control_named(page) >= 20
    expect(page.get_by_role("log", name="Conversation")).to_have_attribute("aria-live", "polite")
    expect(page.get_by_role("status").first).to_be_attached()
    page.get_by_role("alert").evaluate("el => { el.textContent = 'Something failed.'; }")
    assert _low_contrast(page) == []

    page.get_by_role("search").locator("summary").click()  # more filters: tags, due range
    page.get_by_role("button", name="Notifications").click()
    expect(page.get_by_role("dialog", name="Notifications")).to_be_visible()
    assert _expect_every_control_named(page) >= 30
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog", name="Notifications")).to_be_hidden()

    item.get_by_role("button", name="Edit label check").click()
    assert _expect_every_control_named(page) >= 35
    assert _low_contrast(page) == []


def test_dark_mode_follows_system_and_keeps_contrast(
    new_context: NewContext, live_server: LiveServer, artifacts: Path
) -> None:
    page = new_context(color_scheme="dark").new_page()
    page.goto(live_server.url)
    assert _low_contrast(page) == []
    sign_up(page)
    add_task(page, "night owl", priority="P1", due="2020-01-01T08:00", tags="late")
    add_task(page, "read a book", priority="P3", tags="home")
    background = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    assert max(int(v) for v in re.findall(r"\d+", background)[:3]) < 60, background
    page.get_by_role("alert").evaluate("el => { el.textContent = 'Something failed.'; }")
    assert _low_contrast(page) == []
    page.get_by_role("alert").evaluate("el => { el.textContent = ''; }")
    page.screenshot(path=artifacts / "main-dark.png", full_page=True)


def test_main_flow_works_when_only_keyboard_used(page: Page, live_server: LiveServer) -> None:
    expected = [
        "Skip to content",
        "login-email",
        "login-password",
        "Log in",
        "signup-name",
        "signup-email",
        "signup-password",
        "signup-timezone",
        "Create account",
    ]
    order = []
    for _ in expected:
        page.keyboard.press("Tab")
        order.append(_focused(page))
    assert order == expected

    account = new_account()
    page.reload()
    _tab_to(page, "signup-name")
    page.keyboard.type(account.name)
    page.keyboard.press("Tab")
    page.keyboard.type(account.email)
    page.keyboard.press("Tab")
    page.keyboard.type(account.password)
    page.keyboard.press("Tab")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("Europe/Paris")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Tasks")).to_be_visible()
    add_title = page.locator("#add-title")
    expect(add_title).to_be_focused()

    page.keyboard.type("water the plants")
    _tab_to(page, "add-priority")  # past the Add button
    page.keyboard.type("P1")  # type-ahead in the priority list
    _tab_to(page, "add-tags")  # through the due date's fields, left empty
    page.keyboard.type("garden")
    page.keyboard.press("Enter")
    item = task_item(page, "water the plants")
    expect(item.locator(".prio")).to_have_text("P1")
    expect(item.get_by_role("button", name=re.compile("^#garden"))).to_be_visible()
    # The list can show the task (over the live socket) before the add form's own answer
    # arrives and moves focus back: wait for the focus, not for the row.
    expect(add_title).to_be_focused()

    _tab_to(page, re.compile(r"^task-\d+-edit$"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("form", name="Edit water the plants")).to_be_visible()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("water the roses")
    page.keyboard.press("Enter")
    roses = task_item(page, "water the roses")
    expect(roses.get_by_role("button", name="Edit water the roses")).to_be_focused()

    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(roses.get_by_role("button", name="Edit water the roses")).to_be_focused()

    if has_chat(live_server):
        _tab_to(page, "chat-input")
        page.keyboard.type("add call mum tomorrow at 6pm")
        page.keyboard.press("Enter")
        # The assistant may take a while on a loaded machine: wait for its answer.
        expect(page.locator("#chat-log .msg-assistant")).to_have_count(1, timeout=20_000)
        expect(page.get_by_label("Message the assistant")).to_be_focused()
        expect(task_item(page, "call mum")).to_be_visible()
        page.get_by_label("Message the assistant").press("Shift+Tab")

    # Shortcuts: j selects the first task (P1 sorts first), x completes it, and the open list
    # no longer shows it; the toast's Undo brings it back.
    page.keyboard.press("j")
    expect(roses).to_be_focused()
    page.keyboard.press("x")
    expect(roses).to_have_count(0)
    expect(page.locator(".toast", has_text="Completed “water the roses”.")).to_be_visible()
    undo = page.get_by_role("button", name="Undo: reopen water the roses")
    undo.focus()
    page.keyboard.press("Enter")
    expect(roses).to_be_visible()

    roses.get_by_role("button", name="Delete water the roses").focus()
    page.keyboard.press("Enter")
    expect(roses).to_have_count(0)
    heading = page.get_by_role("heading", name="All tasks")
    expect(heading).to_be_focused()

    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_hidden()
    expect(heading).to_be_focused()
    page.keyboard.press("/")
    expect(page.get_by_label("Search tasks")).to_be_focused()
