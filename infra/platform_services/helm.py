"""One way to install a pinned Helm chart."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from infra.versions import Chart


def helm_release(
    name: str,
    chart: Chart,
    *,
    namespace: str,
    values: dict[str, Any],
    parent: pulumi.Resource,
    depends_on: list[pulumi.Resource] | None = None,
) -> k8s.helm.v3.Release:
    """A Helm release of `chart` at its pinned version and repo; waits until it is ready."""
    return k8s.helm.v3.Release(
        name,
        name=name,
        chart=chart.name,
        version=chart.version,
        repository_opts={"repo": chart.repo},
        namespace=namespace,
        create_namespace=True,
        values=values,
        atomic=True,
        timeout=900,
        opts=pulumi.ResourceOptions(parent=parent, depends_on=depends_on or []),
    )
