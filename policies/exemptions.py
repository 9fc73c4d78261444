"""Policy exemptions: listed in the pack's own configuration, never on the object itself.

An author can put any annotation on their own Deployment, so an annotation cannot grant an
exception. Exemptions live in ``policies/exemptions.yaml`` (reviewed with the pack, by its
owners): one entry per policy and resource, with the reason and an expiry date. An expired entry
stops applying on the day after its expiry, so a forgotten exception turns back into a violation
instead of lasting for ever.

A resource is named by its Pulumi URN, its Pulumi resource name, or its Kubernetes identity as
messages print it (``Deployment taskflow/api``), so the same entry works under the CLI and over
rendered YAML (which has no URN).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import yaml

from policies.props import ReportViolation, ResourceArgs, StackArgs, display_name

EXEMPTIONS_FILE = Path(__file__).with_name("exemptions.yaml")
ResourceValidator = Callable[[ResourceArgs, ReportViolation], None]
StackValidator = Callable[[StackArgs, ReportViolation], None]
Clock = Callable[[], datetime.date]


def utc_today() -> datetime.date:
    return datetime.datetime.now(datetime.UTC).date()


class ExemptionError(ValueError):
    """The exemptions file is malformed; the pack refuses to load rather than guess."""


@dataclass(frozen=True, kw_only=True)
class Exemption:
    policy: str
    resource: str
    reason: str
    expires: datetime.date

    def active(self, today: datetime.date) -> bool:
        return today <= self.expires


def resource_keys(args: ResourceArgs) -> set[str]:
    """Every name an exemption may use for ``args``: URN, Pulumi name, ``Kind ns/name``."""
    keys = {display_name(args)}
    for attribute in ("urn", "name"):
        value = getattr(args, attribute, None)
        if isinstance(value, str) and value:
            keys.add(value)
    return keys


@dataclass(frozen=True, kw_only=True)
class Exemptions:
    entries: tuple[Exemption, ...]
    clock: Clock = utc_today

    def exempts(self, policy: str, args: ResourceArgs) -> bool:
        """True when an unexpired entry for ``policy`` names ``args``."""
        today = self.clock()
        keys = resource_keys(args)
        return any(
            entry.policy == policy and entry.resource in keys and entry.active(today)
            for entry in self.entries
        )

    def expired(self) -> list[Exemption]:
        today = self.clock()
        return [entry for entry in self.entries if not entry.active(today)]

    def resource_validator(self, policy: str, validator: ResourceValidator) -> ResourceValidator:
        """``validator``, skipped for resources this list exempts from ``policy``."""

        def validate(args: ResourceArgs, report_violation: ReportViolation) -> None:
            if not self.exempts(policy, args):
                validator(args, report_violation)

        return validate

    def stack_validator(self, policy: str, validator: StackValidator) -> StackValidator:
        """``validator`` over the stack's resources minus those exempt from ``policy``."""

        def validate(args: StackArgs, report_violation: ReportViolation) -> None:
            kept = [r for r in args.resources if not self.exempts(policy, r)]
            validator(SimpleNamespace(resources=kept), report_violation)

        return validate


def parse_exemptions(document: object, source: str = "exemptions") -> tuple[Exemption, ...]:
    """Entries of ``{exemptions: [{policy, resource, reason, expires}]}``, strictly checked."""
    if document is None:
        return ()
    if not isinstance(document, Mapping) or set(document) - {"exemptions"}:
        raise ExemptionError(f"{source}: expected a mapping with one key, 'exemptions'")
    raw_entries = document.get("exemptions") or []
    if not isinstance(raw_entries, Sequence) or isinstance(raw_entries, str):
        raise ExemptionError(f"{source}: 'exemptions' must be a list")
    return tuple(_entry(raw, f"{source}[{index}]") for index, raw in enumerate(raw_entries))


_FIELDS = ("policy", "resource", "reason", "expires")


def _entry(raw: Any, where: str) -> Exemption:
    if not isinstance(raw, Mapping) or set(raw) != set(_FIELDS):
        raise ExemptionError(f"{where}: needs exactly the fields {', '.join(_FIELDS)}")
    texts = {key: raw[key] for key in ("policy", "resource", "reason")}
    for key, value in texts.items():
        if not isinstance(value, str) or not value.strip():
            raise ExemptionError(f"{where}: '{key}' must be a non-empty string")
    expires = raw["expires"]
    if isinstance(expires, str):
        try:
            expires = datetime.date.fromisoformat(expires)
        except ValueError:
            raise ExemptionError(f"{where}: 'expires' must be a date (YYYY-MM-DD)") from None
    if not isinstance(expires, datetime.date) or isinstance(expires, datetime.datetime):
        raise ExemptionError(f"{where}: 'expires' must be a date (YYYY-MM-DD)")
    return Exemption(
        policy=texts["policy"].strip(),
        resource=texts["resource"].strip(),
        reason=texts["reason"].strip(),
        expires=expires,
    )


def load_exemptions(path: Path = EXEMPTIONS_FILE, clock: Clock = utc_today) -> Exemptions:
    with path.open(encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    return Exemptions(entries=parse_exemptions(document, path.name), clock=clock)
