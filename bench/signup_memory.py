"""Peak memory of the API while ten sign-ups hash their passwords at once.

    uv run python -m bench.signup_memory [--parallel 10]

Runs `taskflow serve` (SQLite) as its own process, resets its peak RSS (`/proc/<pid>/clear_refs`),
sends the sign-ups from parallel clients and reads the new peak (`VmHWM`) against the resident
size before them. Argon2 allocates its whole memory cost per hash in flight, so the growth is
about (hashes in flight) x (memory cost).
"""

from __future__ import annotations

import argparse
import tempfile
from functools import partial
from pathlib import Path

from app.core import migrations
from bench.common import free_port, run_parallel, signup, taskflow


def _status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/{pid}/status")


def _sign_up(port: int, prefix: str, i: int) -> None:
    signup(port, f"{prefix}-{i}@example.com")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parallel", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="taskflow-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'taskflow.db'}"
        migrations.upgrade(url)
        port = free_port()
        with taskflow(
            ["serve", "--port", str(port), "--no-migrate"], {"DATABASE_URL": url}, port
        ) as api:
            pid = api.proc.pid
            signup(port, "warm-up@example.com")
            print(f"\n### Memory of {args.parallel} parallel sign-ups\n")
            print("| round | RSS before | peak during | growth | seconds |\n|---|---|---|---|---|")
            for round_ in range(args.rounds):
                Path(f"/proc/{pid}/clear_refs").write_text("5")  # resets VmHWM to the current RSS
                before = _status_kib(pid, "VmRSS")
                sign_up = partial(_sign_up, port, f"user{round_}")
                _, seconds = run_parallel(args.parallel, args.parallel, sign_up)
                peak = _status_kib(pid, "VmHWM")
                print(
                    f"| {round_ + 1} | {before / 1024:.0f} MiB | {peak / 1024:.0f} MiB"
                    f" | {(peak - before) / 1024:.0f} MiB | {seconds:.2f} |"
                )


if __name__ == "__main__":
    main()
