"""Pulumi entry point: read config, let the target's stack module plan, then deploy."""

from __future__ import annotations

import sys
from pathlib import Path

# Pulumi runs this directory as a script; the repo root must be importable for `infra`/`stacks`.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from infra.stack_program import run

run()
