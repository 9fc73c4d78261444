"""Alert rules and dashboards are authored as files under infra/observability/; read them here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

OBSERVABILITY_DIR = Path(__file__).resolve().parent.parent / "observability"


def load_rule_groups(path: Path) -> list[dict[str, Any]]:
    """Rule groups from a PrometheusRule manifest or a plain `groups:` file; none if absent."""
    if not path.is_file():
        return []
    document = yaml.safe_load(path.read_text()) or {}
    if not isinstance(document, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    spec = document.get("spec", document) if document.get("kind") == "PrometheusRule" else document
    groups = spec.get("groups", [])
    if not isinstance(groups, list) or not all(isinstance(g, dict) for g in groups):
        raise ValueError(f"{path}: `groups` must be a list of rule groups")
    return groups


def load_dashboards(directory: Path) -> dict[str, str]:
    """Dashboard JSON by file stem, checked to parse; empty if the folder does not exist."""
    dashboards: dict[str, str] = {}
    for file in sorted(directory.glob("*.json")) if directory.is_dir() else []:
        text = file.read_text()
        json.loads(text)
        dashboards[file.stem] = text
    return dashboards


def prometheus_rule(name: str, namespace: str, groups: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PrometheusRule",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "labels": {"app.kubernetes.io/part-of": "taskflow"},
        },
        "spec": {"groups": groups},
    }
