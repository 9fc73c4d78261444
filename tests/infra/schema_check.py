"""Offline schema checks: Kubernetes built-ins via kubernetes-validate, CRs via vendored schemas."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import kubernetes_validate  # type: ignore[import-untyped]
import yaml

SCHEMAS = Path(__file__).resolve().parent / "schemas"
KUBERNETES_VERSION = "1.33.0"


def validate_builtin(manifest: dict[str, Any]) -> None:
    kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True)


def _closed(schema: Any) -> Any:
    """Rejects unknown fields wherever the CRD lists properties, as the API server prunes them."""
    if isinstance(schema, dict):
        out = {k: _closed(v) for k, v in schema.items()}
        if (
            "properties" in schema
            and "additionalProperties" not in schema
            and not schema.get("x-kubernetes-preserve-unknown-fields")
        ):
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [_closed(v) for v in schema]
    return schema


@cache
def _schemas() -> dict[tuple[str, str], Any]:
    found: dict[tuple[str, str], Any] = {}
    for crd_file in sorted((SCHEMAS / "dapr").glob("*.yaml")):
        for crd in yaml.safe_load_all(crd_file.read_text()):
            if not crd:
                continue
            group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
            for version in crd["spec"]["versions"]:
                schema = _closed(version["schema"]["openAPIV3Schema"])
                found[(f"{group}/{version['name']}", kind)] = schema
    for name in ("strimzi.json", "prometheus-operator.json", "cert-manager.json"):
        for kind, schema in json.loads((SCHEMAS / name).read_text()).items():
            api = schema["properties"]["apiVersion"]["const"]
            found[(api, kind)] = schema
    return found


def has_custom_schema(manifest: dict[str, Any]) -> bool:
    return (manifest["apiVersion"], manifest["kind"]) in _schemas()


def validate_custom(manifest: dict[str, Any]) -> None:
    schema = _schemas()[(manifest["apiVersion"], manifest["kind"])]
    jsonschema.validate(manifest, schema)
