"""Pulumi.yaml declares every key once; stack files only set declared, non-secret values."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tests.infra.harness import ROOT, SECRET_KEYS

STACK_FILES = sorted(ROOT.glob("Pulumi.*.yaml"))
PROVIDER_NAMESPACES = ("oci", "azure-native", "gcp", "kubernetes")


def _declared() -> dict[str, dict[str, object]]:
    project = yaml.safe_load((ROOT / "Pulumi.yaml").read_text())
    config: dict[str, dict[str, object]] = project["config"]
    return config


def _read_keys() -> set[str]:
    source = (ROOT / "infra" / "config.py").read_text()
    return set(re.findall(r'read\.\w+\(\s*"([a-zA-Z]+)"', source))


def test_pulumi_yaml_declares_every_key_the_program_reads() -> None:
    assert _read_keys() - set(_declared()) == set()


def test_pulumi_yaml_declares_no_unused_key() -> None:
    assert set(_declared()) - _read_keys() == set()


def test_pulumi_yaml_gives_every_key_type_and_description() -> None:
    for key, spec in _declared().items():
        assert spec.get("type") in ("string", "integer", "boolean"), key
        assert spec.get("description"), key


def test_pulumi_yaml_uses_project_virtualenv() -> None:
    project = yaml.safe_load((ROOT / "Pulumi.yaml").read_text())
    assert project["runtime"]["options"]["virtualenv"] == ".venv"
    assert project["main"].rstrip("/") == "infra"


def test_stack_files_set_only_declared_keys() -> None:
    declared = set(_declared())
    assert len(STACK_FILES) == 4
    for path in STACK_FILES:
        for key in yaml.safe_load(path.read_text())["config"]:
            namespace, _, name = key.partition(":")
            if namespace in PROVIDER_NAMESPACES:
                continue
            assert namespace == "taskflow" and name in declared, f"{path.name}: {key}"


def test_stack_files_commit_no_secret_value() -> None:
    for path in STACK_FILES:
        config = yaml.safe_load(Path(path).read_text())["config"]
        for key in SECRET_KEYS:
            assert f"taskflow:{key}" not in config, f"{path.name} commits {key}"
        assert "secure:" not in path.read_text()
