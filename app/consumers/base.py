"""The reusable consumer: de-duplication, retries, dead letters, metrics.

Transports hand it messages and commit offsets only after `handle` returns. It raises only
TransientError (the database or broker is away): the transport hands the message again later.
A message is parked only when it fails for a reason of its own.
"""

import asyncio
import contextlib
import json
import logging
import traceback
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, Protocol

import anyio.to_thread
from opentelemetry.trace import SpanKind
from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlmodel import Session

from app.core.logging import correlation_id_var
from app.core.metrics import EVENTS_CONSUMED
from app.core.tracing import span_from_headers
from app.events.dead_letters import DeadLetterRecord, DeadLetterSink
from app.events.schemas import DomainEvent, UnknownSchemaVersion, parse_event
from app.events.transport import (
    HEADER_CORRELATION_ID,
    HEADER_EVENT_ID,
    Message,
    TransientError,
    TransientPublishError,
)
from app.repositories import processed_events

logger = logging.getLogger(__name__)

Status = Literal["SUCCESS", "RETRY", "DROP"]
Outcome = Literal["success", "duplicate", "retry", "dlq", "skipped"]


def is_transient(exc: BaseException) -> bool:
    """The database or the broker being away, as opposed to a message that can never succeed."""
    if isinstance(exc, (TransientError, TransientPublishError, OperationalError, InterfaceError)):
        return True
    if isinstance(exc, (ConnectionError, TimeoutError)):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


@contextlib.contextmanager
def _infrastructure() -> Iterator[None]:
    """Turns an outage into TransientError: retried by the transport, never parked."""
    try:
        yield
    except TransientError:
        raise
    except Exception as exc:
        if is_transient(exc):
            raise TransientError(f"{type(exc).__name__}: {exc}") from exc
        raise


class Handler(Protocol):
    """What a consumer does with one event, in a worker thread, in the session it is given;
    the message's correlation id is in `correlation_id_var`. Returns what Dapr's subscribers
    return: SUCCESS, RETRY (raising counts as RETRY) or DROP."""

    def __call__(self, event: DomainEvent, *, session: Session) -> Status: ...


@dataclass
class _Batch:
    """One poll's worth of messages: duplicates looked up and processed ids recorded once."""

    known: set[str]
    done: list[str]


def _peek_event_id(message: Message) -> str | None:
    try:
        envelope = json.loads(message.value)
        data = envelope.get("data", envelope)
        return str(data["event_id"])
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


class BoundedWindow:
    """The last N event ids seen, for a cheap first duplicate check."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._ids: OrderedDict[str, None] = OrderedDict()

    def __contains__(self, event_id: str) -> bool:
        return event_id in self._ids

    def add(self, event_id: str) -> None:
        self._ids[event_id] = None
        self._ids.move_to_end(event_id)
        while len(self._ids) > self._size:
            self._ids.popitem(last=False)

    def __len__(self) -> int:
        return len(self._ids)


class Consumer:
    def __init__(
        self,
        name: str,
        topics: tuple[str, ...],
        handler: Handler,
        *,
        engine: Engine,
        dead_letters: DeadLetterSink,
        max_attempts: int = 3,
        window: int = 10_000,
        retry_delay_seconds: float = 0.05,
        broadcast: bool = False,
    ) -> None:
        self.name = name
        self.topics = topics
        self._handler = handler
        self._engine = engine
        self._dead_letters = dead_letters
        self._max_attempts = max_attempts
        self._retry_delay = retry_delay_seconds
        self._seen = BoundedWindow(window)
        # A broadcast consumer runs in every replica and each must act (push to its own
        # sockets), so only the in-memory window de-duplicates, never the shared table.
        self.broadcast = broadcast

    def _already_processed(self, event_id: str) -> bool:
        with Session(self._engine) as session:
            return processed_events.is_processed(
                session=session, consumer=self.name, event_id=event_id
            )

    def _record_processed(self, event_id: str) -> None:
        self._record_many([event_id])

    def _processed_among(self, event_ids: list[str]) -> set[str]:
        with Session(self._engine) as session:
            return processed_events.processed_among(
                session=session, consumer=self.name, event_ids=event_ids
            )

    def _record_many(self, event_ids: list[str]) -> None:
        with Session(self._engine) as session:
            processed_events.record_processed(
                session=session, consumer=self.name, event_ids=event_ids
            )

    def _run_handler(self, event: DomainEvent) -> Status:
        with Session(self._engine) as session:
            return self._handler(event, session=session)

    async def handle_batch(self, messages: list[Message]) -> list[Outcome]:
        """Handles a poll's messages in order with one duplicate lookup and one record write,
        instead of two small transactions per message."""
        if self.broadcast:
            return [await self.handle(message) for message in messages]
        ids = [i for i in map(_peek_event_id, messages) if i is not None]
        with _infrastructure():
            batch = _Batch(known=await asyncio.to_thread(self._processed_among, ids), done=[])
        outcomes = [await self.handle(message, batch) for message in messages]
        if batch.done:
            with _infrastructure():
                await asyncio.to_thread(self._record_many, batch.done)
        return outcomes

    async def _park(
        self, message: Message, error: str, trace: str, attempts: int, event_id: str | None = None
    ) -> Outcome:
        event_id = event_id or message.headers.get("event_id") or None
        record = DeadLetterRecord(
            consumer=self.name,
            source_topic=message.topic,
            partition=message.partition,
            offset=message.offset,
            key=message.key,
            event_id=event_id,
            payload=message.value.decode(errors="replace"),
            headers=message.headers,
            error=error,
            traceback=trace,
            attempts=attempts,
        )
        with _infrastructure():
            await self._dead_letters.park(record)
        logger.error(
            "parked message in dead-letter queue",
            extra={
                "consumer": self.name,
                "topic": message.topic,
                "error": error,
                "event_id": event_id,
            },
        )
        return "dlq"

    async def handle(self, message: Message, batch: _Batch | None = None) -> Outcome:
        correlation = correlation_id_var.set(message.headers.get(HEADER_CORRELATION_ID))
        try:
            with span_from_headers(f"consume {message.topic}", message.headers, SpanKind.CONSUMER):
                outcome = await self._handle(message, batch)
                logger.info(
                    "event handled",
                    extra={
                        "consumer": self.name,
                        "topic": message.topic,
                        "outcome": outcome,
                        "event_id": message.headers.get(HEADER_EVENT_ID),
                    },
                )
        finally:
            correlation_id_var.reset(correlation)
        EVENTS_CONSUMED.labels(service=self.name, topic=message.topic, outcome=outcome).inc()
        return outcome

    async def _handle(self, message: Message, batch: _Batch | None) -> Outcome:
        try:
            envelope = json.loads(message.value)
            if not isinstance(envelope, dict):
                raise ValueError("message is not a JSON object")
            event = parse_event(message.topic, envelope)
        except UnknownSchemaVersion as exc:
            logger.warning(
                "skipping event: %s", exc, extra={"consumer": self.name, "topic": message.topic}
            )
            return "skipped"
        except (ValueError, ValidationError) as exc:
            # A malformed message fails the same way every time: no retries.
            return await self._park(message, f"invalid event: {exc}", traceback.format_exc(), 1)

        event_id = str(event.event_id)
        if event_id in self._seen or (
            event_id in batch.known
            if batch is not None
            else not self.broadcast and await asyncio.to_thread(self._already_processed, event_id)
        ):
            self._seen.add(event_id)
            return "duplicate"

        error, trace = "handler asked to retry", ""
        for attempt in range(1, self._max_attempts + 1):
            try:
                status = await anyio.to_thread.run_sync(self._run_handler, event)
            except Exception as exc:
                if is_transient(exc):
                    raise TransientError(f"{type(exc).__name__}: {exc}") from exc
                status, error, trace = (
                    "RETRY",
                    f"{type(exc).__name__}: {exc}",
                    traceback.format_exc(),
                )
                logger.warning(
                    "handler failed (attempt %d): %s", attempt, error, extra={"consumer": self.name}
                )
            if status == "SUCCESS":
                if batch is not None:
                    batch.done.append(event_id)
                elif not self.broadcast:
                    await asyncio.to_thread(self._record_processed, event_id)
                self._seen.add(event_id)
                return "success"
            if status == "DROP":
                logger.info("handler dropped event %s", event_id, extra={"consumer": self.name})
                return "skipped"
            if attempt < self._max_attempts:
                await asyncio.sleep(self._retry_delay * 2 ** (attempt - 1))
        return await self._park(message, error, trace, self._max_attempts, event_id)
