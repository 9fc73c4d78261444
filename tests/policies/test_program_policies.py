"""The real program, run under Pulumi's mocks for every stack, passes the whole pack.

Every resource the program registers (inputs as the provider receives them, camelCase) goes
through the same resource and stack policies CrossGuard runs on `preview` and `up`, with the
repository's exemptions. A rule the program breaks fails here first, before any cluster.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from policies.check_manifests import ManifestResource, check, is_blocking
from tests.infra.harness import run_program

STACKS = ("minikube", "oke", "aks", "gke")


@pytest.fixture(autouse=True)
def event_loop_for_pulumi() -> Iterator[None]:
    """Pulumi's Outputs need a current event loop in this thread."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield
    asyncio.set_event_loop(None)
    loop.close()


def _program_resources(stack: str) -> list[ManifestResource]:
    recorder = run_program(stack)
    return [
        ManifestResource(
            resource_type=registered.type,
            props=registered.manifest,
            name=registered.name,
            source=f"{stack}:{registered.type}::{registered.name}",
        )
        for registered in recorder.resources
    ]


@pytest.mark.parametrize("stack", STACKS)
def test_program_resources_pass_every_mandatory_policy(stack: str) -> None:
    resources = _program_resources(stack)
    kinds = {resource.resource_type for resource in resources}
    assert "kubernetes:apps/v1:Deployment" in kinds and "kubernetes:helm.sh/v3:Release" in kinds
    blocking = [str(v) for v in check(resources) if is_blocking(v)]
    assert blocking == []
