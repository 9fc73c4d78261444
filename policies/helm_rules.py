"""Helm releases: only charts the project has reviewed, each at one exact version.

A ``kubernetes:helm.sh/v3:Release`` is one opaque resource to CrossGuard: the chart's objects
are installed by Helm inside the provider and never pass through the pack. So the pack checks
what it can see: the chart comes from a repository and name listed in
``policies/trusted-charts.yaml`` (with the reason it is trusted and what it needs beyond the
pod rules; docs/adr/0801) and its version is pinned exactly, so a new chart release is a
reviewed change, not something ``helm`` picks on the next ``up``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from policies.props import ReportViolation, ResourceArgs, as_mapping, get_path

TRUSTED_HELM_CHARTS = "trusted-helm-charts"
TRUSTED_CHARTS_FILE = Path(__file__).with_name("trusted-charts.yaml")
HELM_RELEASE_TYPES = frozenset({"kubernetes:helm.sh/v3:Release"})
# An exact version: 1.2.3 or v1.2.3, optionally with a pre-release/build suffix; no ranges.
EXACT_VERSION = re.compile(r"^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$")


@dataclass(frozen=True, kw_only=True)
class TrustedChart:
    repo: str
    name: str
    reason: str
    privileges: str


def _normalise_repo(repo: str) -> str:
    return repo.strip().rstrip("/")


def load_trusted_charts(path: Path = TRUSTED_CHARTS_FILE) -> tuple[TrustedChart, ...]:
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    charts: list[TrustedChart] = []
    for index, raw in enumerate(document.get("charts") or []):
        entry = as_mapping(raw)
        fields = {key: entry.get(key) for key in ("repo", "name", "reason", "privileges")}
        empty = [key for key, value in fields.items() if not isinstance(value, str) or not value]
        if empty:
            raise ValueError(f"{path.name}: charts[{index}] needs {', '.join(empty)}")
        charts.append(
            TrustedChart(
                repo=_normalise_repo(str(fields["repo"])),
                name=str(fields["name"]),
                reason=str(fields["reason"]),
                privileges=str(fields["privileges"]),
            )
        )
    return tuple(charts)


def chart_source(props: object) -> tuple[str, str]:
    """(repository, chart name) of a Release: ``repositoryOpts.repo`` + ``chart``, or an
    ``oci://registry/path/chart`` reference split at its last slash."""
    chart = str(as_mapping(props).get("chart") or "")
    repo = get_path(props, "repositoryOpts", "repo")
    if isinstance(repo, str) and repo:
        return _normalise_repo(repo), chart
    if chart.startswith("oci://"):
        registry, _, name = chart.rpartition("/")
        return registry, name
    return "", chart


def release_problems(props: object, trusted: tuple[TrustedChart, ...]) -> list[str]:
    """Why a Release's chart is not acceptable (empty when it is trusted and pinned)."""
    repo, name = chart_source(props)
    problems: list[str] = []
    if not any(t.repo == repo and t.name == name for t in trusted):
        where = f"{repo}/{name}" if repo else f"{name!r} (no repository)"
        problems.append(
            f"chart {where} is not in policies/trusted-charts.yaml; review it (docs/adr/0801) "
            "before installing"
        )
    version = as_mapping(props).get("version")
    if not isinstance(version, str) or not EXACT_VERSION.match(version):
        problems.append(f"chart version {version!r} is not one exact version")
    return problems


TRUSTED_CHARTS = load_trusted_charts()


def trusted_helm_charts_validator(args: ResourceArgs, report_violation: ReportViolation) -> None:
    """A Helm Release installs a reviewed chart (trusted-charts.yaml) at an exact version."""
    if args.resource_type not in HELM_RELEASE_TYPES:
        return
    release = as_mapping(args.props).get("name") or getattr(args, "name", None) or "<unnamed>"
    for problem in release_problems(args.props, TRUSTED_CHARTS):
        report_violation(f"Helm release {release}: {problem}.", None)
