"""Stand-in Helm chart repositories for clusters that cannot reach the real ones.

The provider's Check of every helm.sh/v3:Release downloads the chart's repository index,
and this machine (like CI) reaches no chart repository. So the provider gets an HTTPS proxy
(HTTPS_PROXY) that terminates TLS itself, with a throw-away CA it trusts (SSL_CERT_FILE),
and answers for each pinned repository of infra/versions.py with an index listing that
chart at its pinned version and a minimal chart (Chart.yaml, no templates). The Release
objects (name, version, repository, namespace, values) stay the program's own; what the
charts would install is not there, so CRDs come from scripts/deps/crds.sh instead.
"""

from __future__ import annotations

import datetime
import http.server
import io
import socketserver
import ssl
import tarfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from infra import versions


def pinned_charts() -> list[versions.Chart]:
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


def repo_files() -> dict[tuple[str, str], bytes]:
    """(host, path) -> body: each repository's index.yaml and its charts' archives."""
    files: dict[tuple[str, str], bytes] = {}
    indexes: dict[tuple[str, str], dict[str, Any]] = {}
    now = datetime.datetime.now(datetime.UTC).isoformat()
    for chart in pinned_charts():
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


def _certificate(
    subject: x509.Name, issuer: x509.Name, public_key: ec.EllipticCurvePublicKey
) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
    )


@dataclass(frozen=True, kw_only=True)
class Authority:
    """A throw-away CA that signs one certificate per proxied host."""

    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate
    workdir: Path

    @classmethod
    def create(cls, workdir: Path) -> Authority:
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "taskflow stand-in charts")])
        cert = (
            _certificate(name, name, key.public_key())
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256())
        )
        (workdir / "ca.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return cls(key=key, cert=cert, workdir=workdir)

    @property
    def ca_file(self) -> Path:
        return self.workdir / "ca.pem"

    def context_for(self, host: str) -> ssl.SSLContext:
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
        cert = (
            _certificate(subject, self.cert.subject, key.public_key())
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


class ChartProxy(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def __init__(self, authority: Authority, files: Mapping[tuple[str, str], bytes]) -> None:
        super().__init__(("127.0.0.1", 0), _ChartProxyHandler)
        self.authority = authority
        self.files = files
        self.requests: list[str] = []

    def env(self) -> dict[str, str]:
        """What the Pulumi CLI (and so the provider's Helm) needs to use the proxy."""
        helm = self.authority.workdir / "helm"
        return {
            "HTTPS_PROXY": f"http://127.0.0.1:{self.server_address[1]}",
            "NO_PROXY": "127.0.0.1,localhost",
            "SSL_CERT_FILE": str(self.authority.ca_file),
            "HELM_CACHE_HOME": str(helm / "cache"),
            "HELM_CONFIG_HOME": str(helm / "config"),
            "HELM_DATA_HOME": str(helm / "data"),
        }


class _ChartProxyHandler(http.server.BaseHTTPRequestHandler):
    server: ChartProxy
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


@contextmanager
def stand_in_charts(workdir: Path) -> Iterator[ChartProxy]:
    """Serves the pinned charts' stand-ins until the block ends."""
    workdir.mkdir(parents=True, exist_ok=True)
    server = ChartProxy(Authority.create(workdir), repo_files())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
