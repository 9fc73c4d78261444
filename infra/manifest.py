"""A Kubernetes object given as a whole manifest, for custom resources.

`k8s.apiextensions.CustomResource` only carries `spec`; Dapr Components also need
top-level `auth` and `scopes`, so this registers the full manifest under the same
`kubernetes:<apiVersion>:<Kind>` token the Kubernetes provider understands.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi


class KubernetesManifest(pulumi.CustomResource):
    """One custom resource whose inputs are the manifest itself (camelCase keys)."""

    def __init__(
        self,
        name: str,
        manifest: Mapping[str, Any],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        api_version = str(manifest["apiVersion"])
        kind = str(manifest["kind"])
        super().__init__(f"kubernetes:{api_version}:{kind}", name, dict(manifest), opts)
