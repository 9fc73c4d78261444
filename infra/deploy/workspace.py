"""The directory the CLI works in: project file, stack file and nothing else.

The program runs inline, so the work directory needs no code. When it is not the repo root
(the dev cluster, the tests, CI), it gets Pulumi.yaml (less its `main`) and a stack file merged
from the repo's Pulumi.<stack>.yaml: the repo's values win, while what the CLI wrote there
earlier (the passphrase salt, secrets set by an earlier run) stays. The repo's own files
are never written by such a run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]


def stack_file(directory: Path, stack: str) -> Path:
    return directory / f"Pulumi.{stack}.yaml"


def prepare(work_dir: Path, stack: str) -> None:
    """Makes `work_dir` a project directory for `stack` (no-op for the repo root)."""
    if work_dir.resolve() == ROOT:
        return
    source = stack_file(ROOT, stack)
    if not source.is_file():
        raise FileNotFoundError(f"no stack file {source.name} in {ROOT}")
    work_dir.mkdir(parents=True, exist_ok=True)
    project: dict[str, Any] = yaml.safe_load((ROOT / "Pulumi.yaml").read_text())
    # `main: infra/` names a directory of the repo; the CLI stats it even for an inline
    # program ("project could not be read"), and here the program is this process.
    project.pop("main", None)
    (work_dir / "Pulumi.yaml").write_text(yaml.safe_dump(project, sort_keys=False))
    target = stack_file(work_dir, stack)
    ours: dict[str, Any] = yaml.safe_load(source.read_text()) or {}
    theirs: dict[str, Any] = yaml.safe_load(target.read_text()) or {} if target.is_file() else {}
    merged = {**theirs, **{k: v for k, v in ours.items() if k != "config"}}
    merged["config"] = {**(theirs.get("config") or {}), **(ours.get("config") or {})}
    target.write_text(yaml.safe_dump(merged, sort_keys=True))
