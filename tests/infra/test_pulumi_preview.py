"""A real `pulumi preview` (and `pulumi up` rendering YAML) of the minikube stack.

Runs the Pulumi CLI, its Python language host and the Kubernetes provider built from Go
modules by ``scripts/deps/pulumi.sh`` (cached outside the repo), fully offline: a local file
backend in a temp dir, a throw-away passphrase, a kubeconfig whose ``minikube`` context points
at an unreachable address, the policy pack (``policies/``) applied. The CLI runs in a temp
project directory: copies of ``Pulumi.yaml`` and ``Pulumi.minikube.yaml`` (``stack init`` and
``config set`` write the stack file, so the repo's is never touched) beside symlinks to the
program, the stack modules and the uv project (``infra/__main__.py`` resolves the real repo).

Skipped when the binaries are not built: the cold build takes tens of minutes on two cores.
"""

from __future__ import annotations

import datetime
import http.server
import io
import json
import os
import re
import shutil
import socketserver
import ssl
import subprocess
import tarfile
import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from infra import versions

ROOT = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = ROOT / "scripts" / "deps" / "pulumi.sh"
BINARIES = (
    "pulumi",
    "pulumi-language-python",
    "pulumi-language-python-exec",
    "pulumi-resource-kubernetes",
)
STACK = "minikube"
SECRETS = {"jwtSecret": "preview-jwt-secret-0123456789", "postgresPassword": "preview-pg-pass"}
TIMEOUT = 900

pytestmark = pytest.mark.pulumi_cli


def _pinned_version() -> str:
    match = re.search(r'^PULUMI_VERSION="([^"]+)"', BUILD_SCRIPT.read_text(), re.MULTILINE)
    assert match, f"no PULUMI_VERSION in {BUILD_SCRIPT}"
    return match.group(1)


def _bin_dir() -> Path:
    cache = Path(os.environ.get("TASKFLOW_CACHE", Path.home() / ".cache" / "taskflow"))
    return cache / f"pulumi-{_pinned_version()}" / "bin"


def _require_binaries() -> Path:
    """The cached bin directory, or a skip naming what is missing."""
    bin_dir = _bin_dir()
    missing = [name for name in BINARIES if not os.access(bin_dir / name, os.X_OK)]
    if missing:
        if os.environ.get("CI"):
            pytest.skip(
                f"CI: Pulumi binaries not built ({', '.join(missing)} missing in {bin_dir}); "
                "their cold build (scripts/deps/pulumi.sh) is too slow for a CI run"
            )
        pytest.skip(f"Pulumi binaries not built: run `bash {BUILD_SCRIPT.relative_to(ROOT)}`")
    return bin_dir


@dataclass(frozen=True)
class PulumiWorkspace:
    """The CLI wired to a temp backend, home, kubeconfig and stack config file."""

    env: Mapping[str, str]
    project: Path
    tmp: Path

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            ["pulumi", *args, "--non-interactive"],
            cwd=self.project,
            env=dict(self.env),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
        # The whole output stays in the test's temp dir (pytest keeps the last runs' dirs).
        (self.tmp / f"{args[0]}.stdout").write_text(proc.stdout)
        (self.tmp / f"{args[0]}.stderr").write_text(proc.stderr)
        if check and proc.returncode != 0:
            raise AssertionError(
                f"pulumi {' '.join(args)} exited {proc.returncode}\n"
                f"--- stdout ---\n{proc.stdout[-8000:]}\n--- stderr ---\n{proc.stderr[-8000:]}"
            )
        return proc

    def stack_args(self) -> tuple[str, ...]:
        return ("--stack", STACK)


# --- Stand-in Helm chart repositories --------------------------------------------------------
# The provider's Check of every helm.sh/v3:Release downloads the chart's repository index, and
# this machine cannot reach chart repositories. So the provider gets an HTTPS proxy
# (HTTPS_PROXY) that terminates TLS itself, with a throw-away CA it trusts (SSL_CERT_FILE),
# and answers for each pinned repository of infra/versions.py with an index listing that
# chart at its pinned version and a minimal chart (Chart.yaml, no templates). What a preview
# checks of a Release (name, version, repository, namespace, values) is the program's own;
# the chart's contents are never rendered against an unreachable cluster anyway.


def _pinned_charts() -> list[versions.Chart]:
    return [c for c in vars(versions).values() if isinstance(c, versions.Chart)]


def _chart_archive(chart: versions.Chart) -> bytes:
    chart_yaml = yaml.safe_dump(
        {"apiVersion": "v2", "name": chart.name, "version": chart.version, "type": "application"}
    ).encode()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in (("Chart.yaml", chart_yaml), ("values.yaml", b"{}\n")):
            info = tarfile.TarInfo(f"{chart.name}/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _repo_files() -> dict[tuple[str, str], bytes]:
    """(host, path) -> body: each repository's index.yaml and its charts' archives."""
    files: dict[tuple[str, str], bytes] = {}
    indexes: dict[tuple[str, str], dict[str, Any]] = {}
    now = datetime.datetime.now(datetime.UTC).isoformat()
    for chart in _pinned_charts():
        url = urlsplit(chart.repo.rstrip("/"))
        archive = f"{url.path}/{chart.name}-{chart.version}.tgz"
        files[(url.netloc, archive)] = _chart_archive(chart)
        index = indexes.setdefault((url.netloc, url.path), {"apiVersion": "v1", "entries": {}})
        index["entries"].setdefault(chart.name, []).append(
            {
                "apiVersion": "v2",
                "name": chart.name,
                "version": chart.version,
                "created": now,
                "urls": [f"https://{url.netloc}{archive}"],
            }
        )
    for (host, path), index in indexes.items():
        index["generated"] = now
        files[(host, f"{path}/index.yaml")] = yaml.safe_dump(index).encode()
    return files


@dataclass(frozen=True)
class _Authority:
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate
    workdir: Path

    @classmethod
    def create(cls, workdir: Path) -> _Authority:
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "taskflow test chart proxy")])
        now = datetime.datetime.now(datetime.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256())
        )
        (workdir / "ca.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return cls(key, cert, workdir)

    def context_for(self, host: str) -> ssl.SSLContext:
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)]))
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
            .sign(self.key, hashes.SHA256())
        )
        pem = self.workdir / f"{host}.pem"
        pem.write_bytes(
            cert.public_bytes(serialization.Encoding.PEM)
            + key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(pem)
        return ctx


class _ChartProxy(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def __init__(self, authority: _Authority, files: Mapping[tuple[str, str], bytes]) -> None:
        super().__init__(("127.0.0.1", 0), _ChartProxyHandler)
        self.authority = authority
        self.files = files
        self.requests: list[str] = []


class _ChartProxyHandler(http.server.BaseHTTPRequestHandler):
    server: _ChartProxy
    protocol_version = "HTTP/1.1"
    host = ""

    def do_CONNECT(self) -> None:
        self.host = self.path.rsplit(":", 1)[0]
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        tls = self.server.authority.context_for(self.host).wrap_socket(
            self.connection, server_side=True
        )
        self.connection = tls
        self.rfile = tls.makefile("rb")
        self.wfile = tls.makefile("wb")
        self.close_connection = False
        while not self.close_connection:
            self.handle_one_request()

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        self.server.requests.append(f"{self.host}{path}")
        body = self.server.files.get((self.host, path))
        self.send_response(200 if body is not None else 404)
        body = body if body is not None else b"not a stand-in chart\n"
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture(scope="module")
def chart_proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_ChartProxy]:
    workdir = tmp_path_factory.mktemp("chart-proxy")
    server = _ChartProxy(_Authority.create(workdir), _repo_files())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


UNREACHABLE_KUBECONFIG = """\
apiVersion: v1
kind: Config
clusters:
- name: minikube
  cluster: {server: "https://127.0.0.1:9"}
contexts:
- name: minikube
  context: {cluster: minikube, user: minikube, namespace: default}
current-context: minikube
users:
- name: minikube
  user: {token: offline}
"""


@pytest.fixture(scope="module")
def workspace(
    tmp_path_factory: pytest.TempPathFactory, chart_proxy: _ChartProxy
) -> Iterator[PulumiWorkspace]:
    bin_dir = _require_binaries()
    tmp = tmp_path_factory.mktemp("pulumi")
    (tmp / "state").mkdir()
    (tmp / "home").mkdir()
    kubeconfig = tmp / "kubeconfig"
    kubeconfig.write_text(UNREACHABLE_KUBECONFIG)
    project = tmp / "project"
    project.mkdir()
    for name in ("Pulumi.yaml", f"Pulumi.{STACK}.yaml"):
        shutil.copyfile(ROOT / name, project / name)
    for name in ("infra", "stacks", "policies", ".venv", "pyproject.toml", "uv.lock"):
        (project / name).symlink_to(ROOT / name)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PULUMI_")},
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "PULUMI_HOME": str(tmp / "home"),
        "PULUMI_BACKEND_URL": f"file://{tmp / 'state'}",
        "PULUMI_CONFIG_PASSPHRASE": "throw-away-test-passphrase",
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "PULUMI_SKIP_CONFIRMATIONS": "true",
        "KUBECONFIG": str(kubeconfig),
        "NO_COLOR": "1",
        # Helm (inside the provider) reaches the stand-in chart repositories only.
        "HTTPS_PROXY": f"http://127.0.0.1:{chart_proxy.server_address[1]}",
        "NO_PROXY": "127.0.0.1,localhost",
        "SSL_CERT_FILE": str(chart_proxy.authority.workdir / "ca.pem"),
        "HELM_CACHE_HOME": str(tmp / "helm" / "cache"),
        "HELM_CONFIG_HOME": str(tmp / "helm" / "config"),
        "HELM_DATA_HOME": str(tmp / "helm" / "data"),
        # The uv toolchain runs `uv export --locked` and `uv sync`: never download.
        "UV_OFFLINE": "1",
    }
    ws = PulumiWorkspace(env=env, project=project, tmp=tmp)
    ws.run("login", f"file://{tmp / 'state'}")
    ws.run("stack", "init", STACK, "--secrets-provider", "passphrase")
    for key, value in SECRETS.items():
        ws.run("config", "set", "--secret", f"taskflow:{key}", value, *ws.stack_args())
    yield ws


def _steps(preview_json: str) -> list[dict[str, Any]]:
    data = json.loads(preview_json)
    steps: list[dict[str, Any]] = data.get("steps") or []
    return steps


def _type_of(step: Mapping[str, Any]) -> str:
    state = step.get("newState") or step.get("oldState") or {}
    return str(state.get("type") or step["urn"].split("::")[2].split("$")[-1])


def test_cli_reports_the_pinned_version(workspace: PulumiWorkspace) -> None:
    out = workspace.run("version").stdout.strip()
    assert out == f"v{_pinned_version()}"


EXPECTED_CREATES = {
    "pulumi:providers:kubernetes": 1,
    "taskflow:clusters:MinikubeCluster": 1,
    "kubernetes:helm.sh/v3:Release": 8,
    "kubernetes:apps/v1:Deployment": 6,
    "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": 6,
    "kubernetes:policy/v1:PodDisruptionBudget": 6,
    "kubernetes:apps/v1:StatefulSet": 1,
    "kubernetes:networking.k8s.io/v1:Ingress": 1,
    "kubernetes:networking.k8s.io/v1:NetworkPolicy": 5,
    "kubernetes:kafka.strimzi.io/v1beta2:Kafka": 1,
    "kubernetes:kafka.strimzi.io/v1beta2:KafkaNodePool": 1,
    "kubernetes:kafka.strimzi.io/v1beta2:KafkaTopic": 6,
    "kubernetes:dapr.io/v1alpha1:Component": 4,
    "kubernetes:dapr.io/v1alpha1:Configuration": 1,
    "kubernetes:dapr.io/v1alpha1:Resiliency": 1,
    "kubernetes:cert-manager.io/v1:ClusterIssuer": 1,
    "kubernetes:monitoring.coreos.com/v1:PrometheusRule": 1,
    "kubernetes:monitoring.coreos.com/v1:PodMonitor": 1,
}


def test_preview_creates_the_minikube_stack(
    workspace: PulumiWorkspace, chart_proxy: _ChartProxy
) -> None:
    proc = workspace.run("preview", *workspace.stack_args(), "--json")
    steps = _steps(proc.stdout)
    assert {s["op"] for s in steps} == {"create"}
    types = Counter(_type_of(s) for s in steps)
    assert {t: types[t] for t in EXPECTED_CREATES} == EXPECTED_CREATES
    diagnostics = json.loads(proc.stdout).get("diagnostics") or []
    assert not [d for d in diagnostics if d.get("severity") == "error"]
    # The provider's Check fetched every pinned chart's repository index.
    indexes = {r for r in chart_proxy.requests if r.endswith("/index.yaml")}
    repos = {urlsplit(c.repo.rstrip("/")) for c in _pinned_charts()}
    assert indexes >= {f"{u.netloc}{u.path}/index.yaml" for u in repos}


def test_preview_passes_the_policy_pack(workspace: PulumiWorkspace) -> None:
    proc = workspace.run("preview", *workspace.stack_args(), "--policy-pack", "policies")
    out = proc.stdout
    assert "Loading policy packs...: done" in out
    assert re.search(r"✅ taskflow-policies@v[\d.]+ \(local: policies\)", out), out
    assert "❌" not in out and "advisory" not in out.lower()
    assert re.search(r"\+ (\d+) to create", out)
