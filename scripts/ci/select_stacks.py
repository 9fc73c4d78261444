"""Which Pulumi stacks a pull request previews, from the files it changes.

    git diff --name-only "$BASE_SHA"...HEAD | python -m scripts.ci.select_stacks

prints a JSON list of stack names for the preview matrix, e.g. ``["oke"]``. The stacks are the
``Pulumi.<stack>.yaml`` files of the repository. Rules:

- A change to shared code previews every stack: anything under ``infra/``, ``app/``,
  ``docker/``, ``policies/``, ``stacks/common.py``, ``stacks/__init__.py`` or any other module
  of ``stacks/`` that is not one stack's, ``Pulumi.yaml``, ``pyproject.toml``, ``uv.lock``.
- A change to one stack's file (``stacks/<stack>.py`` or ``Pulumi.<stack>.yaml``) previews that
  stack; a file of a stack that no longer exists previews nothing.
- Anything else (docs, tests, workflows) previews nothing.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED_PREFIXES = ("infra/", "app/", "docker/", "policies/")
SHARED_FILES = frozenset({"Pulumi.yaml", "pyproject.toml", "uv.lock"})
STACK_FILE = re.compile(r"^Pulumi\.(?P<stack>[A-Za-z0-9_.-]+)\.yaml$")
STACK_MODULE = re.compile(r"^stacks/(?P<module>[A-Za-z0-9_]+)\.py$")


def known_stacks(root: Path = ROOT) -> list[str]:
    """Stack names, from the ``Pulumi.<stack>.yaml`` files in ``root``, sorted."""
    found = (STACK_FILE.match(path.name) for path in root.glob("Pulumi.*.yaml"))
    return sorted(match["stack"] for match in found if match)


def affected(path: str, stacks: Sequence[str]) -> set[str]:
    """The stacks one changed path affects."""
    if path in SHARED_FILES or path.startswith(SHARED_PREFIXES):
        return set(stacks)
    module = STACK_MODULE.match(path)
    if module:
        name = module["module"]
        return {name} if name in stacks else set(stacks)
    if path.startswith("stacks/"):
        return set(stacks)  # a new package or data file the planners may import
    stack_file = STACK_FILE.match(path)
    if stack_file and stack_file["stack"] in stacks:
        return {stack_file["stack"]}
    return set()


def select_stacks(changed: Iterable[str], stacks: Sequence[str]) -> list[str]:
    """The stacks to preview for ``changed`` paths, in the order of ``stacks``."""
    selected: set[str] = set()
    for raw in changed:
        path = raw.strip()
        if path:
            selected |= affected(path, stacks)
    return [stack for stack in stacks if stack in selected]


def main(argv: Sequence[str] | None = None) -> int:
    paths = list(argv) if argv else sys.stdin.read().splitlines()
    print(json.dumps(select_stacks(paths, known_stacks())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
