"""Prints the built-in chat agent's score on both evaluation splits and the wrong-target count.

Cases are judged by their effect on the data (tests/app/chat/evaluation.py). The held-back
split is never tuned against: its failures are not printed.
Run: uv run python bench/chat_eval.py [--failures] [--only CATEGORY] [--tuned]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.app.chat.evaluation import run_split, summary, utterances


def main() -> None:
    wrong = 0
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    splits = ("tuned",) if "--tuned" in sys.argv else ("tuned", "held-back")
    for split in splits:
        results = run_split(split, only)
        accuracy, categories = summary(results)
        dialogues = sum(len(r.turns) > 1 for r in results)
        print(
            f"{split}: {sum(r.ok for r in results)}/{len(results)} cases = {accuracy:.1%} "
            f"({utterances(split)} utterances, {dialogues} multi-turn dialogues)"
        )
        for category, (passed, total) in categories.items():
            print(f"  {category:<20} {passed:>3}/{total:<3} {passed / total:.0%}")
        wrong += sum(r.wrong_target for r in results)
        if split == "tuned" and "--failures" in sys.argv:
            for result in results:
                if not result.ok:
                    print(f"- [{result.category}] {list(result.turns)}\n    {result.detail}")
    print(f"wrong target (changed a task the user did not mean): {wrong}")


if __name__ == "__main__":
    main()
