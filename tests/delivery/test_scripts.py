"""Shell scripts: shellcheck clean; the tool installers are idempotent and cache by version."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.delivery.helpers import DEPS, ROOT


def _shell_scripts() -> list[Path]:
    """scripts/**/*.sh plus extensionless scripts with a shell shebang (scripts/test)."""
    found: list[Path] = []
    for path in sorted((ROOT / "scripts").rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".sh":
            found.append(path)
        elif not path.suffix:
            with path.open("rb") as handle:
                first = handle.readline()
            if first.startswith(b"#!") and first.rstrip().endswith((b"bash", b"/sh")):
                found.append(path)
    return found


SCRIPTS = _shell_scripts()
INSTALLERS = [
    ("actionlint.sh", "actionlint", "ACTIONLINT_VERSION"),
    ("promtool.sh", "promtool", "PROMTOOL_VERSION"),
]


def test_shell_scripts_found_when_listed() -> None:
    names = {path.name for path in SCRIPTS}
    assert {"actionlint.sh", "promtool.sh"} <= names


def test_shellcheck_passes_on_every_script() -> None:
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        pytest.skip("shellcheck not installed (scripts/deps/actionlint.sh installs it via apt)")
    result = subprocess.run(
        [shellcheck, "--severity=warning", *map(str, SCRIPTS)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("script", "tool", "variable"), INSTALLERS)
def test_installer_exits_at_once_when_cached(
    tmp_path: Path, script: str, tool: str, variable: str
) -> None:
    if script == "actionlint.sh" and not Path("/usr/bin/shellcheck").exists():
        pytest.skip("actionlint.sh would apt-get install shellcheck first")
    cached = tmp_path / f"{tool}-9.9.9" / tool
    cached.parent.mkdir()
    cached.write_text("#!/bin/sh\nexit 0\n")
    cached.chmod(0o755)
    # No Go toolchain on PATH: a cache hit must neither build nor download.
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "TASKFLOW_CACHE": str(tmp_path)}
    started = time.monotonic()
    result = subprocess.run(
        ["bash", str(DEPS / script)],
        env={**env, variable: "9.9.9"},
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(cached)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(("script", "tool", "variable"), INSTALLERS)
def test_installer_caches_under_versioned_dir_when_documented(
    script: str, tool: str, variable: str
) -> None:
    text = (DEPS / script).read_text(encoding="utf-8")
    assert "${TASKFLOW_CACHE:-$HOME/.cache/taskflow}" in text
    assert f"{tool}-${{{variable}}}" in text
    assert text.startswith("#!/usr/bin/env bash") and "set -euo pipefail" in text
