"""A real single-node Apache Kafka broker (KRaft, combined broker+controller) for tests.

The jars come from Maven Central via ``scripts/deps/kafka.sh`` and live in
``${TASKFLOW_CACHE:-~/.cache/taskflow}/kafka-<version>/`` (``lib/*.jar``,
``log4j2.properties``, ``.complete``). The version is the one line of
``scripts/deps/kafka.version``, shared with the script.

Usage::

    with KafkaBroker() as broker:
        producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap_servers)
        ...
        broker.stop()   # outage: process gone, data dir and ports kept
        broker.start()  # same data, same ports

``stop()`` keeps the data directory so a later ``start()`` resumes with the same
topics and messages; ``close()`` (and leaving the ``with`` block) stops the broker
and deletes the data directory.
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import contextlib
import os
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid
import weakref
from pathlib import Path
from types import TracebackType
from typing import Any, Self

REPO_ROOT = Path(__file__).resolve().parents[2]
VERSION_FILE = REPO_ROOT / "scripts" / "deps" / "kafka.version"
KAFKA_VERSION: str = VERSION_FILE.read_text(encoding="utf-8").strip()

DEFAULT_STARTUP_TIMEOUT = 60.0
DEFAULT_STOP_TIMEOUT = 30.0
NODE_ID = 1
# C1-only JIT and the serial GC: a test broker does little work, so the JVM's warm-up cost
# dominates; on 2 busy cores these start it ~30% faster at the same RSS (see
# docs/kafka-broker.md). Pass jvm_options=() for the JVM defaults.
DEFAULT_JVM_OPTIONS: tuple[str, ...] = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")


class KafkaNotInstalledError(RuntimeError):
    """The broker jars are not in the cache: run ``bash scripts/deps/kafka.sh``."""


class KafkaStartError(RuntimeError):
    """The broker process exited or did not become ready in time."""


def cache_root() -> Path:
    """``$TASKFLOW_CACHE`` or ``~/.cache/taskflow`` (same rule as scripts/deps/kafka.sh)."""
    env = os.environ.get("TASKFLOW_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "taskflow"


def kafka_home(version: str = KAFKA_VERSION) -> Path:
    """The cache directory holding ``lib/`` for this Kafka version."""
    return cache_root() / f"kafka-{version}"


def kafka_installed(version: str = KAFKA_VERSION) -> bool:
    """True once scripts/deps/kafka.sh has completed (its marker file is written last)."""
    return (kafka_home(version) / ".complete").is_file()


def find_java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        candidate = Path(java_home) / "bin" / "java"
        if candidate.is_file():
            return str(candidate)
    found = shutil.which("java")
    if found is None:
        raise KafkaNotInstalledError("no `java` on PATH (Kafka 4.x needs Java 17+)")
    return found


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _ephemeral_low() -> int:
    try:
        text = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text(encoding="ascii")
        return int(text.split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def pick_free_ports(count: int) -> list[int]:
    """Free loopback ports *below* the kernel's ephemeral range.

    Ports from the ephemeral range can be handed to an outgoing client socket while the
    broker is stopped, which would make a restart on the same port fail; ports below it
    are only ever taken by an explicit bind.
    """
    low, high = 20000, _ephemeral_low()
    ports: list[int] = []
    if high - low > 1000:
        rng = random.SystemRandom()
        for _ in range(500):
            port = rng.randrange(low, high)
            if port not in ports and _port_free(port):
                ports.append(port)
                if len(ports) == count:
                    return ports
    while len(ports) < count:  # fall back to kernel-assigned ports
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if port not in ports:
            ports.append(port)
    return ports


def random_cluster_id() -> str:
    """Same shape as Kafka's ``Uuid.randomUuid().toString()`` (22-char URL-safe base64)."""
    while True:
        text = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode("ascii").rstrip("=")
        if not text.startswith("-"):
            return text


def _tail(path: Path, lines: int = 40) -> str:
    try:
        content = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join(content[-lines:])


def _port_accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0):
            return True
    except OSError:
        return False


async def _metadata_probe(bootstrap_servers: str) -> bool:
    """True when the broker answers a Metadata request listing itself (i.e. unfenced)."""
    from aiokafka.admin import AIOKafkaAdminClient

    admin: Any = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, request_timeout_ms=5000)
    try:
        await admin.start()
        cluster: dict[str, Any] = await admin.describe_cluster()
        brokers: list[dict[str, Any]] = cluster.get("brokers") or []
        return any(b.get("node_id") == NODE_ID for b in brokers)
    except Exception:
        return False
    finally:
        with contextlib.suppress(Exception):
            await admin.close()


def _run_probe(bootstrap_servers: str) -> bool:
    """Run the async probe on a private event loop in a worker thread.

    Works whether or not the caller already runs an event loop (sync fixtures, async tests).
    """
    result: list[bool] = [False]

    def target() -> None:
        result[0] = asyncio.run(_metadata_probe(bootstrap_servers))

    thread = threading.Thread(target=target, name="kafka-probe", daemon=True)
    thread.start()
    thread.join(timeout=15.0)
    return result[0]


def _kill_group(proc: subprocess.Popen[bytes], timeout: float) -> None:
    """SIGTERM the broker's process group, wait, then SIGKILL."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10.0)


def _finalize(proc_ref: list[subprocess.Popen[bytes] | None], data_dir: Path, owned: bool) -> None:
    proc = proc_ref[0]
    if proc is not None:
        with contextlib.suppress(Exception):
            _kill_group(proc, timeout=5.0)
    if owned:
        shutil.rmtree(data_dir, ignore_errors=True)


class KafkaBroker:
    """One KRaft node (broker + controller) on 127.0.0.1 with a private data dir.

    Ports are chosen once, at construction, and reused by every ``start()``.
    """

    def __init__(
        self,
        *,
        home: Path | None = None,
        data_dir: Path | None = None,
        startup_timeout: float = DEFAULT_STARTUP_TIMEOUT,
        heap: str = "512m",
        extra_properties: dict[str, str] | None = None,
        jvm_options: tuple[str, ...] = DEFAULT_JVM_OPTIONS,
    ) -> None:
        self.home = home if home is not None else kafka_home()
        self.lib_dir = self.home / "lib"
        if not (self.home / ".complete").is_file() or not self.lib_dir.is_dir():
            raise KafkaNotInstalledError(
                f"Kafka {KAFKA_VERSION} jars not found in {self.home}; "
                "run `bash scripts/deps/kafka.sh` first (needs java 17+ and mvn)"
            )
        self.java = find_java()
        self.startup_timeout = startup_timeout
        self.heap = heap
        self.extra_properties = dict(extra_properties or {})
        self.jvm_options = jvm_options
        self._owns_data_dir = data_dir is None
        self.data_dir = (
            Path(tempfile.mkdtemp(prefix="taskflow-kafka-")) if data_dir is None else data_dir
        )
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.port, self.controller_port = pick_free_ports(2)
        self.cluster_id = random_cluster_id()
        self._proc_ref: list[subprocess.Popen[bytes] | None] = [None]
        self._closed = False
        self.last_start_seconds: float | None = None
        # Safety net if the test session dies without close(): kill the JVM, drop the dir.
        self._finalizer = weakref.finalize(
            self, _finalize, self._proc_ref, self.data_dir, self._owns_data_dir
        )
        atexit.register(self._finalizer)

    # -- paths and config -------------------------------------------------

    @property
    def bootstrap_servers(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def properties_file(self) -> Path:
        return self.data_dir / "server.properties"

    @property
    def log_dir(self) -> Path:
        """Broker logs: ``server.log`` (log4j, WARN+) and ``stdout.log`` (JVM output)."""
        return self.data_dir / "logs"

    @property
    def pid(self) -> int | None:
        proc = self._proc_ref[0]
        return proc.pid if proc is not None and proc.poll() is None else None

    @property
    def running(self) -> bool:
        return self.pid is not None

    def properties(self) -> dict[str, str]:
        props = {
            "process.roles": "broker,controller",
            "node.id": str(NODE_ID),
            "controller.quorum.voters": f"{NODE_ID}@127.0.0.1:{self.controller_port}",
            "listeners": (
                f"PLAINTEXT://127.0.0.1:{self.port},CONTROLLER://127.0.0.1:{self.controller_port}"
            ),
            "advertised.listeners": f"PLAINTEXT://127.0.0.1:{self.port}",
            "controller.listener.names": "CONTROLLER",
            "inter.broker.listener.name": "PLAINTEXT",
            "listener.security.protocol.map": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            "log.dirs": str(self.data_dir / "kraft"),
            "num.partitions": "1",
            "default.replication.factor": "1",
            "min.insync.replicas": "1",
            "auto.create.topics.enable": "false",
            "group.initial.rebalance.delay.ms": "0",
            "offsets.topic.replication.factor": "1",
            "offsets.topic.num.partitions": "1",
            "transaction.state.log.replication.factor": "1",
            "transaction.state.log.min.isr": "1",
            "transaction.state.log.num.partitions": "1",
            "share.coordinator.state.topic.replication.factor": "1",
            "share.coordinator.state.topic.min.isr": "1",
            "share.coordinator.state.topic.num.partitions": "1",
            # After a SIGKILL the restarted node must wait for its old broker session to
            # expire before it may register again (DUPLICATE_BROKER_REGISTRATION); the
            # default 9 s session makes a crash-restart take ~12 s.
            "broker.heartbeat.interval.ms": "500",
            "broker.session.timeout.ms": "4000",
        }
        props.update(self.extra_properties)
        return props

    def _write_properties(self) -> None:
        text = "".join(f"{key}={value}\n" for key, value in self.properties().items())
        self.properties_file.write_text(text, encoding="utf-8")

    def _java_cmd(self, main_class: str, *args: str, jvm: tuple[str, ...] = ()) -> list[str]:
        return [
            self.java,
            *jvm,
            "-XX:+ExitOnOutOfMemoryError",
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={self.home / 'log4j2.properties'}",
            f"-Dkafka.logs.dir={self.log_dir}",
            "-cp",
            f"{self.lib_dir}/*",
            main_class,
            *args,
        ]

    def _format_storage(self) -> None:
        if (self.data_dir / "kraft" / "meta.properties").is_file():
            return
        result = subprocess.run(
            self._java_cmd(
                "kafka.tools.StorageTool",
                "format",
                "-t",
                self.cluster_id,
                "-c",
                str(self.properties_file),
                "--ignore-formatted",
                # short-lived tool: small heap, C1 only -> starts faster
                jvm=("-Xmx256m", "-XX:TieredStopAtLevel=1"),
            ),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if result.returncode != 0:
            raise KafkaStartError(
                f"kafka StorageTool format failed ({result.returncode}):\n"
                f"{result.stdout}\n{result.stderr}"
            )

    # -- lifecycle --------------------------------------------------------

    def start(self) -> None:
        """Start (or restart) the broker and block until it serves metadata.

        Idempotent while running. Raises ``KafkaStartError`` with the log tail on failure.
        """
        if self._closed:
            raise RuntimeError("KafkaBroker is closed")
        if self.running:
            return
        began = time.monotonic()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for port in (self.port, self.controller_port):
            if not self._wait_port_free(port, timeout=10.0):
                raise KafkaStartError(f"port {port} is taken; cannot (re)start the broker on it")
        self._write_properties()
        self._format_storage()
        stdout_log = self.log_dir / "stdout.log"
        with stdout_log.open("ab") as out:
            proc = subprocess.Popen(
                self._java_cmd(
                    "kafka.Kafka",
                    str(self.properties_file),
                    jvm=(f"-Xmx{self.heap}", *self.jvm_options),
                ),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=self.data_dir,
                start_new_session=True,  # own process group: stop() signals the whole group
            )
        self._proc_ref[0] = proc
        try:
            self._wait_ready(proc, began + self.startup_timeout)
        except BaseException:
            _kill_group(proc, timeout=5.0)
            self._proc_ref[0] = None
            raise
        self.last_start_seconds = time.monotonic() - began

    async def astart(self) -> None:
        """``start()`` without blocking the running event loop."""
        await asyncio.to_thread(self.start)

    def _wait_port_free(self, port: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            if _port_free(port):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.2)

    def _wait_ready(self, proc: subprocess.Popen[bytes], deadline: float) -> None:
        while True:
            code = proc.poll()
            if code is not None:
                raise KafkaStartError(
                    f"kafka broker exited with {code} during startup\n"
                    f"--- {self.log_dir / 'stdout.log'}\n{_tail(self.log_dir / 'stdout.log')}\n"
                    f"--- {self.log_dir / 'server.log'}\n{_tail(self.log_dir / 'server.log')}"
                )
            if _port_accepts(self.port) and _run_probe(self.bootstrap_servers):
                return
            if time.monotonic() >= deadline:
                raise KafkaStartError(
                    f"kafka broker not ready after {self.startup_timeout:.0f}s on "
                    f"{self.bootstrap_servers}\n"
                    f"--- {self.log_dir / 'server.log'}\n{_tail(self.log_dir / 'server.log')}"
                )
            time.sleep(0.25)

    def stop(self, *, graceful: bool = True, timeout: float = DEFAULT_STOP_TIMEOUT) -> None:
        """Stop the broker process, keeping data dir and ports for a later ``start()``.

        ``graceful=True``: SIGTERM (clean shutdown), SIGKILL after ``timeout``.
        ``graceful=False``: SIGKILL at once (a crash).
        """
        proc = self._proc_ref[0]
        if proc is None:
            return
        if graceful:
            _kill_group(proc, timeout=timeout)
        elif proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10.0)
        self._proc_ref[0] = None

    async def astop(self, *, graceful: bool = True) -> None:
        """``stop()`` without blocking the running event loop."""
        await asyncio.to_thread(self.stop, graceful=graceful)

    def restart(self) -> None:
        self.stop()
        self.start()

    def close(self) -> None:
        """Stop the broker and delete the data dir (if this object created it)."""
        if self._closed:
            return
        self.stop()
        self._closed = True
        self._finalizer()
        atexit.unregister(self._finalizer)

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

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"KafkaBroker({self.bootstrap_servers}, {state}, data_dir={self.data_dir})"
