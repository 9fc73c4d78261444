"""Prints the built-in chat agent's exact-match accuracy on tests/app/chat/eval_set.yaml.

Run: uv run python bench/chat_eval.py [--failures]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.app.chat.evaluation import run_all, summary


def main() -> None:
    results = run_all()
    accuracy, categories = summary(results)
    print(f"exact match: {sum(r.ok for r in results)}/{len(results)} = {accuracy:.1%}")
    for category, (passed, total) in categories.items():
        print(f"  {category:<20} {passed:>3}/{total:<3} {passed / total:.0%}")
    if "--failures" in sys.argv:
        for result in results:
            if not result.ok:
                print(f"- {result.say!r}")
                print(f"    expected {result.expected}\n    got      {result.actual}")


if __name__ == "__main__":
    main()
