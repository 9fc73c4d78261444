"""Alert rules: valid for promtool, unit-tested firing and not firing, documented by runbooks."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.delivery.helpers import (
    OBSERVABILITY,
    ROOT,
    RUNBOOK_BASE,
    alert_rules,
    allowed_series,
    cached_tool,
    contract_metrics,
    kebab,
    load_yaml,
    promql_metrics,
)

EXPECTED = {
    "TaskflowPodRestarts": "warning",
    "TaskflowHighErrorRate": "critical",
    "TaskflowHighLatency": "warning",
    "TaskflowConsumerLag": "warning",
    "TaskflowConsumerStalled": "critical",
    "TaskflowDLQNotEmpty": "warning",
    "TaskflowOutboxBacklogGrowing": "warning",
}
RUNBOOK_SECTIONS = ("## What it means", "## Investigate", "## Likely causes", "## Remedies")


@pytest.fixture(scope="module")
def promtool_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The PrometheusRule's spec.groups as a plain rules file beside the unit tests."""
    work = tmp_path_factory.mktemp("promtool")
    document = load_yaml(OBSERVABILITY / "alerts.yaml")
    plain = {"groups": document["spec"]["groups"]}
    (work / "alerts.rules.yaml").write_text(yaml.safe_dump(plain, sort_keys=False))
    shutil.copy(OBSERVABILITY / "alerts.test.yaml", work / "alerts.test.yaml")
    return work


def _promtool(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    promtool = cached_tool("promtool", "promtool.sh", "PROMTOOL_VERSION")
    return subprocess.run(
        [str(promtool), *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=120
    )


def test_alerts_manifest_is_prometheus_rule_when_loaded() -> None:
    document = load_yaml(OBSERVABILITY / "alerts.yaml")
    assert document["apiVersion"] == "monitoring.coreos.com/v1"
    assert document["kind"] == "PrometheusRule"
    assert document["spec"]["groups"]


def test_promtool_check_rules_passes_when_unwrapped(promtool_dir: Path) -> None:
    result = _promtool("check", "rules", "alerts.rules.yaml", cwd=promtool_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(EXPECTED)} rules found" in result.stdout


def test_promtool_test_rules_passes_when_unwrapped(promtool_dir: Path) -> None:
    result = _promtool("test", "rules", "alerts.test.yaml", cwd=promtool_dir)
    assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_test_rules_fails_when_threshold_changes(tmp_path: Path) -> None:
    """The unit tests have teeth: a loosened threshold makes them fail."""
    document = load_yaml(OBSERVABILITY / "alerts.yaml")
    for group in document["spec"]["groups"]:
        for rule in group["rules"]:
            rule["expr"] = rule["expr"].replace("> 0.05", "> 0.5")
    (tmp_path / "alerts.rules.yaml").write_text(
        yaml.safe_dump({"groups": document["spec"]["groups"]})
    )
    shutil.copy(OBSERVABILITY / "alerts.test.yaml", tmp_path / "alerts.test.yaml")
    result = _promtool("test", "rules", "alerts.test.yaml", cwd=tmp_path)
    assert result.returncode != 0
    assert "TaskflowHighErrorRate" in result.stdout + result.stderr


def test_alert_set_matches_issue_when_loaded() -> None:
    assert {rule["alert"]: rule["labels"]["severity"] for rule in alert_rules()} == EXPECTED


@pytest.mark.parametrize("rule", alert_rules(), ids=lambda rule: str(rule["alert"]))
def test_alert_has_severity_summary_description_runbook_when_defined(rule: dict[str, Any]) -> None:
    assert rule["labels"]["severity"] in {"warning", "critical"}
    annotations = rule["annotations"]
    for key in ("summary", "description", "runbook_url"):
        assert str(annotations.get(key, "")).strip(), f"{rule['alert']} lacks {key}"
    assert annotations["runbook_url"] == f"{RUNBOOK_BASE}{kebab(rule['alert'])}.md"


@pytest.mark.parametrize("rule", alert_rules(), ids=lambda rule: str(rule["alert"]))
def test_runbook_exists_with_sections_when_alert_links_it(rule: dict[str, Any]) -> None:
    relative = str(rule["annotations"]["runbook_url"]).removeprefix(
        "https://github.com/taskflow/taskflow/blob/main/"
    )
    runbook = ROOT / relative
    assert runbook.is_file(), f"{rule['alert']}: {relative} missing"
    text = runbook.read_text(encoding="utf-8")
    assert text.startswith(f"# {rule['alert']}")
    for section in RUNBOOK_SECTIONS:
        assert section in text, f"{relative} lacks '{section}'"
    assert "```bash" in text, f"{relative} has no investigation commands"


@pytest.mark.parametrize("rule", alert_rules(), ids=lambda rule: str(rule["alert"]))
def test_alert_expr_names_only_contract_metrics_when_defined(rule: dict[str, Any]) -> None:
    allowed = allowed_series(contract_metrics())
    used = promql_metrics(str(rule["expr"]))
    assert used, f"{rule['alert']} selects no metric"
    assert used <= allowed, (
        f"{rule['alert']} uses metrics outside docs/contracts.md: {used - allowed}"
    )


def test_unit_tests_cover_every_alert_firing_and_silent_when_written() -> None:
    tests = load_yaml(OBSERVABILITY / "alerts.test.yaml")
    firing: set[str] = set()
    silent: set[str] = set()
    for case in tests["tests"]:
        for check in case.get("alert_rule_test", []):
            (firing if check.get("exp_alerts") else silent).add(check["alertname"])
    assert firing == set(EXPECTED), f"never shown firing: {set(EXPECTED) - firing}"
    assert silent == set(EXPECTED), f"never shown silent: {set(EXPECTED) - silent}"


def test_kebab_names_runbooks_when_acronym_in_alert() -> None:
    assert kebab("TaskflowDLQNotEmpty") == "taskflow-dlq-not-empty"
    assert re.fullmatch(r"[a-z0-9-]+", kebab("TaskflowOutboxBacklogGrowing"))
