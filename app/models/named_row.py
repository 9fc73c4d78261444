"""The columns of a row a user owns and names (a tag, a saved view): the name is unique per
user in any case, which a unique constraint on (user_id, name_key) keeps on every database."""

from __future__ import annotations

import uuid

from sqlmodel import Field, SQLModel, UniqueConstraint


def name_key(name: str) -> str:
    """What makes two names the same name: case is ignored."""
    return name.lower()


def unique_name_per_user(table: str) -> UniqueConstraint:
    return UniqueConstraint("user_id", "name_key", name=f"uq_{table}_user_name_key")


class NamedRow(SQLModel):
    """A table declares `name` and `name_key` with its own length, and lists
    unique_name_per_user(its table) in __table_args__."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE")
    name: str
    name_key: str

    def rename(self, name: str) -> None:
        self.name, self.name_key = name, name_key(name)
