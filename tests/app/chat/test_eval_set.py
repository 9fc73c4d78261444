"""The built-in agent over the evaluation set: at least 150 utterances, >= 95% exact match."""

from tests.app.chat.evaluation import load, run_all, summary


def test_eval_set_has_enough_varied_cases() -> None:
    data = load()
    cases = data["cases"]
    assert len(cases) >= 150
    assert len({c["say"] for c in cases}) == len(cases)
    assert len({c["category"] for c in cases}) >= 10


def test_builtin_agent_meets_accuracy_on_eval_set() -> None:
    results = run_all()
    accuracy, _ = summary(results)
    failures = [f"{r.say!r}: expected {r.expected}, got {r.actual}" for r in results if not r.ok]
    assert accuracy >= 0.95, "\n".join(failures)
