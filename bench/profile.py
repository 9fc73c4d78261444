"""Reads py-spy's raw (collapsed) stacks: where a process's Python CPU time goes.

    uv run python -m bench.profile write.txt

Two views: by library at the leaf frame (whose code was running), and inclusive shares of
the steps of a request (a sample counts for each step on its stack).
"""

from __future__ import annotations

import sys
from collections import Counter

# Leaf frame -> library, first match wins.
LIBRARIES = (
    ("psycopg", "psycopg"),
    ("sqlalchemy/orm", "SQLAlchemy ORM"),
    ("sqlmodel", "SQLAlchemy ORM"),
    ("sqlalchemy", "SQLAlchemy Core"),
    ("pydantic", "pydantic"),
    ("opentelemetry", "OpenTelemetry"),
    ("prometheus_client", "prometheus"),
    ("argon2", "argon2"),
    ("jwt/", "JWT"),
    ("uvicorn", "uvicorn/h11"),
    ("h11", "uvicorn/h11"),
    ("httptools", "uvicorn/h11"),
    ("starlette", "Starlette/FastAPI"),
    ("fastapi", "Starlette/FastAPI"),
    ("anyio", "thread hand-offs (anyio)"),
    ("concurrent/futures", "thread hand-offs (anyio)"),
    ("threading.py", "thread hand-offs (anyio)"),
    ("asyncio", "asyncio"),
    ("logging", "logging"),
    ("json", "json"),
    ("app/", "Taskflow code"),
)

# Steps of a request, matched anywhere on the stack (function or file).
STEPS = (
    ("get_current_user", "current user lookup"),
    ("tag_names_for_tasks", "tag-name query"),
    ("get_or_create_tags", "tag upsert"),
    ("set_task_tags", "tag links"),
    ("refresh (", "refresh after commit"),
    ("commit (", "commit (flush + COMMIT)"),
    ("flush (", "flush"),
    ("outbox.py", "outbox rows"),
    ("_emit", "events (build + outbox)"),
    ("opentelemetry", "OpenTelemetry (anywhere)"),
    ("middleware.py", "request middleware"),
    ("list_tasks", "task listing"),
    ("_pool", "connection pool"),
    ("do_ping", "pool pre-ping"),
    # The audit consumer (bench.events --profile-consumer samples wall time, idle included).
    ("poll_once", "consumer poll loop"),
    ("getmany", "fetching / waiting for records (getmany)"),
    ("_apply", "a batch's handlers + its one transaction"),
    ("select (", "waiting in select (idle)"),
)


def _library(frame: str) -> str:
    for needle, name in LIBRARIES:
        if needle in frame:
            return name
    return "other (stdlib, interpreter)"


def summarise(path: str) -> None:
    by_library: Counter[str] = Counter()
    by_step: Counter[str] = Counter()
    total = 0
    with open(path, encoding="utf-8") as raw:
        for line in raw:
            stack, _, count_text = line.rstrip("\n").rpartition(" ")
            if not stack or not count_text.isdigit():
                continue
            count = int(count_text)
            total += count
            frames = stack.split(";")
            by_library[_library(frames[-1])] += count
            for needle, name in STEPS:
                if any(needle in frame for frame in frames):
                    by_step[name] += count
    if not total:
        print(f"no samples in {path}")
        return
    print(f"\n### Where the time goes: {path} ({total:,} samples)\n")
    print("| leaf library | share |\n|---|---|")
    for name, count in by_library.most_common():
        print(f"| {name} | {count / total:.1%} |")
    print("\n| step (inclusive) | share |\n|---|---|")
    for name, count in by_step.most_common():
        print(f"| {name} | {count / total:.1%} |")


if __name__ == "__main__":
    summarise(sys.argv[1])
