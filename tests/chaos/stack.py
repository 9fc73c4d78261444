"""The whole platform as separate real processes, for fault injection.

PostgreSQL and a KRaft Kafka broker (the fixtures of tests/services), the API as
`taskflow serve` and each consumer as `taskflow consume <name>`, each process in its own
process group with its own log file, so a test can SIGKILL, SIGSTOP or restart any of them
and read what each one logged.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.services.kafka import KafkaBroker, pick_free_ports
from tests.services.postgres import PostgresServer

# The console script installed beside the interpreter running the tests (uv's venv).
TASKFLOW = str(Path(sys.executable).with_name("taskflow"))
CONSUMERS = ("recurring", "reminders", "audit", "realtime")
JWT_SECRET = "chaos-secret-that-is-long-enough-for-hs256-0123456789"


class ServiceStartError(RuntimeError):
    """A taskflow process exited or did not answer its health probe in time."""


@dataclass(kw_only=True)
class Service:
    """One `taskflow ...` process; its output (JSON logs) is appended to `log_path`."""

    name: str
    argv: list[str]
    env: dict[str, str]
    port: int
    log_path: Path
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self, *, within: float = 180.0) -> None:
        if self.alive:
            return
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                self.argv,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=self.log_path.parent,  # no stray .env from the checkout
                start_new_session=True,
            )
        deadline = time.monotonic() + within
        while True:
            if not self.alive:
                raise ServiceStartError(f"{self.name} exited:\n{self.log_tail()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            if time.monotonic() > deadline:
                raise ServiceStartError(f"{self.name} not healthy in {within}s:\n{self.log_tail()}")
            time.sleep(0.1)

    def _signal(self, sig: signal.Signals) -> None:
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)

    def kill(self) -> None:
        """A crash: SIGKILL, no shutdown hooks, no offset commits."""
        self._signal(signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        self._signal(signal.SIGCONT)
        self._signal(signal.SIGTERM)
        if self.proc is not None:
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def pause(self) -> None:
        self._signal(signal.SIGSTOP)

    def resume(self) -> None:
        self._signal(signal.SIGCONT)

    def health(self) -> int | None:
        """The status of GET /healthz, or None when nothing answers."""
        try:
            return httpx.get(f"{self.url}/healthz", timeout=2).status_code
        except httpx.HTTPError:
            return None

    def metrics(self) -> str:
        return httpx.get(f"{self.url}/metrics", timeout=5).text

    def log_lines(self) -> list[str]:
        return self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()

    def log_tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_lines()[-lines:])
        return ""


class Stack:
    """PostgreSQL + Kafka + API + the four consumers, each restartable on its own."""

    def __init__(self, *, partitions: int = 3, extra_env: dict[str, str] | None = None) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="taskflow-chaos-"))
        self.postgres = PostgresServer()
        # Below the ephemeral range, so a restart finds its port free (see pick_free_ports).
        self.postgres.port = pick_free_ports(1)[0]
        self.broker = KafkaBroker()
        self.partitions = partitions
        self.extra_env = extra_env or {}
        self.database_url = ""
        self.api: Service | None = None
        self.consumers: dict[str, Service] = {}

    def env(self, **extra: str) -> dict[str, str]:
        inherited = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DATABASE_", "KAFKA_", "EVENT_", "USE_DAPR", "DAPR_"))
        }
        return {
            **inherited,
            "ENVIRONMENT": "local",
            "DATABASE_URL": self.database_url,
            "EVENT_TRANSPORT": "kafka",
            "KAFKA_BOOTSTRAP_SERVERS": self.broker.bootstrap_servers,
            "KAFKA_TOPIC_PARTITIONS": str(self.partitions),
            "JWT_SECRET": JWT_SECRET,
            "OUTBOX_POLL_SECONDS": "0.2",
            "LOG_LEVEL": "INFO",
            **self.extra_env,
            **extra,
        }

    def _service(self, name: str, argv: list[str], **env: str) -> Service:
        port = pick_free_ports(1)[0]
        return Service(
            name=name,
            argv=argv,
            env=self.env(PORT=str(port), **env),
            port=port,
            log_path=self.root / f"{name}.log",
        )

    def start(self) -> None:
        self.postgres.start()
        self.database_url = self.postgres.create_database("taskflow_chaos")
        self.broker.start()
        api = self._service("api", [TASKFLOW, "serve"])
        api.argv += ["--port", str(api.port)]
        self.api = api
        api.start()  # migrates the schema first
        for name in CONSUMERS:
            self.add_consumer(name)

    def add_consumer(self, name: str, *, replica: int = 0) -> Service:
        key = name if replica == 0 else f"{name}-{replica}"
        service = self._service(key, [TASKFLOW, "consume", name])
        service.argv += ["--port", str(service.port)]
        self.consumers[key] = service
        service.start()
        return service

    @property
    def services(self) -> list[Service]:
        return [s for s in (self.api, *self.consumers.values()) if s is not None]

    def heal(self) -> None:
        """Brings back whatever a previous test left down, so faults do not cascade."""
        if not self.broker.running:
            self.broker.start()
        with contextlib.suppress(Exception):
            self.postgres.start()
        for service in self.services:
            service.resume()
            service.start()

    def restart_consumers(self) -> None:
        self.heal()
        for service in self.consumers.values():
            service.stop()
            service.start()

    def close(self) -> None:
        for service in self.services:
            with contextlib.suppress(Exception):
                service.stop()
        with contextlib.suppress(Exception):
            self.broker.close()
        with contextlib.suppress(Exception):
            self.postgres.close()
