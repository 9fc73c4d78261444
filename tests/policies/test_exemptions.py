"""Exemptions come from the pack's configuration, per policy and resource, and expire."""

from __future__ import annotations

import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from policies import exemptions as ex
from policies import k8s_rules
from policies.pack import POLICIES, policies
from tests.policies.policy_factories import DEPLOYMENT, Report, deployment, good_container, resource

TODAY = datetime.date(2026, 11, 29)
ROOT_USER = deployment(good_container(securityContext={}))


def entry(**overrides: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "policy": "containers-run-as-non-root",
        "resource": "Deployment taskflow/taskflow-api",
        "reason": "upstream image needs root until 2.0",
        "expires": "2026-12-31",
    }
    raw.update(overrides)
    return raw


def exemptions(*raws: dict[str, Any], today: datetime.date = TODAY) -> ex.Exemptions:
    return ex.Exemptions(
        entries=ex.parse_exemptions({"exemptions": list(raws)}), clock=lambda: today
    )


def run_non_root(listed: ex.Exemptions, args: SimpleNamespace) -> list[str]:
    report = Report()
    validate = listed.resource_validator(
        "containers-run-as-non-root", k8s_rules.containers_run_as_non_root_validator
    )
    validate(args, report)
    return report.messages


@pytest.mark.parametrize(
    "name",
    ["Deployment taskflow/taskflow-api", "urn:pulumi:oke::taskflow::k8s::api", "api"],
)
def test_exemption_matches_by_kubernetes_identity_urn_or_pulumi_name(name: str) -> None:
    args = resource(DEPLOYMENT, ROOT_USER, name="api")
    args.urn = "urn:pulumi:oke::taskflow::k8s::api"
    assert run_non_root(exemptions(entry(resource=name)), args) == []


def test_exemption_applies_to_its_policy_only() -> None:
    listed = exemptions(entry(policy="no-latest-image-tags"))
    assert len(run_non_root(listed, resource(DEPLOYMENT, ROOT_USER))) == 1


def test_exemption_applies_on_its_expiry_day_and_stops_the_day_after() -> None:
    on_the_day = exemptions(entry(expires="2026-11-29"))
    assert run_non_root(on_the_day, resource(DEPLOYMENT, ROOT_USER)) == []
    expired = exemptions(entry(expires="2026-11-28"))
    assert len(run_non_root(expired, resource(DEPLOYMENT, ROOT_USER))) == 1
    assert [e.resource for e in expired.expired()] == ["Deployment taskflow/taskflow-api"]


def test_annotation_on_the_object_grants_nothing() -> None:
    props = deployment(
        good_container(securityContext={}),
        annotations={"taskflow.dev/policy-exempt": "containers-run-as-non-root"},
    )
    assert len(run_non_root(exemptions(), resource(DEPLOYMENT, props))) == 1


def test_stack_validator_sees_stack_without_exempt_resources() -> None:
    seen: list[list[str]] = []

    def validator(args: Any, report: Any) -> None:
        seen.append([r.name for r in args.resources])

    listed = exemptions(entry(policy="pdb-for-replicated-deployments", resource="api"))
    stack = SimpleNamespace(
        resources=[resource(DEPLOYMENT, {}, "api"), resource(DEPLOYMENT, {}, "web")]
    )
    listed.stack_validator("pdb-for-replicated-deployments", validator)(stack, Report())
    assert seen == [["web"]]


def test_pack_policies_apply_the_exemptions_through_sdk_objects() -> None:
    listed = exemptions(
        entry(), today=datetime.datetime.now(datetime.UTC).date() - datetime.timedelta(days=1)
    )
    policy: Any = next(p for p in policies(listed) if p.name == "containers-run-as-non-root")
    report = Report()
    policy.validate(resource(DEPLOYMENT, ROOT_USER), report)
    assert report.messages == []
    default: Any = next(p for p in POLICIES if p.name == "containers-run-as-non-root")
    default.validate(resource(DEPLOYMENT, ROOT_USER), report)
    assert len(report.messages) == 1


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ({"exemptions": [entry(reason="")]}, "'reason' must be a non-empty string"),
        ({"exemptions": [entry(expires="someday")]}, "'expires' must be a date"),
        (
            {"exemptions": [{k: v for k, v in entry().items() if k != "expires"}]},
            "exactly the fields",
        ),
        ({"exemptions": [entry(extra="x")]}, "exactly the fields"),
        ({"exemptions": "all"}, "must be a list"),
        ({"exempt": []}, "one key"),
    ],
)
def test_malformed_exemptions_are_refused(document: object, problem: str) -> None:
    with pytest.raises(ex.ExemptionError, match=problem):
        ex.parse_exemptions(document)


def test_yaml_dates_are_read_as_dates(tmp_path: Path) -> None:
    path = tmp_path / "exemptions.yaml"
    path.write_text(yaml.safe_dump({"exemptions": [entry(expires=datetime.date(2027, 1, 2))]}))
    (loaded,) = ex.load_exemptions(path).entries
    assert loaded.expires == datetime.date(2027, 1, 2)


def test_repository_exemptions_name_real_policies_and_expire_within_a_year() -> None:
    listed = ex.load_exemptions()
    names = {p.name for p in POLICIES}
    today = datetime.datetime.now(datetime.UTC).date()
    for item in listed.entries:
        assert item.policy in names, item
        assert today <= item.expires <= today + datetime.timedelta(days=366), (
            f"{item.policy} for {item.resource}: expired or granted for more than a year"
        )
