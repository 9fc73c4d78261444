"""Publishes outbox rows in insertion order; backs off while the broker is away."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
import weakref
from dataclasses import dataclass

import psycopg
from opentelemetry.trace import SpanKind
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from app.core.config import Settings
from app.core.metrics import EVENTS_PUBLISH_FAILURES, EVENTS_PUBLISHED, OUTBOX_BACKLOG
from app.core.sqlite_gate import ahead_of_requests
from app.core.tracing import TRACEPARENT, span_from_headers
from app.events.transport import (
    HEADER_CORRELATION_ID,
    HEADER_EVENT_ID,
    Message,
    Publisher,
    TransientPublishError,
)
from app.models.outbox import OutboxMessage
from app.repositories import outbox as rows

logger = logging.getLogger(__name__)
# One relay per database publishes; others wait on this PostgreSQL advisory lock.
RELAY_LOCK_ID = 0x7A5F_0001
# The channel the outbox's statement trigger NOTIFYs on commit (migration 0010).
OUTBOX_CHANNEL = "outbox"
LISTEN_RETRY_SECONDS = 2.0
LEADER_RETRY_SECONDS = 5.0
LISTENER_STOP_SECONDS = 2.0
BACKLOG_REPORT_SECONDS = 5.0
# A publish still pending after this long is reported as a stall (see _publish_reporting_stalls).
STALL_REPORT_SECONDS = 5.0
_relays: weakref.WeakKeyDictionary[Engine, OutboxRelay] = weakref.WeakKeyDictionary()


@event.listens_for(Session, "after_commit")
def _wake_relay(session: Session) -> None:
    if session.info.pop("outbox_pending", False):
        bind = session.get_bind()
        engine = bind.engine if isinstance(bind, Connection) else bind
        relay = _relays.get(engine)
        if relay is not None:
            relay.notify()


def _to_message(row: OutboxMessage) -> Message:
    headers = {HEADER_EVENT_ID: row.event_id}
    if row.correlation_id:
        headers[HEADER_CORRELATION_ID] = row.correlation_id
    if row.traceparent:
        headers[TRACEPARENT] = row.traceparent
    # A producer span in the request's trace; its context travels on in the headers.
    with span_from_headers(f"publish {row.topic}", headers, SpanKind.PRODUCER) as carried:
        return Message(topic=row.topic, key=row.key, value=row.payload.encode(), headers=carried)


async def start_publisher(publisher: Publisher) -> None:
    try:
        await publisher.start()
    except Exception:
        # The relay retries on its own; a process must come up while the broker is away.
        logger.warning("publisher did not start; the relay will keep trying", exc_info=True)


@dataclass(frozen=True, kw_only=True)
class Pacing:
    """How much the relay publishes per round, how often it looks without a wake-up, and the
    ceiling of its backoff while the broker is away."""

    batch_size: int = 200
    poll_seconds: float = 0.5
    max_backoff_seconds: float = 30.0

    @classmethod
    def from_settings(cls, settings: Settings) -> Pacing:
        return cls(batch_size=settings.outbox_batch_size, poll_seconds=settings.outbox_poll_seconds)


class OutboxRelay:
    def __init__(
        self,
        engine: Engine,
        publisher: Publisher,
        *,
        pacing: Pacing = Pacing(),
    ) -> None:
        self._engine = engine
        self._publisher = publisher
        self._pacing = pacing
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._failures = 0
        self._outage_backlog = 0
        self._lock_conn: Connection | None = None
        self._guard = threading.Lock()
        self._closed = False
        self._backlog_reported = 0.0
        self._listener: asyncio.Task[None] | None = None
        _relays[engine] = self

    def notify(self) -> None:
        """Called after a commit that wrote events, from any thread."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake.set)

    async def _listen(self) -> None:
        """Wakes the relay on every commit that wrote outbox rows, in any process: the commit
        hook above sees only this process's sessions. The poll stays as the fallback while
        this connection is down."""
        url = self._engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {OUTBOX_CHANNEL}")
                    self._wake.set()  # rows committed while nobody listened
                    async for _ in conn.notifies():
                        self._wake.set()
            except psycopg.Error as exc:
                logger.warning(
                    "outbox listener disconnected, reconnecting in %.0fs: %s",
                    LISTEN_RETRY_SECONDS,
                    type(exc).__name__,
                )
                await asyncio.sleep(LISTEN_RETRY_SECONDS)

    def _pending(self) -> list[OutboxMessage]:
        with Session(self._engine) as session:
            return rows.pending(session=session, limit=self._pacing.batch_size)

    def _mark_published(self, ids: list[int]) -> None:
        with Session(self._engine) as session:
            rows.mark_published(session=session, ids=ids)
            session.commit()

    def _mark_attempt(self, row_id: int) -> None:
        with Session(self._engine) as session:
            rows.count_attempt(session=session, row_id=row_id)
            session.commit()

    def backlog(self) -> int:
        with Session(self._engine) as session:
            return rows.backlog(session=session)

    def _is_leader(self) -> bool:
        # Runs in a worker thread that a shutdown cannot cancel: the guard makes sure a lock
        # taken after close() is dropped at once instead of blocking every other relay.
        with self._guard:
            if self._closed:
                return False
            if self._lock_conn is not None:
                # A session lock lasts as long as its connection: no query per round.
                return True
            conn = self._engine.connect()
            if rows.try_advisory_lock(conn, RELAY_LOCK_ID):
                conn.commit()
                self._lock_conn = conn
                return True
            conn.close()
            return False

    def _drop_leadership(self) -> None:
        with self._guard:
            if self._lock_conn is not None:
                # Dropped, not returned to the pool: a pooled connection keeps the lock.
                self._lock_conn.invalidate()
                self._lock_conn = None

    def _report_due(self) -> bool:
        return time.monotonic() - self._backlog_reported > BACKLOG_REPORT_SECONDS

    def _report_backlog(self) -> None:
        OUTBOX_BACKLOG.set(self.backlog())
        self._backlog_reported = time.monotonic()

    async def publish_pending(self) -> int:
        """Publishes one batch; returns how many were sent. Raises TransientPublishError."""
        rows = await asyncio.to_thread(self._pending)
        if not rows:
            return 0
        try:
            await self._publish_reporting_stalls([_to_message(row) for row in rows])
        except TransientPublishError:
            EVENTS_PUBLISH_FAILURES.labels(topic=rows[0].topic).inc()
            assert rows[0].id is not None
            await asyncio.to_thread(self._mark_attempt, rows[0].id)
            raise
        await asyncio.to_thread(
            self._mark_published, [row.id for row in rows if row.id is not None]
        )
        for row in rows:
            EVENTS_PUBLISHED.labels(topic=row.topic).inc()
        return len(rows)

    async def _publish_reporting_stalls(self, messages: list[Message]) -> None:
        """Publishes; a publish that hangs is reported once when it stalls and once when it
        goes through. An unreachable Kafka broker makes the producer wait (up to its request
        timeout) rather than fail, so without this an outage would pass unreported."""
        publish = asyncio.ensure_future(self._publisher.publish(messages))
        try:
            done, _ = await asyncio.wait({publish}, timeout=STALL_REPORT_SECONDS)
            if done:
                publish.result()  # its exception, if any
                return
            began = time.monotonic() - STALL_REPORT_SECONDS
            backlog = await asyncio.to_thread(self.backlog)
            logger.warning(
                "publishing stalled for %.0fs (broker unreachable?); backlog %d",
                STALL_REPORT_SECONDS,
                backlog,
                extra={"backlog": backlog},
            )
            await publish
            backlog = await asyncio.to_thread(self.backlog)
            logger.warning(
                "publishing resumed after a %.0fs stall; publishing a backlog of %d",
                time.monotonic() - began,
                backlog,
                extra={"backlog": backlog},
            )
        finally:
            publish.cancel()  # no-op once done; never left running if this round is cancelled

    async def run(self) -> None:
        self._loop = asyncio.get_running_loop()
        # Embedded (SQLite): this task's writes, and those of the consumers it hands events
        # to, go before request threads waiting for the one writer.
        ahead_of_requests.set(True)
        try:
            await self._rounds()
        finally:
            if self._listener is not None:
                self._listener.cancel()
                # Bounded: an async psycopg connection can lose a cancellation (psycopg#1371),
                # and a shutdown must not hang on the listener.
                await asyncio.wait({self._listener}, timeout=LISTENER_STOP_SECONDS)
                self._listener = None

    async def _rounds(self) -> None:
        while True:
            delay = self._pacing.poll_seconds
            # Cleared before the round, not after it: a commit during the round sets it again
            # and gets a round of its own at once instead of waiting for the next poll.
            self._wake.clear()
            try:
                # SQLite has one writer process: no election, and no thread hop to ask.
                postgres = self._engine.dialect.name == "postgresql"
                if not postgres or await asyncio.to_thread(self._is_leader):
                    if postgres and self._listener is None:
                        self._listener = asyncio.create_task(self._listen())
                    while await self.publish_pending() == self._pacing.batch_size:
                        pass
                    if self._report_due():  # checked here: no thread hop in most rounds
                        await asyncio.to_thread(self._report_backlog)
                    if self._failures:
                        logger.warning(
                            "broker reachable again after %d failed attempts; published a "
                            "backlog of %d",
                            self._failures,
                            self._outage_backlog,
                            extra={"backlog": self._outage_backlog},
                        )
                    self._failures = 0
                else:
                    # Not the leader: commits are the leader's to publish, so wake-ups would
                    # only repeat the lock query; ask again on a timer.
                    await asyncio.sleep(LEADER_RETRY_SECONDS)
                    continue
            except TransientPublishError as exc:
                self._failures += 1
                delay = min(self._pacing.max_backoff_seconds, 0.1 * 2**self._failures)
                await asyncio.to_thread(self._report_backlog)
                self._outage_backlog = await asyncio.to_thread(self.backlog)
                # Backoff bounds these lines: one per attempt, at most one per 30 s.
                logger.warning(
                    "publish failed (attempt %d), backlog %d, retrying in %.1fs: %s",
                    self._failures,
                    self._outage_backlog,
                    delay,
                    exc,
                    extra={"backlog": self._outage_backlog},
                )
            except Exception:
                # A database hiccup must not kill the relay; the next round retries.
                logger.exception("outbox relay round failed")
                self._drop_leadership()  # re-acquired on a fresh connection next round
                delay = 1.0
            if self._failures:
                # While the broker is away, commits must not cut the backoff short.
                await asyncio.sleep(delay)
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)

    def close(self) -> None:
        with self._guard:
            self._closed = True
        self._drop_leadership()
