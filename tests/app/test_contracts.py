"""docs/contracts.md, app/contracts.py and the Settings defaults say the same names."""

from __future__ import annotations

import re
from pathlib import Path

from app import contracts
from app.contracts import DLQ_TOPICS, SERVICES, TOPICS
from app.core.config import Settings

DOC = (Path(__file__).resolve().parents[2] / "docs" / "contracts.md").read_text()


def _section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", DOC, re.M | re.S)
    assert match is not None, f"docs/contracts.md has no '## {title}' section"
    return match.group(1)


def test_processes_table_matches_services() -> None:
    rows = [
        [cell.strip(" `") for cell in line.strip("|").split("|")]
        for line in _section("Processes (one image, one console command)").splitlines()
        if line.startswith("|") and not line.startswith(("| service", "|--"))
    ]
    documented = {(name, command, int(port), app_id) for name, command, port, app_id in rows}
    declared = {(s.name, " ".join(("taskflow", *s.args)), s.port, s.app_id) for s in SERVICES}
    assert documented == declared


def test_topics_match() -> None:
    named = set(re.findall(r"`([a-z-]+)`", _section("Topics")))
    assert named == set(TOPICS + DLQ_TOPICS)


def test_dapr_components_match_contracts_and_settings_defaults() -> None:
    named = set(re.findall(r"`([a-z-]+)`", _section("Dapr components (names the code uses)")))
    components = {
        contracts.DAPR_PUBSUB,
        contracts.DAPR_STATE_STORE,
        contracts.DAPR_SECRET_STORE,
        contracts.DAPR_REMINDER_BINDING,
        contracts.DAPR_RESILIENCY,
        contracts.API.app_id,
    }
    assert components <= named
    assert contracts.REMINDER_CHECK_ROUTE in _section("Dapr components (names the code uses)")
    defaults = {name: field.default for name, field in Settings.model_fields.items()}
    assert (
        defaults["dapr_pubsub_name"],
        defaults["dapr_state_store"],
        defaults["dapr_secret_store"],
    ) == (contracts.DAPR_PUBSUB, contracts.DAPR_STATE_STORE, contracts.DAPR_SECRET_STORE)
