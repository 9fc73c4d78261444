"""The built-in agent over both evaluation splits, judged by effect on the data."""

from __future__ import annotations

import pytest

from tests.app.chat.evaluation import cases, run_split, summary, utterances

REQUIRED = {
    "follow-up",
    "correction",
    "clarification",
    "undo",
    "bulk",
    "quoting",
    "grammar",
    "reminders",
    "politeness",
    "languages",
    "timezones",
}


def test_eval_splits_are_varied_and_apart() -> None:
    tuned, held = cases("tuned"), cases("held-back")
    sequences = [tuple(c["turns"]) for c in tuned + held]
    assert len(set(sequences)) == len(sequences)
    assert {c["category"] for c in held} >= REQUIRED
    assert {c["category"] for c in tuned} >= REQUIRED
    assert utterances("tuned") + utterances("held-back") >= 400
    assert sum(len(c["turns"]) > 1 for c in tuned + held) >= 60


# 286 conversations on fresh databases: minutes on a busy machine, past the default timeout.
@pytest.mark.timeout(1500)
def test_builtin_agent_on_tuned_split() -> None:
    results = run_split("tuned")
    accuracy, _ = summary(results)
    failures = [f"{list(r.turns)}: {r.detail}" for r in results if not r.ok]
    assert accuracy >= 0.97, "\n".join(failures)
    assert not [r for r in results if r.wrong_target]
