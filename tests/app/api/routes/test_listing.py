from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.utils.users import AuthedUser, create_task, signup


@pytest.fixture
def user(client: TestClient) -> AuthedUser:
    return signup(client, timezone="America/New_York")


def _list(client: TestClient, user: AuthedUser, **params: Any) -> tuple[list[dict[str, Any]], int]:
    response = client.get(user.tasks_url, params=params, headers=user.headers)
    assert response.status_code == 200, response.text
    return response.json(), int(response.headers["X-Total-Count"])


def _titles(tasks: list[dict[str, Any]]) -> list[str]:
    return [t["title"] for t in tasks]


def test_list_default_is_newest_first(client: TestClient, user: AuthedUser) -> None:
    for title in ("one", "two", "three"):
        create_task(client, user, title=title)
    tasks, total = _list(client, user)
    assert _titles(tasks) == ["three", "two", "one"] and total == 3


def test_listed_tasks_carry_their_tags_in_name_order_ignoring_case(
    client: TestClient, user: AuthedUser
) -> None:
    tagged = create_task(client, user, title="tagged", tags=["work", "Errands", "b-side", "Zed"])
    create_task(client, user, title="bare")
    tasks, _ = _list(client, user)
    assert {t["title"]: t["tags"] for t in tasks} == {
        "tagged": ["b-side", "Errands", "work", "Zed"],
        "bare": [],
    }
    one = client.get(f"{user.tasks_url}/{tagged['id']}", headers=user.headers).json()
    assert tasks == [next(t for t in tasks if t["title"] == "bare"), one]
    assert _list(client, user, limit=1, offset=1) == ([one], 2)  # a later page, its own tags


def test_list_empty(client: TestClient, user: AuthedUser) -> None:
    assert _list(client, user) == ([], 0)


def test_search_matches_title_and_description_case_insensitively(
    client: TestClient, user: AuthedUser
) -> None:
    create_task(client, user, title="Buy MILK")
    create_task(client, user, title="Call mom", description="about the milk delivery")
    create_task(client, user, title="Write report")
    tasks, total = _list(client, user, q="milk")
    assert sorted(_titles(tasks)) == ["Buy MILK", "Call mom"] and total == 2


def test_search_with_several_words_needs_all(client: TestClient, user: AuthedUser) -> None:
    create_task(client, user, title="buy milk", description="oat")
    create_task(client, user, title="buy bread")
    tasks, _ = _list(client, user, q="buy milk")
    assert _titles(tasks) == ["buy milk"]


def test_search_treats_sql_wildcards_literally(client: TestClient, user: AuthedUser) -> None:
    create_task(client, user, title="100% done")
    create_task(client, user, title="halfway")
    tasks, _ = _list(client, user, q="%")
    assert "halfway" not in _titles(tasks)


def test_filter_by_repeated_priority(client: TestClient, user: AuthedUser) -> None:
    for priority in ("P1", "P2", "P3", "P4"):
        create_task(client, user, title=priority, priority=priority)
    tasks, total = _list(client, user, priority=["P1", "p3"])
    assert sorted(_titles(tasks)) == ["P1", "P3"] and total == 2


def test_filter_by_status(client: TestClient, user: AuthedUser) -> None:
    done = create_task(client, user, title="done")
    create_task(client, user, title="open")
    client.patch(f"{user.tasks_url}/{done['id']}/complete", headers=user.headers)
    assert _titles(_list(client, user, status="open")[0]) == ["open"]
    assert _titles(_list(client, user, status="completed")[0]) == ["done"]
    assert _list(client, user, status="all")[1] == 2


def test_filter_by_tags_any_and_all(client: TestClient, user: AuthedUser) -> None:
    create_task(client, user, title="both", tags=["work", "urgent"])
    create_task(client, user, title="work", tags=["work"])
    create_task(client, user, title="none")
    assert sorted(_titles(_list(client, user, tag=["work", "urgent"])[0])) == ["both", "work"]
    assert _titles(_list(client, user, tag=["WORK", "#urgent"], tag_mode="all")[0]) == ["both"]
    assert _list(client, user, tag=["unknown"]) == ([], 0)


def test_filter_due_range_reads_naive_bounds_in_user_timezone(
    client: TestClient, user: AuthedUser
) -> None:
    create_task(client, user, title="early", due_at="2026-12-01T08:00:00")
    create_task(client, user, title="late", due_at="2026-12-01T20:00:00")
    tasks, _ = _list(
        client, user, due_after="2026-12-01T12:00:00", due_before="2026-12-02T00:00:00"
    )
    assert _titles(tasks) == ["late"]


def test_filter_overdue_and_has_due(client: TestClient, user: AuthedUser) -> None:
    create_task(client, user, title="past", due_at="2020-01-01T09:00:00Z")
    done = create_task(client, user, title="past-done", due_at="2020-01-01T09:00:00Z")
    client.patch(f"{user.tasks_url}/{done['id']}/complete", headers=user.headers)
    create_task(client, user, title="future", due_at="2099-01-01T09:00:00Z")
    create_task(client, user, title="undated")
    assert _titles(_list(client, user, overdue="true")[0]) == ["past"]
    assert sorted(_titles(_list(client, user, overdue="false")[0])) == [
        "future",
        "past-done",
        "undated",
    ]
    assert _titles(_list(client, user, has_due="false")[0]) == ["undated"]
    assert _list(client, user, has_due="true")[1] == 3


def test_filters_compose(client: TestClient, user: AuthedUser) -> None:
    create_task(
        client,
        user,
        title="report draft",
        priority="P1",
        tags=["work"],
        due_at="2026-12-01T09:00:00Z",
    )
    create_task(
        client,
        user,
        title="report final",
        priority="P3",
        tags=["work"],
        due_at="2026-12-01T09:00:00Z",
    )
    create_task(client, user, title="report personal", priority="P1", tags=["home"])
    tasks, total = _list(client, user, q="report", priority="P1", tag="work", has_due="true")
    assert _titles(tasks) == ["report draft"] and total == 1


def test_sort_priority_then_due_desc_puts_undated_last(
    client: TestClient, user: AuthedUser
) -> None:
    create_task(client, user, title="p2-undated", priority="P2")
    create_task(client, user, title="p2-early", priority="P2", due_at="2026-12-01T09:00:00Z")
    create_task(client, user, title="p2-late", priority="P2", due_at="2026-12-05T09:00:00Z")
    create_task(client, user, title="p1", priority="P1")
    tasks, _ = _list(client, user, sort="priority,-due_at")
    assert _titles(tasks) == ["p1", "p2-late", "p2-early", "p2-undated"]


def test_sort_due_ascending_puts_undated_last(client: TestClient, user: AuthedUser) -> None:
    create_task(client, user, title="undated")
    create_task(client, user, title="late", due_at="2026-12-05T09:00:00Z")
    create_task(client, user, title="early", due_at="2026-12-01T09:00:00Z")
    assert _titles(_list(client, user, sort="due_at")[0]) == ["early", "late", "undated"]


def test_sort_title_and_updated(client: TestClient, user: AuthedUser) -> None:
    b = create_task(client, user, title="b")
    create_task(client, user, title="a")
    client.patch(
        f"{user.tasks_url}/{b['id']}", json={"description": "touched"}, headers=user.headers
    )
    assert _titles(_list(client, user, sort="title")[0]) == ["a", "b"]
    # A repeated field cannot change the order its first mention set (the schema allows it).
    assert _titles(_list(client, user, sort="title,-title")[0]) == ["a", "b"]
    assert _titles(_list(client, user, sort="-updated_at")[0])[0] == "b"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sort": "colour"}, "sort"),
        ({"sort": "title,"}, "sort"),
        ({"sort": ","}, "sort"),
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"offset": -1}, "offset"),
        ({"priority": "P9"}, "priority.0"),
        ({"status": "done"}, "status"),
        ({"tag_mode": "some"}, "tag_mode"),
        ({"due_after": "yesterday"}, "due_after"),
        ({"overdue": "perhaps"}, "overdue"),
        ({"bogus": "1"}, "bogus"),
    ],
)
def test_list_invalid_params_are_422_naming_field(
    client: TestClient, user: AuthedUser, params: dict[str, Any], field: str
) -> None:
    response = client.get(user.tasks_url, params=params, headers=user.headers)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["field"] == field


def test_pagination_arithmetic_and_stable_order(client: TestClient, user: AuthedUser) -> None:
    # Equal sort keys everywhere: only the id tie-breaker keeps pages disjoint.
    for i in range(23):
        create_task(client, user, title=f"t{i:02}", priority="P2")
    seen: list[int] = []
    for offset in (0, 10, 20):
        page, total = _list(client, user, sort="priority", limit=10, offset=offset)
        assert total == 23
        assert len(page) == (10 if offset < 20 else 3)
        seen.extend(t["id"] for t in page)
    assert len(set(seen)) == 23
    assert seen == sorted(seen)
    beyond, total = _list(client, user, offset=50)
    assert beyond == [] and total == 23


def test_limit_bounds_are_inclusive(client: TestClient, user: AuthedUser) -> None:
    create_task(client, user)
    assert _list(client, user, limit=1)[1] == 1
    assert _list(client, user, limit=100)[1] == 1
