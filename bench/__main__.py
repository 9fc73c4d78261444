"""Every benchmark of the performance note, one after another (docs/performance.md).

uv run python -m bench
"""

from __future__ import annotations

import sys

from bench import embedded, events, list_tasks

if __name__ == "__main__":
    sys.argv = sys.argv[:1]
    for benchmark in (events, embedded, list_tasks):
        benchmark.main()
