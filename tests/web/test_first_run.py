"""The first five minutes: uv installs on Debian's own Python, and ./scripts/serve says where to go.

These run the real scripts as a new user would, with a throw-away interpreter that refuses
`pip install --user` (PEP 668's EXTERNALLY-MANAGED marker), and a terminal made with a pty.
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.services.kafka import pick_free_ports

ROOT = Path(__file__).resolve().parents[2]
UV_VERSION = next(
    line.split('"')[1]
    for line in (ROOT / "scripts/lib/uv.sh").read_text().splitlines()
    if line.startswith("UV_VERSION=")
)
SYSTEM_PATH = "/usr/bin:/bin"
PIP_CACHE = Path(os.environ.get("PIP_CACHE_DIR", Path.home() / ".cache" / "pip"))


def _externally_managed_python(root: Path, *, with_venv: bool) -> Path:
    """A `python3` on PATH that is this interpreter with a stdlib dir carrying the marker.

    PYTHONHOME points at a directory of links to the real stdlib plus EXTERNALLY-MANAGED, so
    pip sees an externally managed, non-virtual installation (a venv would bypass PEP 668).
    Without ensurepip linked in, `python3 -m venv` fails as on Debian without python3-venv.
    """
    stdlib = Path(sysconfig.get_path("stdlib"))
    home = root / "home"
    lib = home / "lib" / stdlib.name
    lib.mkdir(parents=True)
    for entry in stdlib.iterdir():
        if with_venv or entry.name != "ensurepip":
            (lib / entry.name).symlink_to(entry)
    (lib / "EXTERNALLY-MANAGED").write_text(
        "[externally-managed]\nError=This throw-away interpreter refuses user installs.\n"
    )
    debian_packages = stdlib.parent / "python3"  # Debian's pip lives in lib/python3/dist-packages
    if debian_packages.is_dir():
        (home / "lib" / "python3").symlink_to(debian_packages)
    executable = (
        Path(sys.base_prefix) / "bin" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
    )
    bin_dir = root / "bin"
    bin_dir.mkdir()
    python3 = bin_dir / "python3"
    python3.write_text(f'#!/bin/sh\nPYTHONHOME="{home}" exec "{executable}" "$@"\n')
    python3.chmod(0o755)
    return bin_dir


def _run_uv_sh(bin_dir: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": f"{bin_dir}:{SYSTEM_PATH}",
        "HOME": str(tmp_path / "user"),
        "TASKFLOW_CACHE": str(tmp_path / "cache"),
        "PIP_CACHE_DIR": str(PIP_CACHE),  # the wheel is fetched from PyPI once per machine
        "LANG": "C.UTF-8",
    }
    return subprocess.run(
        ["bash", "-c", "set -euo pipefail; source scripts/lib/uv.sh; uv --version"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.parametrize("with_venv", [True, False], ids=["venv", "no-venv-module"])
def test_uv_sh_installs_uv_when_python_refuses_user_installs(
    tmp_path: Path, with_venv: bool
) -> None:
    assert shutil.which("uv", path=SYSTEM_PATH) is None, "uv must not be on the system PATH here"
    bin_dir = _externally_managed_python(tmp_path / "python", with_venv=with_venv)
    refused = subprocess.run(
        [bin_dir / "python3", "-m", "pip", "install", "--user", "--dry-run", f"uv=={UV_VERSION}"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode != 0
    assert "externally-managed-environment" in refused.stderr

    first = _run_uv_sh(bin_dir, tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip().startswith(f"uv {UV_VERSION}")
    assert (tmp_path / "cache" / f"uv-{UV_VERSION}" / "bin" / "uv").is_file()
    assert not (tmp_path / "user" / ".local").exists()

    again = _run_uv_sh(bin_dir, tmp_path)
    assert again.returncode == 0, again.stderr
    assert "Installing uv" not in again.stderr  # the cached copy is reused


@pytest.fixture
def serve_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"LOG_FORMAT", "VIRTUAL_ENV"}}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'taskflow.db'}"
    return env


def _read_until(fd: int, done: str, deadline: float) -> str:
    """Reads a pty or pipe until `done` appears (or the server exits, or the deadline)."""
    seen = b""
    while done.encode() not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the pty closes when the server exits
            break
        if not chunk:
            break
        seen += chunk
    return seen.decode(errors="replace").replace("\r\n", "\n")


def _stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture
def serve_on_terminal(serve_env: dict[str, str]) -> Iterator[tuple[str, str]]:
    port = pick_free_ports(1)[0]
    main, terminal = pty.openpty()
    process = subprocess.Popen(
        [str(ROOT / "scripts/serve"), "--port", str(port)],
        cwd=ROOT,
        env=serve_env,
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        start_new_session=True,
    )
    os.close(terminal)
    try:
        url = f"http://127.0.0.1:{port}"
        yield url, _read_until(main, f"running at {url}\n", time.monotonic() + 120)
    finally:
        _stop(process)
        os.close(main)


def test_serve_on_a_terminal_says_where_to_open_the_app(
    serve_on_terminal: tuple[str, str],
) -> None:
    url, output = serve_on_terminal
    assert f"\nTaskflow is running at {url}\n" in output
    assert output.count("Taskflow is running at") == 1
    # Logs a person can read: "15:02:11 INFO  uvicorn.error: Application startup complete."
    startup = next(line for line in output.splitlines() if "Application startup complete" in line)
    assert re.match(r"^\d\d:\d\d:\d\d INFO +[\w.]+: Application startup complete", startup)
    assert not any(line.lstrip().startswith("{") for line in output.splitlines())


def test_serve_without_a_terminal_logs_json_only(serve_env: dict[str, str]) -> None:
    port = pick_free_ports(1)[0]
    process = subprocess.Popen(
        [str(ROOT / "scripts/serve"), "--port", str(port)],
        cwd=ROOT,
        env=serve_env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    assert process.stdout is not None
    try:
        output = _read_until(
            process.stdout.fileno(), "Application startup complete", time.monotonic() + 120
        )
    finally:
        _stop(process)
    lines = [line for line in output.splitlines() if line.strip()]
    assert any("Application startup complete" in line for line in lines)
    assert [json.loads(line)["level"] for line in lines]  # every line is a JSON object
    assert "Taskflow is running at" not in output
