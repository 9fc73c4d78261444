from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from email_validator import EmailNotValidError, validate_email
from pydantic import (
    AfterValidator,
    ConfigDict,
    StringConstraints,
    WithJsonSchema,
    field_validator,
)
from sqlmodel import Field, SQLModel

from app.core.db import now_field, optional_time_field
from app.domain.timezones import TIMEZONES
from app.models.bounds import NonBlankText, NoNulText


def _check_timezone(value: str) -> str:
    if value not in TIMEZONES:
        raise ValueError(f"unknown timezone {value!r}; use an IANA name such as 'Europe/Berlin'")
    return value


# The schema lists the names (an enum) and the check accepts exactly those: one set.
Timezone = Annotated[
    str,
    StringConstraints(max_length=64),
    WithJsonSchema({"type": "string", "enum": sorted(TIMEZONES)}),
    AfterValidator(_check_timezone),
]


def _check_email(value: str) -> str:
    try:
        # test_environment admits x@host.test (RFC 2606's name for testing, which test
        # harnesses such as schemathesis sign up with); email-validator refuses it otherwise,
        # although the schema's format "email" allows it. No mail is sent, so nothing is lost.
        return validate_email(value, check_deliverability=False, test_environment=True).normalized
    except EmailNotValidError as exc:
        raise ValueError(f"value is not a valid email address: {exc}") from exc


Email = Annotated[
    str,
    WithJsonSchema(
        {
            "type": "string",
            "format": "email",
            "maxLength": 255,
            "description": "Other special-use domains (.local, .localhost, .invalid, .onion, "
            ".arpa) are refused.",
        }
    ),
    AfterValidator(_check_email),
]


class UserBase(SQLModel):
    email: Email = Field(max_length=255)
    name: str = Field(min_length=1, max_length=100)
    timezone: str = Field(default="UTC", max_length=64)


class UserCreate(UserBase):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    name: NonBlankText = Field(max_length=100)
    timezone: Timezone = "UTC"
    password: NoNulText = Field(min_length=8, max_length=128)

    @field_validator("email")
    @classmethod
    def _lower_email(cls, value: str) -> str:
        return value.lower()

    @field_validator("name")
    @classmethod
    def _strip_name(cls, value: str) -> str:
        return value.strip()  # NonBlankText has made sure something is left


class UserLogin(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    # Any string, not EmailStr: format "email" admits addresses (special-use domains such as
    # x@c.test) that email-validator refuses, so the schema and the check disagreed. A string
    # that is no account's email is the same 401 as a wrong password.
    email: NoNulText = Field(
        min_length=1,
        max_length=255,
        description="The email the account signed up with, in any case; anything else is a 401.",
    )
    password: NoNulText = Field(min_length=1, max_length=128)


class UserUpdate(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    name: NonBlankText | None = Field(default=None, max_length=100)
    timezone: Timezone | None = None

    @field_validator("name")
    @classmethod
    def _strip_name(cls, value: str | None) -> str | None:
        return None if value is None else value.strip()


class User(UserBase, table=True):
    __tablename__ = "users"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    email: str = Field(max_length=255, unique=True, index=True)
    password_hash: str = Field(max_length=255)
    failed_logins: int = Field(default=0)
    locked_until: datetime | None = optional_time_field()
    created_at: datetime = now_field()
    # Stamped into each access token ("ep"); "log out everywhere" raises it, which refuses
    # every token issued before, without a per-token lookup.
    token_epoch: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class UserPublic(UserBase):
    id: uuid.UUID
    created_at: datetime


class Token(SQLModel):
    access_token: str
    token_type: str = "bearer"
    user: UserPublic
