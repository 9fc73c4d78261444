"""Runs the Pulumi program under the SDK's mocks and records what it registers."""

from __future__ import annotations

import base64
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import yaml
from pulumi.runtime import rpc
from pulumi.runtime.config import set_all_config

ROOT = Path(__file__).resolve().parents[2]
PROJECT = "taskflow"
SECRET_KEYS = (
    "jwtSecret",
    "databaseUrl",
    "postgresPassword",
    "openaiApiKey",
    "redpandaUsername",
    "redpandaPassword",
    "redisPassword",
)
FAKE_SECRETS = {
    "jwtSecret": "test-jwt-secret-value",
    "databaseUrl": "postgresql+psycopg://taskflow:db-pass-value@db.example.com:5432/taskflow",
    "postgresPassword": "pg-pass-value",
    "openaiApiKey": "sk-test-openai-value",
}
FAKE_KUBECONFIG = "apiVersion: v1\nkind: Config\nclusters: []\n"


@dataclass(kw_only=True)
class Registered:
    type: str
    name: str
    inputs: dict[str, Any]
    secret_props: set[str]
    provider: str | None

    @property
    def manifest(self) -> dict[str, Any]:
        """The Kubernetes object as the provider would send it (mock floats back to ints)."""
        manifest: dict[str, Any] = _ints(self.inputs)
        return manifest


@dataclass(kw_only=True)
class Recorder(pulumi.runtime.Mocks):
    resources: list[Registered] = field(default_factory=list)

    def new_resource(
        self, args: pulumi.runtime.MockResourceArgs
    ) -> tuple[str | None, dict[str, Any]]:
        plain: dict[str, Any] = {}
        secret: set[str] = set()
        for key, value in args.inputs.items():
            if rpc.is_rpc_secret(value):
                secret.add(key)
                value = rpc.unwrap_rpc_secret(value)
            plain[key] = value
        self.resources.append(
            Registered(
                type=args.typ,
                name=args.name,
                inputs=plain,
                secret_props=secret,
                provider=args.provider,
            )
        )
        state = dict(args.inputs)
        state.setdefault("name", args.name)
        if args.typ == "gcp:container/cluster:Cluster":
            state.update(endpoint="203.0.113.10", masterAuth={"clusterCaCertificate": "Q0E="})
        return f"{args.name}-id", state

    def call(
        self, args: pulumi.runtime.MockCallArgs
    ) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        if args.token.startswith("oci:ContainerEngine/getClusterKubeConfig"):
            return {"content": FAKE_KUBECONFIG, "id": "kubeconfig"}, []
        if args.token.startswith("azure-native:containerservice:listManagedClusterUserCredentials"):
            value = base64.b64encode(FAKE_KUBECONFIG.encode()).decode()
            return {"kubeconfigs": [{"name": "clusterUser", "value": value}]}, []
        return {}, []

    def of_type(self, type_: str) -> list[Registered]:
        return [r for r in self.resources if r.type == type_]

    def named(self, type_: str, name: str) -> Registered:
        for r in self.of_type(type_):
            if r.name == name:
                return r
        raise AssertionError(
            f"no {type_} named {name}; have {[r.name for r in self.of_type(type_)]}"
        )

    def kubernetes(self) -> Iterator[Registered]:
        return (
            r for r in self.resources if r.type.startswith("kubernetes:") and "helm" not in r.type
        )


def _ints(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _ints(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_ints(v) for v in value]
    return value


def stack_config(stack: str) -> dict[str, str]:
    """Pulumi.yaml defaults overlaid with Pulumi.<stack>.yaml, as `pulumi up` would see them."""
    project = yaml.safe_load((ROOT / "Pulumi.yaml").read_text())
    values: dict[str, str] = {}
    for key, spec in project["config"].items():
        if "default" in spec:
            values[f"{PROJECT}:{key}"] = _text(spec["default"])
    stack_file = yaml.safe_load((ROOT / f"Pulumi.{stack}.yaml").read_text())
    for key, value in stack_file["config"].items():
        values[key] = _text(value)
    return values


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def apply_config(values: Mapping[str, str]) -> None:
    secret = [f"{PROJECT}:{key}" for key in SECRET_KEYS]
    set_all_config(dict(values), secret)


def run_program(stack: str, overrides: Mapping[str, str] | None = None) -> Recorder:
    """Deploys the whole program for `stack` under mocks and returns what was registered."""
    from infra.config import load_config
    from infra.program import deploy
    from stacks import plan_for

    values = stack_config(stack)
    values.update({f"{PROJECT}:{k}": v for k, v in FAKE_SECRETS.items()})
    values.update({f"{PROJECT}:{k}": v for k, v in (overrides or {}).items()})
    apply_config(values)
    recorder = Recorder()
    pulumi.runtime.set_mocks(recorder, project=PROJECT, stack=stack, preview=False)

    @pulumi.runtime.test  # type: ignore[untyped-decorator]
    def program() -> None:
        deploy(plan_for(load_config()))

    program()
    return recorder
