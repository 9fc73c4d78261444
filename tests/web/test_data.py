"""Export and import in the real browser: JSON and CSV downloads, a round trip into another
account, and a Todoist CSV export read with its words for dates and its inverted priorities."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, Route, expect

from tests.web.conftest import LiveServer
from tests.web.test_views import Api, _day
from tests.web.ui import sign_up, task_item, task_items

NewContext = Callable[..., BrowserContext]
TODOIST_CSV = """TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,DATE_LANG,TIMEZONE
section,Errands,,,,,,,,
task,Take out the bins @home @weekly,,4,1,Ada (1),,every monday,en,America/New_York
task,Read a paper,notes here,1,1,Ada (1),,,en,America/New_York
task,,,1,1,Ada (1),,,en,America/New_York
"""


def _open_account(page: Page) -> None:
    page.get_by_role("button", name="Activity", exact=True).click()
    expect(page.get_by_role("dialog", name="Your account")).to_be_visible()


def _new_user_page(new_context: NewContext, server: LiveServer) -> Page:
    page = new_context(accept_downloads=True).new_page()
    page.goto(server.url)
    sign_up(page)
    return page


def test_export_then_import_round_trip_into_another_account(
    new_context: NewContext, live_server: LiveServer, tmp_path: Path
) -> None:
    first = _new_user_page(new_context, live_server)
    api = Api(first, live_server)
    api.create(
        "team stand-up",
        due_at=_day(1, "09:30:00"),
        recurrence="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        remind_before_minutes=15,
        priority="P2",
        tags=["work"],
    )
    api.create("buy milk", tags=["groceries", "home"], description="semi-skimmed")
    api.complete(api.create("old chore", priority="P1")["id"])
    first.reload()
    _open_account(first)

    with first.expect_download() as as_json:
        first.get_by_role("button", name="Export all (JSON)").click()
    document = json.loads(Path(as_json.value.path()).read_text())
    assert document["user"]["email"].startswith("ada-")
    assert sorted(t["title"] for t in document["tasks"]) == [
        "buy milk",
        "old chore",
        "team stand-up",
    ]
    assert any(e["event_type"] == "created" for e in document["activity"])

    with first.expect_download() as as_csv:
        first.get_by_role("button", name="Export tasks (CSV)").click()
    exported = tmp_path / "taskflow.csv"
    as_csv.value.save_as(exported)
    assert exported.read_text().startswith("TYPE,CONTENT,DESCRIPTION,PRIORITY")

    second = _new_user_page(new_context, live_server)
    _open_account(second)
    second.get_by_label("Import a Todoist CSV export").set_input_files(exported)
    expect(second.get_by_role("dialog", name="Your account")).to_contain_text("Imported 3 tasks.")
    second.get_by_role("button", name="Close").click()
    expect(task_items(second)).to_have_count(2)  # the completed one is in Completed
    standup = task_item(second, "team stand-up")
    expect(standup).to_contain_text("Repeats weekly on weekdays")
    expect(standup).to_contain_text("Reminder 15 min before")
    expect(standup.locator(".prio")).to_have_text("P2")
    expect(standup.get_by_role("button", name=re.compile("^#work"))).to_be_visible()
    expect(task_item(second, "buy milk")).to_contain_text("semi-skimmed")
    second.get_by_role("navigation", name="Views").get_by_role(
        "button", name=re.compile("^Completed")
    ).click()
    expect(task_item(second, "old chore").locator(".prio")).to_have_text("P1")


def test_todoist_csv_imported_with_words_for_dates_and_inverted_priorities(
    new_context: NewContext, live_server: LiveServer, tmp_path: Path
) -> None:
    page = _new_user_page(new_context, live_server)
    source = tmp_path / "todoist.csv"
    source.write_text(TODOIST_CSV)
    _open_account(page)
    page.get_by_label("Import a Todoist CSV export").set_input_files(source)
    dialog = page.get_by_role("dialog", name="Your account")
    expect(dialog).to_contain_text("Imported 2 tasks. Skipped 1: line 5:")
    dialog.get_by_role("button", name="Close").click()
    bins = task_item(page, "Take out the bins")
    expect(bins.locator(".prio")).to_have_text("P1")  # Todoist's priority 4 is its highest
    expect(bins).to_contain_text("Repeats weekly on Mon")
    expect(bins.get_by_role("button", name=re.compile("^#home"))).to_be_visible()
    expect(bins.get_by_role("button", name=re.compile("^#weekly"))).to_be_visible()
    paper = task_item(page, "Read a paper")
    expect(paper.locator(".prio")).to_have_text("P4")
    expect(paper).to_contain_text("notes here")


def test_import_renews_a_rejected_token_and_sends_the_file_again(
    new_context: NewContext, live_server: LiveServer, tmp_path: Path
) -> None:
    page = _new_user_page(new_context, live_server)
    uploads: list[str] = []

    def expired_once(route: Route) -> None:
        uploads.append(route.request.post_data or "")
        if len(uploads) == 1:
            route.fulfill(status=401, json={"message": "The access token has expired."})
        else:
            route.continue_()

    page.route(re.compile(r"/import/todoist$"), expired_once)
    upload = tmp_path / "todoist.csv"
    upload.write_text(TODOIST_CSV)
    _open_account(page)
    with page.expect_request(re.compile(r"/api/auth/refresh$")):
        page.get_by_label("Import a Todoist CSV export").set_input_files(upload)
    expect(page.get_by_role("dialog", name="Your account")).to_contain_text("Imported 2 tasks.")
    assert uploads == [TODOIST_CSV, TODOIST_CSV]
    expect(page.get_by_role("alert")).to_be_empty()
