"""The real Dapr sidecar (daprd, built from its Go module by scripts/deps/daprd.sh) in
self-hosted mode, for the tests.

Every port (HTTP, gRPC, internal gRPC, metrics) is a random loopback port; the resources
path is a temp dir holding YAML rendered from infra/dapr/components.py, the same dicts the
Pulumi program deploys.

Usage::

    with DaprSidecar("taskflow-api", [pubsub, statestore], app_port=app.port) as sidecar:
        sidecar.wait_ready()
        httpx.post(f"{sidecar.url}/v1.0/publish/pubsub/task-events", ...)
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import httpx
import yaml

from tests.services.kafka import cache_root, pick_free_ports

REPO_ROOT = Path(__file__).resolve().parents[2]
DAPR_VERSION: str = (REPO_ROOT / "scripts" / "deps" / "daprd.version").read_text().strip()

Manifest = dict[str, Any]


class DaprNotInstalledError(RuntimeError):
    """daprd is not in the cache: run ``bash scripts/deps/daprd.sh``."""


class DaprStartError(RuntimeError):
    """daprd exited or did not become healthy in time."""


def daprd_path(version: str = DAPR_VERSION) -> Path:
    """Where scripts/deps/daprd.sh leaves the binary (it writes it last)."""
    return cache_root() / f"daprd-{version}" / "daprd"


def write_resources(directory: Path, manifests: Iterable[Manifest]) -> list[Path]:
    """One YAML file per manifest, named <kind>-<name>.yaml."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for manifest in manifests:
        path = directory / f"{manifest['kind'].lower()}-{manifest['metadata']['name']}.yaml"
        path.write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
        written.append(path)
    return written


class DaprSidecar:
    """One daprd process beside one app (or none: a sidecar used only to call Dapr)."""

    def __init__(
        self,
        app_id: str,
        resources: Iterable[Manifest],
        *,
        app_port: int | None = None,
        env: dict[str, str] | None = None,
        log_level: str = "info",
    ) -> None:
        binary = daprd_path()
        if not binary.is_file():
            raise DaprNotInstalledError(f"{binary} is missing; run scripts/deps/daprd.sh")
        self.binary = binary
        self.app_id = app_id
        self.app_port = app_port
        self.http_port, self.grpc_port, self.internal_grpc_port, self.metrics_port = (
            pick_free_ports(4)
        )
        self.root = Path(tempfile.mkdtemp(prefix=f"taskflow-dapr-{app_id}-"))
        self.resources_path = self.root / "resources"
        write_resources(self.resources_path, resources)
        self.log_path = self.root / "daprd.log"
        self._env = env or {}
        self._log_level = log_level
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def command(self) -> list[str]:
        cmd = [
            str(self.binary),
            "--mode",
            "standalone",
            "--app-id",
            self.app_id,
            "--dapr-http-port",
            str(self.http_port),
            "--dapr-grpc-port",
            str(self.grpc_port),
            "--dapr-internal-grpc-port",
            str(self.internal_grpc_port),
            "--dapr-internal-grpc-listen-address",
            "127.0.0.1",
            "--metrics-port",
            str(self.metrics_port),
            "--dapr-listen-addresses",
            "127.0.0.1",
            "--resources-path",
            str(self.resources_path),
            "--log-level",
            self._log_level,
            "--dapr-graceful-shutdown-seconds",
            "1",
        ]
        if self.app_port is not None:
            cmd += [
                "--app-port",
                str(self.app_port),
                "--app-protocol",
                "http",
                "--app-channel-address",
                "127.0.0.1",
            ]
        return cmd

    def start(self, *, within: float = 60.0) -> None:
        """Starts daprd and waits for its outbound health (components loaded): the app may
        call the sidecar from then on. wait_ready() waits for the app side as well."""
        env = {**os.environ, "DAPR_HOST_IP": "127.0.0.1", **self._env}
        with self.log_path.open("ab") as log:
            self._proc = subprocess.Popen(
                self.command(),
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=self.root,
                start_new_session=True,
            )
        self._wait("/v1.0/healthz/outbound", within)

    def wait_ready(self, *, within: float = 60.0) -> None:
        """/v1.0/healthz: the app channel is up and subscriptions are in place."""
        self._wait("/v1.0/healthz", within)

    def _wait(self, path: str, within: float) -> None:
        deadline = time.monotonic() + within
        while True:
            if self._proc is None or self._proc.poll() is not None:
                raise DaprStartError(f"daprd {self.app_id} exited:\n{self.log_tail()}")
            try:
                if httpx.get(f"{self.url}{path}", timeout=1).status_code == 204:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise DaprStartError(
                    f"daprd {self.app_id}: {path} not healthy after {within}s:\n{self.log_tail()}"
                )
            time.sleep(0.1)

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self, *, timeout: float = 10.0) -> None:
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)

    def close(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
