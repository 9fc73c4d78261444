import uuid
from datetime import datetime

from pydantic import EmailStr, field_validator
from sqlmodel import Field, SQLModel

from app.core.db import now_field, optional_time_field
from app.domain.timezones import parse_timezone


def _check_timezone(value: str) -> str:
    parse_timezone(value)
    return value


class UserBase(SQLModel):
    email: EmailStr = Field(max_length=255)
    name: str = Field(min_length=1, max_length=100)
    timezone: str = Field(default="UTC", max_length=64)


class UserCreate(UserBase):
    password: str = Field(min_length=8, max_length=128)

    @field_validator("email")
    @classmethod
    def _lower_email(cls, value: str) -> str:
        return value.lower()

    @field_validator("name")
    @classmethod
    def _strip_name(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("name must not be blank")
        return value

    _tz = field_validator("timezone")(_check_timezone)


class UserLogin(SQLModel):
    email: EmailStr
    password: str = Field(min_length=1, max_length=128)


class UserUpdate(SQLModel):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    timezone: str | None = Field(default=None, max_length=64)

    @field_validator("timezone")
    @classmethod
    def _valid_tz(cls, value: str | None) -> str | None:
        return None if value is None else _check_timezone(value)


class User(UserBase, table=True):
    __tablename__ = "users"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    email: str = Field(max_length=255, unique=True, index=True)
    password_hash: str = Field(max_length=255)
    failed_logins: int = Field(default=0)
    locked_until: datetime | None = optional_time_field()
    created_at: datetime = now_field()


class UserPublic(UserBase):
    id: uuid.UUID
    created_at: datetime


class Token(SQLModel):
    access_token: str
    token_type: str = "bearer"
    user: UserPublic
