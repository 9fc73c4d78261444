"""Pulumi secret config -> Kubernetes Secrets (and, in cloud, the vault the Dapr store reads)."""

from __future__ import annotations

import base64
from dataclasses import dataclass

import pulumi
import pulumi_azure_native as azure
import pulumi_kubernetes as k8s
import pulumi_oci as oci

APP_SECRET = "taskflow-app"


@dataclass(frozen=True, kw_only=True)
class OciVaultTarget:
    compartment_id: str
    vault_id: str
    key_id: str


@dataclass(frozen=True, kw_only=True)
class AzureVaultTarget:
    resource_group_name: pulumi.Input[str]
    vault_name: str


@dataclass(frozen=True, kw_only=True)
class AppSecretsArgs:
    namespace: str
    # Environment variables for the app containers (DATABASE_URL, JWT_SECRET, ...).
    env: dict[str, pulumi.Input[str]]
    # Values the Dapr components read by secretKeyRef, one secret per name.
    dapr: dict[str, pulumi.Input[str]]
    vault: OciVaultTarget | AzureVaultTarget | None = None


class AppSecrets(pulumi.ComponentResource):
    app_secret_name: str

    def __init__(
        self, name: str, args: AppSecretsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("taskflow:workloads:AppSecrets", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        k8s.core.v1.Secret(
            f"{name}-app",
            metadata={"name": APP_SECRET, "namespace": args.namespace},
            type="Opaque",
            string_data={key: pulumi.Output.secret(value) for key, value in args.env.items()},
            opts=child,
        )
        for key, value in args.dapr.items():
            secret = pulumi.Output.secret(value)
            if isinstance(args.vault, OciVaultTarget):
                oci.vault.Secret(
                    f"{name}-vault-{key}",
                    compartment_id=args.vault.compartment_id,
                    vault_id=args.vault.vault_id,
                    key_id=args.vault.key_id,
                    secret_name=key,
                    secret_content={
                        "content_type": "BASE64",
                        "content": secret.apply(lambda v: base64.b64encode(v.encode()).decode()),
                    },
                    opts=child,
                )
            elif isinstance(args.vault, AzureVaultTarget):
                azure.keyvault.Secret(
                    f"{name}-vault-{key}",
                    resource_group_name=args.vault.resource_group_name,
                    vault_name=args.vault.vault_name,
                    secret_name=key,
                    properties={"value": secret},
                    opts=child,
                )
            else:
                k8s.core.v1.Secret(
                    f"{name}-dapr-{key}",
                    metadata={"name": key, "namespace": args.namespace},
                    type="Opaque",
                    string_data={key: secret},
                    opts=child,
                )
        self.app_secret_name = APP_SECRET
        self.register_outputs({"appSecretName": APP_SECRET})
