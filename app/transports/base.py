"""What every transport provides, and the defaults shared by those that keep their state in the
app's database."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

from fastapi import APIRouter
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.chat.conversations import ConversationStore, DatabaseConversationStore
from app.consumers.base import Consumer
from app.contracts import API_PORT
from app.core.config import Settings
from app.core.jobs import Job
from app.events.dead_letters import BrokerAndDatabaseSink, DeadLetterSink
from app.events.transport import Publisher


@dataclass(frozen=True, kw_only=True)
class ConsumerHost:
    """How a transport delivers to one consumer: HTTP routes it serves and/or a loop it runs."""

    router: APIRouter | None = None
    run: Job | None = None
    # False when the loop is dead or stuck with work waiting: the liveness probe fails.
    healthy: Callable[[], bool] | None = None


@dataclass(frozen=True, kw_only=True)
class Sidecar:
    """What the process depends on besides the database: readiness checks and their cleanup."""

    checks: dict[str, Callable[[], Awaitable[bool]]] = field(default_factory=dict)
    close: Callable[[], Awaitable[None]] | None = None


async def release(*, engine: Engine, sidecar: Sidecar, publisher: Publisher | None = None) -> None:
    """What a process root lets go of last, in this order: its producer (flushing what it
    holds), its sidecar's client, its database pool."""
    if publisher is not None:
        await publisher.stop()
    if sidecar.close is not None:
        await sidecar.close()
    engine.dispose()


class Transport(Protocol):
    name: str
    # True when the consumers run inside the API process (no `taskflow consume` services).
    embeds_consumers: bool

    def publisher(self) -> Publisher: ...

    def dead_letter_sink(self, engine: Engine, publisher: Publisher) -> DeadLetterSink: ...

    def host(self, consumer: Consumer) -> ConsumerHost: ...

    def reminder_jobs(self, engine: Engine) -> list[Job]:
        """What fires due reminders from inside the process (none when the platform calls
        POST /reminder-check on a schedule)."""
        ...

    def sidecar(self) -> Sidecar: ...

    def conversation_store(self, session: Session) -> ConversationStore: ...

    def with_secrets(self) -> Settings:
        """The settings with secrets the transport's secret store holds filled in."""
        ...

    def api_url(self) -> str:
        """Where the web process reaches the API."""
        ...


class DatabaseBacked:
    """Defaults for transports without a sidecar: conversations, secrets and dead letters in
    the app's own database and environment; reminders fired by POST /reminder-check."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def dead_letter_sink(self, engine: Engine, publisher: Publisher) -> DeadLetterSink:
        return BrokerAndDatabaseSink(publisher, engine)

    def reminder_jobs(self, engine: Engine) -> list[Job]:
        return []

    def sidecar(self) -> Sidecar:
        return Sidecar()

    def conversation_store(self, session: Session) -> ConversationStore:
        return DatabaseConversationStore(session)

    def with_secrets(self) -> Settings:
        return self.settings

    def api_url(self) -> str:
        return f"http://127.0.0.1:{API_PORT}"
