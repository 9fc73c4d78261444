"""Run the pack's resource rules over rendered Kubernetes YAML, without the Pulumi CLI.

Usage (CI)::

    uv run python -m policies.check_manifests rendered/

where ``rendered/`` is what ``k8s.Provider(render_yaml_to_directory=...)`` wrote (``0-crd/``,
``1-manifest/``), or any directory or files of Kubernetes YAML. Each object becomes the
``kubernetes:<group>/<version>:<Kind>`` type token CrossGuard would see; every rule in
``policies.pack.RULES`` validates it, and every ``STACK_RULES`` policy validates all the objects
together, as CrossGuard does for a stack. Exemptions (``policies/exemptions.yaml``) apply as
under the CLI, matched by ``Kind namespace/name``. Exit status: 0 when no mandatory rule is
violated, 1 when one is, 2 when there is nothing to check or a file is not valid YAML.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pulumi_policy import EnforcementLevel

from policies.exemptions import EXEMPTIONS_FILE, ExemptionError, Exemptions, load_exemptions
from policies.pack import EXEMPTIONS, RULES, STACK_RULES, Rule, StackRule
from policies.props import ReportViolation, as_list

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, kw_only=True)
class ManifestResource:
    """A rendered object shaped like the ``ResourceValidationArgs`` the validators read."""

    resource_type: str
    props: Mapping[str, Any]
    name: str
    source: str


@dataclass(frozen=True, kw_only=True)
class Violation:
    policy: str
    enforcement_level: EnforcementLevel
    source: str
    message: str

    def __str__(self) -> str:
        return f"[{self.enforcement_level.value}] {self.policy}: {self.message} ({self.source})"


def type_token(api_version: str, kind: str) -> str:
    """``apps/v1`` + ``Deployment`` -> ``kubernetes:apps/v1:Deployment`` (``v1`` is ``core/v1``)."""
    group_version = api_version if "/" in api_version else f"core/{api_version}"
    return f"kubernetes:{group_version}:{kind}"


def yaml_files(paths: Sequence[Path]) -> list[Path]:
    """Every YAML file under ``paths`` (directories recursively), in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*")) if p.suffix in YAML_SUFFIXES)
        elif path.is_file():
            found.append(path)
    return found


def _objects(document: object) -> Iterator[Mapping[str, Any]]:
    """The Kubernetes objects in one YAML document, unpacking ``kind: List``."""
    if not isinstance(document, Mapping):
        return
    if document.get("kind") == "List" or (
        str(document.get("kind", "")).endswith("List") and "items" in document
    ):
        for item in as_list(document.get("items")):
            yield from _objects(item)
        return
    if isinstance(document.get("apiVersion"), str) and isinstance(document.get("kind"), str):
        yield document


def load_resources(files: Sequence[Path]) -> list[ManifestResource]:
    """Parse ``files`` into resources; raises ``yaml.YAMLError`` on invalid YAML."""
    resources: list[ManifestResource] = []
    for file in files:
        with file.open(encoding="utf-8") as handle:
            documents = list(yaml.safe_load_all(handle))
        for document in documents:
            for obj in _objects(document):
                metadata = obj.get("metadata")
                name = metadata.get("name") if isinstance(metadata, Mapping) else None
                resources.append(
                    ManifestResource(
                        resource_type=type_token(obj["apiVersion"], obj["kind"]),
                        props=obj,
                        name=str(name or "<unnamed>"),
                        source=str(file),
                    )
                )
    return resources


def check(
    resources: Sequence[ManifestResource],
    rules: Sequence[Rule] = RULES,
    stack_rules: Sequence[StackRule] = STACK_RULES,
    exemptions: Exemptions = EXEMPTIONS,
) -> list[Violation]:
    """Every violation of ``rules`` per resource and of ``stack_rules`` over all of them
    (disabled ones skipped), minus what ``exemptions`` exempts."""
    violations: list[Violation] = []
    for resource in resources:
        for rule in rules:
            if rule.enforcement_level != EnforcementLevel.DISABLED:
                validate = exemptions.resource_validator(rule.name, rule.validator)
                validate(resource, _collector(violations, rule, resource.source))
    stack = _Stack(resources=list(resources))
    for stack_rule in stack_rules:
        if stack_rule.enforcement_level != EnforcementLevel.DISABLED:
            validate_stack = exemptions.stack_validator(stack_rule.name, stack_rule.validator)
            validate_stack(stack, _collector(violations, stack_rule, "stack"))
    return violations


@dataclass(frozen=True, kw_only=True)
class _Stack:
    """What a stack validator reads: every resource."""

    resources: list[ManifestResource]


def _collector(violations: list[Violation], rule: Rule | StackRule, source: str) -> ReportViolation:
    """A ``report_violation`` that appends to ``violations``."""

    def report(message: str, urn: str | None = None) -> None:
        violations.append(
            Violation(
                policy=rule.name,
                enforcement_level=rule.enforcement_level,
                source=source,
                message=message,
            )
        )

    return report


def is_blocking(violation: Violation) -> bool:
    """Mandatory (and remediate, which CrossGuard downgrades to mandatory) violations block."""
    return violation.enforcement_level in (EnforcementLevel.MANDATORY, EnforcementLevel.REMEDIATE)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m policies.check_manifests",
        description="Check rendered Kubernetes YAML against the Taskflow policy pack.",
    )
    parser.add_argument("paths", nargs="+", type=Path, help="YAML files or directories")
    parser.add_argument(
        "--exemptions",
        type=Path,
        default=EXEMPTIONS_FILE,
        help="the pack's exemptions file (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    try:
        exemptions = load_exemptions(args.exemptions)
    except (OSError, ExemptionError, yaml.YAMLError) as error:
        print(f"error: exemptions: {error}", file=sys.stderr)
        return 2
    for expired in exemptions.expired():
        print(
            f"note: exemption of {expired.resource} from {expired.policy} expired {expired.expires}"
        )

    files = yaml_files(args.paths)
    if not files:
        print(f"error: no YAML files under {', '.join(map(str, args.paths))}", file=sys.stderr)
        return 2
    try:
        resources = load_resources(files)
    except yaml.YAMLError as error:
        print(f"error: invalid YAML: {error}", file=sys.stderr)
        return 2
    if not resources:
        print("error: no Kubernetes objects found", file=sys.stderr)
        return 2

    violations = check(resources, exemptions=exemptions)
    for violation in violations:
        print(violation)
    blocking = sum(1 for violation in violations if is_blocking(violation))
    print(
        f"{len(resources)} objects in {len(files)} files: {blocking} mandatory, "
        f"{len(violations) - blocking} advisory violations."
    )
    return 1 if blocking else 0


if __name__ == "__main__":
    sys.exit(main())
