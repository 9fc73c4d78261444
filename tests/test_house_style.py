"""One house style across the Python trees (issue 10).

Ruff enforces the postponed-annotations import (isort's required-imports); it has no rule for
dataclass keywords, so this test keeps every dataclass keyword-only, as infra/ always was.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TREES = ("app", "infra", "policies", "stacks", "bench", "scripts", "tests")


def _dataclass_decorators(tree: ast.AST) -> list[ast.expr]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                name = (
                    target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
                )
                if name == "dataclass":
                    found.append(decorator)
    return found


def _is_kw_only(decorator: ast.expr) -> bool:
    return isinstance(decorator, ast.Call) and any(
        k.arg == "kw_only" and isinstance(k.value, ast.Constant) and k.value.value is True
        for k in decorator.keywords
    )


def test_the_checker_tells_the_two_apart() -> None:
    good, bad, bare = (
        ast.parse(f"@{d}\nclass A:\n    x: int\n")
        for d in (
            "dataclass(frozen=True, kw_only=True)",
            "dataclasses.dataclass(frozen=True)",
            "dataclass",
        )
    )
    assert [_is_kw_only(d) for d in _dataclass_decorators(good)] == [True]
    assert [_is_kw_only(d) for d in _dataclass_decorators(bad)] == [False]
    assert [_is_kw_only(d) for d in _dataclass_decorators(bare)] == [False]


@pytest.mark.parametrize("tree", TREES)
def test_every_dataclass_is_keyword_only(tree: str) -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{decorator.lineno}"
        for path in sorted((ROOT / tree).rglob("*.py"))
        for decorator in _dataclass_decorators(ast.parse(path.read_text(), str(path)))
        if not _is_kw_only(decorator)
    ]
    assert offenders == []
