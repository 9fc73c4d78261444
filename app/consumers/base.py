"""The reusable consumer: de-duplication, retries, dead letters, metrics.

Transports hand it a poll's messages (`handle_batch`: one worker-thread hop and one transaction
for the lot) or one message (`handle`) and commit offsets only after it returns. It raises only
TransientError (the database or broker is away): the transport hands the message again later.
A message is parked only when it fails for a reason of its own.
"""

from __future__ import annotations

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
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlmodel import Session
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    RetryError,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

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
    return: SUCCESS, RETRY (raising counts as RETRY) or DROP.

    It does not commit: the Consumer commits its effects together with the event's processed
    id, a whole batch in one transaction. One that rolls back (and so drops the effects of the
    events before it) makes its batch start over with one transaction per message."""

    def __call__(self, event: DomainEvent, *, session: Session) -> Status: ...


class _RetryAsked(Exception):
    """A handler answered RETRY: nothing of its batch is kept."""


class _RolledBack(Exception):
    """A handler rolled the shared transaction back, and with it earlier handlers' effects."""


def _message_fault(error: BaseException) -> bool:
    """A failure worth another attempt: not an outage, not a cancellation."""
    return isinstance(error, Exception) and not isinstance(error, TransientError)


def _describe(error: BaseException) -> str:
    return str(error) if isinstance(error, _RetryAsked) else f"{type(error).__name__}: {error}"


@contextlib.contextmanager
def _message_context(message: Message) -> Iterator[None]:
    """The message's correlation id and a consumer span in its trace, for what runs inside."""
    correlation = correlation_id_var.set(message.headers.get(HEADER_CORRELATION_ID))
    try:
        with span_from_headers(f"consume {message.topic}", message.headers, SpanKind.CONSUMER):
            yield
    finally:
        correlation_id_var.reset(correlation)


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


@dataclass(frozen=True, kw_only=True)
class Delivery:
    """What a consumer does with a message that fails for a reason of its own: this many
    transactions, the delay doubling from retry_delay_seconds, then the dead letter. And how
    many event ids it remembers for the cheap duplicate check."""

    max_attempts: int = 3
    retry_delay_seconds: float = 0.05
    dedup_window: int = 10_000


class Consumer:
    def __init__(
        self,
        name: str,
        topics: tuple[str, ...],
        handler: Handler,
        *,
        engine: Engine,
        dead_letters: DeadLetterSink,
        delivery: Delivery = Delivery(),
        broadcast: bool = False,
    ) -> None:
        self.name = name
        self.topics = topics
        self._handler = handler
        self._engine = engine
        self._dead_letters = dead_letters
        self._delivery = delivery
        self._seen = BoundedWindow(delivery.dedup_window)
        # A broadcast consumer runs in every replica and each must act (push to its own
        # sockets), so only the in-memory window de-duplicates, never the shared table.
        self.broadcast = broadcast

    def _apply(self, batch: list[tuple[Message, DomainEvent]]) -> list[Outcome]:
        """In a worker thread, one transaction: the duplicate lookup, each handler in order,
        the processed ids, one commit. Raises what a handler raises, _RetryAsked or
        _RolledBack; nothing of the batch is kept then."""
        with Session(self._engine) as session:
            rollbacks: list[Session] = []
            event.listen(session, "after_rollback", rollbacks.append)
            done = (
                set()
                if self.broadcast
                else processed_events.processed_among(
                    session=session,
                    consumer=self.name,
                    event_ids=[str(e.event_id) for _, e in batch],
                )
            )
            outcomes: list[Outcome] = []
            fresh: list[str] = []
            for message, domain_event in batch:
                event_id = str(domain_event.event_id)
                if event_id in done:
                    outcomes.append("duplicate")
                    continue
                with _message_context(message):
                    status = self._handler(domain_event, session=session)
                if status == "RETRY":
                    raise _RetryAsked("handler asked to retry")
                if status == "DROP":
                    logger.info("handler dropped event %s", event_id, extra={"consumer": self.name})
                    outcomes.append("skipped")
                    continue
                done.add(event_id)
                fresh.append(event_id)
                outcomes.append("success")
            if rollbacks:
                raise _RolledBack("a handler rolled back the batch's transaction")
            if fresh and not self.broadcast:
                processed_events.record_processed(
                    session=session, consumer=self.name, event_ids=fresh
                )
            session.commit()
        return outcomes

    async def handle_batch(self, messages: list[Message]) -> list[Outcome]:
        """Handles a poll's messages in order in one worker-thread hop and one transaction.

        If a handler fails or asks to retry, that transaction is dropped and each message is
        handled on its own (retries, then the dead letter), so a poison message costs the
        others nothing. An outage raises TransientError: nothing is kept, the transport
        hands the batch again."""
        outcomes: dict[int, Outcome] = {}
        todo: list[tuple[int, Message, DomainEvent]] = []
        for i, message in enumerate(messages):
            parsed = await self._parse(message)
            if isinstance(parsed, str):
                outcomes[i] = parsed
            elif str(parsed.event_id) in self._seen:
                outcomes[i] = "duplicate"
            else:
                todo.append((i, message, parsed))
        if todo:
            try:
                with _infrastructure():
                    applied = await anyio.to_thread.run_sync(
                        self._apply, [(m, e) for _, m, e in todo]
                    )
            except TransientError:
                raise
            except Exception as exc:
                logger.warning(
                    "batch of %d failed (%s: %s); handling its messages one by one",
                    len(todo),
                    type(exc).__name__,
                    exc,
                    extra={"consumer": self.name},
                )
                applied = [await self._attempts(m, e) for _, m, e in todo]
            for (i, _, domain_event), outcome in zip(todo, applied, strict=True):
                outcomes[i] = outcome
                if outcome in ("success", "duplicate"):
                    self._seen.add(str(domain_event.event_id))
        final = [outcomes[i] for i in range(len(messages))]
        for message, outcome in zip(messages, final, strict=True):
            self._report(message, outcome)
        return final

    async def handle(self, message: Message) -> Outcome:
        """One message on its own (Dapr delivers one per request): one transaction per
        attempt, holding the handler's effects and the processed id."""
        parsed = await self._parse(message)
        if isinstance(parsed, str):
            outcome: Outcome = parsed
        elif str(parsed.event_id) in self._seen:
            outcome = "duplicate"
        else:
            outcome = await self._attempts(message, parsed)
            if outcome in ("success", "duplicate"):
                self._seen.add(str(parsed.event_id))
        self._report(message, outcome)
        return outcome

    def _report(self, message: Message, outcome: Outcome) -> None:
        # In the message's trace and correlation: the line joins the request's logs.
        with _message_context(message):
            logger.info(
                "event handled",
                extra={
                    "consumer": self.name,
                    "topic": message.topic,
                    "outcome": outcome,
                    "event_id": message.headers.get(HEADER_EVENT_ID),
                },
            )
        EVENTS_CONSUMED.labels(service=self.name, topic=message.topic, outcome=outcome).inc()

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

    async def _parse(self, message: Message) -> DomainEvent | Outcome:
        """The event, or what became of a message that holds none (skipped or parked)."""
        try:
            envelope = json.loads(message.value)
            if not isinstance(envelope, dict):
                raise ValueError("message is not a JSON object")
            return parse_event(message.topic, envelope)
        except UnknownSchemaVersion as exc:
            logger.warning(
                "skipping event: %s", exc, extra={"consumer": self.name, "topic": message.topic}
            )
            return "skipped"
        except (ValueError, ValidationError) as exc:
            # A malformed message fails the same way every time: no retries.
            return await self._park(message, f"invalid event: {exc}", traceback.format_exc(), 1)

    async def _attempts(self, message: Message, domain_event: DomainEvent) -> Outcome:
        """Up to max_attempts transactions with backoff, then the dead letter. An outage is
        not the message's fault: TransientError goes up at once, for the transport."""
        attempts = self._delivery.max_attempts
        retrying = AsyncRetrying(
            stop=stop_after_attempt(attempts),
            wait=wait_exponential(multiplier=self._delivery.retry_delay_seconds),
            # Not a cancellation (a shutdown): tenacity would count it as a failed attempt.
            retry=retry_if_exception(_message_fault),
            after=self._log_failure,
        )
        try:
            async for attempt in retrying:
                with attempt, _infrastructure():
                    batch = [(message, domain_event)]
                    [outcome] = await anyio.to_thread.run_sync(self._apply, batch)
        except RetryError as exhausted:
            error = exhausted.last_attempt.exception()
            assert error is not None
            trace = (
                "" if isinstance(error, _RetryAsked) else "".join(traceback.format_exception(error))
            )
            return await self._park(
                message, _describe(error), trace, attempts, str(domain_event.event_id)
            )
        return outcome

    def _log_failure(self, state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        if error is not None and not isinstance(error, _RetryAsked):
            logger.warning(
                "handler failed (attempt %d): %s",
                state.attempt_number,
                _describe(error),
                extra={"consumer": self.name},
            )
