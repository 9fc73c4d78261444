"""Entry point Pulumi runs for `--policy-pack policies`: serve the pack (blocks forever)."""

from __future__ import annotations

from pulumi_policy import PolicyPack

from policies.pack import DEFAULT_ENFORCEMENT_LEVEL, PACK_NAME, POLICIES

PolicyPack(name=PACK_NAME, policies=POLICIES, enforcement_level=DEFAULT_ENFORCEMENT_LEVEL)
