"""The recurrence pattern in the OpenAPI document promises no more than `normalize` accepts."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.recurrence import RULE_PATTERN, normalize


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.from_regex(RULE_PATTERN, fullmatch=True))
def test_every_rule_the_pattern_allows_is_accepted(rule: str) -> None:
    assert normalize(rule)


def test_the_documented_examples_match_and_nonsense_does_not() -> None:
    pattern = re.compile(RULE_PATTERN)
    for rule in (
        "daily",
        "FREQ=WEEKLY;BYDAY=MO,WE",
        "FREQ=MONTHLY;BYDAY=2TU",
        "FREQ=MONTHLY;BYMONTHDAY=-1",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR",
        "FREQ=DAILY;COUNT=5",
        "FREQ=DAILY;UNTIL=20270101T000000Z",
        "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=27",
        "0 9 * * 1-5",
    ):
        assert pattern.fullmatch(rule), rule
    for rule in (
        "FREQ=SOMETIMES",
        "61 * * * *",
        "",
        "FREQ=MINUTELY",
        "FREQ=DAILY;COUNT=2;UNTIL=20270101T000000Z",
    ):
        assert not pattern.fullmatch(rule), rule
