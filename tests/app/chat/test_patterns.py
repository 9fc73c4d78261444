from __future__ import annotations

from app.chat.parsing.patterns import phrase, phrases


def test_phrase_ignores_case() -> None:
    assert phrase(r"remind me (?P<when>\w+)").match("Remind ME tomorrow")


def test_phrases_keep_their_order_and_ignore_case() -> None:
    found = [p.pattern for p in phrases(r"^done$", r"^finished$") if p.match("DONE")]
    assert found == [r"^done$"]
