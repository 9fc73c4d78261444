"""Command line of infra.deploy; the options are documented in infra/deploy/__init__.py."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from pulumi import automation as auto

from infra.deploy import OPERATIONS, Request, execute
from infra.deploy.workspace import ROOT


def _pair(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key, value


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m infra.deploy", description=__doc__)
    parser.add_argument("operation", choices=OPERATIONS)
    parser.add_argument("--stack", required=True)
    parser.add_argument("--work-dir", type=Path, default=ROOT)
    parser.add_argument("--backend")
    parser.add_argument("--config", type=_pair, action="append", default=[])
    parser.add_argument("--secret-env", type=_pair, action="append", default=[])
    parser.add_argument("--policy-pack", type=Path, action="append", default=[])
    parser.add_argument("--onto-context")
    parser.add_argument("--diff", action="store_true")
    parser.add_argument("--expect-no-changes", action="store_true")
    parser.add_argument("--yes", action="store_true")
    parser.add_argument("--summary-json", type=Path)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    if args.operation in ("up", "destroy") and not args.yes:
        print(
            f"{args.operation} changes the cluster: pass --yes (run preview first)", file=sys.stderr
        )
        return 2
    secrets: dict[str, str] = {}
    for key, var in args.secret_env:
        if var not in os.environ:
            print(f"--secret-env {key}={var}: ${var} is not set", file=sys.stderr)
            return 2
        secrets[key] = os.environ[var]
    request = Request(
        operation=args.operation,
        stack=args.stack,
        work_dir=args.work_dir.resolve(),
        backend=args.backend,
        config=dict(args.config),
        secrets=secrets,
        policy_packs=[p.resolve() for p in args.policy_pack],
        onto_context=args.onto_context,
        diff=args.diff,
        expect_no_changes=args.expect_no_changes,
        on_output=lambda line: print(line, end="" if line.endswith("\n") else "\n", flush=True),
    )
    try:
        outcome = execute(request)
    except auto.CommandError as error:
        # stdout was streamed already; the error carries the CLI's stderr too.
        print(error, file=sys.stderr)
        return 1
    if args.summary_json is not None:
        args.summary_json.write_text(outcome.to_json())
    return 0


if __name__ == "__main__":
    sys.exit(main())
