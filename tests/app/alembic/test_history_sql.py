"""Old migrations emit the same DDL for ever: deployed databases ran them, new ones must match.

Each revision's upgrade() and downgrade() are rendered as offline SQL (what `alembic upgrade
--sql` prints) for both databases the app runs on, and compared with a snapshot checked in
beside this test. The migrations share column helpers (app/alembic/columns.py); a change to a
helper that would alter an old revision's DDL fails here. A revision is frozen once another
follows it: the newest may still change, so its snapshot is optional until then.

Write the snapshots a new revision lacks (existing ones are never overwritten):
    uv run python -m tests.app.alembic.test_history_sql
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError

from app.core import migrations

SNAPSHOTS = Path(__file__).parent / "snapshots"
DIALECTS = ("postgresql", "sqlite")
# A SQLite batch step that rebuilds a table reflects the live table, so it cannot be rendered
# offline; the snapshot records that instead (test_migrations runs those steps on a database).
NEEDS_DATABASE = "-- needs a live database (a SQLite batch rebuild reflects the table)\n"

_script = ScriptDirectory.from_config(migrations.alembic_config("sqlite://"))
REVISIONS = [script.revision for script in reversed(list(_script.walk_revisions()))]
HEAD = _script.get_current_head()


def _render(revision: str, dialect: str, step: str) -> str:
    buffer = io.StringIO()
    context = MigrationContext.configure(
        dialect_name=dialect, opts={"as_sql": True, "output_buffer": buffer}
    )
    try:
        with Operations.context(context):
            getattr(_script.get_revision(revision).module, step)()
    except CommandError as error:
        if "requires a live database connection" not in str(error):
            raise
        return NEEDS_DATABASE
    return buffer.getvalue()


def render(revision: str, dialect: str) -> str:
    return "".join(
        f"-- {step}\n{_render(revision, dialect, step)}" for step in ("upgrade", "downgrade")
    )


def snapshot_path(revision: str, dialect: str) -> Path:
    return SNAPSHOTS / f"{revision}.{dialect}.sql"


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("revision", REVISIONS)
def test_revision_emits_its_snapshot_sql(revision: str, dialect: str) -> None:
    path = snapshot_path(revision, dialect)
    if not path.exists():
        assert revision == HEAD, f"{path} is missing: write it (see this module's docstring)"
        pytest.skip(f"{revision} is the newest revision and has no snapshot yet")
    assert render(revision, dialect) == path.read_text(encoding="utf-8")


def test_snapshots_name_only_known_revisions() -> None:
    known = {snapshot_path(r, d).name for r in REVISIONS for d in DIALECTS}
    assert {path.name for path in SNAPSHOTS.glob("*.sql")} <= known


def main() -> None:
    SNAPSHOTS.mkdir(exist_ok=True)
    for revision in REVISIONS:
        for dialect in DIALECTS:
            path = snapshot_path(revision, dialect)
            if not path.exists():
                path.write_text(render(revision, dialect), encoding="utf-8")
                print(f"wrote {path}")


if __name__ == "__main__":
    main()
