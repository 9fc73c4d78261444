"""The PR preview's stack selection (scripts/ci/select_stacks.py) as a unit."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.ci.select_stacks import known_stacks, select_stacks
from tests.delivery.helpers import ROOT

STACKS = ["aks", "gke", "minikube", "oke"]


@pytest.mark.parametrize(
    "path",
    [
        "stacks/common.py",
        "stacks/__init__.py",
        "stacks/helpers.py",
        "infra/program.py",
        "infra/workloads/pod.py",
        "app/main.py",
        "docker/Dockerfile",
        "policies/pod_security.py",
        "Pulumi.yaml",
        "pyproject.toml",
        "uv.lock",
    ],
)
def test_shared_code_previews_every_stack(path: str) -> None:
    assert select_stacks([path], STACKS) == STACKS


@pytest.mark.parametrize(
    ("paths", "expected"),
    [
        (["stacks/oke.py"], ["oke"]),
        (["Pulumi.minikube.yaml"], ["minikube"]),
        (["stacks/aks.py", "Pulumi.gke.yaml", "README.md"], ["aks", "gke"]),
        (["Pulumi.retired.yaml"], []),
    ],
)
def test_one_stack_file_previews_that_stack(paths: list[str], expected: list[str]) -> None:
    assert select_stacks(paths, STACKS) == expected


@pytest.mark.parametrize(
    "paths",
    [[], ["README.md"], ["docs/deploy.md", "tests/infra/test_program.py"], [".github/x.yml"], [""]],
)
def test_other_changes_preview_nothing(paths: list[str]) -> None:
    assert select_stacks(paths, STACKS) == []


def test_known_stacks_are_the_stack_files_of_the_repository() -> None:
    assert known_stacks() == sorted(p.name.split(".")[1] for p in ROOT.glob("Pulumi.*.yaml"))
    assert set(known_stacks()) == {"minikube", "oke", "aks", "gke"}


def test_known_stacks_ignore_the_project_file(tmp_path: Path) -> None:
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yml"):
        (tmp_path / name).write_text("{}\n")
    assert known_stacks(tmp_path) == ["dev"]


def test_command_line_prints_json_for_git_diff_output() -> None:
    # The workflow runs it with the runner's python3, outside the project environment.
    result = subprocess.run(
        [sys.executable, "-m", "scripts.ci.select_stacks"],
        input="stacks/common.py\n",
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout) == known_stacks()
