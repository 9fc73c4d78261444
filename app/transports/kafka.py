"""Apache Kafka transport (aiokafka): idempotent acks=all producer, manual-commit consumer loop,
dead letters on `{topic}-dlq` topics (and a copy in the table)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import ssl
import time
from typing import Any, Protocol, TypeVar

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError
from sqlalchemy.engine import Engine
from sqlmodel import Session
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, wait_exponential

from app.consumers.base import Consumer
from app.contracts import TOPICS, dlq_topic
from app.core.config import Settings
from app.core.jobs import Job
from app.core.metrics import CONSUMER_LAG
from app.core.periodic import periodic
from app.events.transport import Message, Publisher, TransientError, TransientPublishError
from app.services.reminders import fire_due_reminders_as_leader
from app.transports.base import ConsumerHost, DatabaseBacked

logger = logging.getLogger(__name__)
# How often the lag (log end - committed offset) is read, apart from the poll loop.
LAG_REPORT_SECONDS = 2.0


def connection_options(settings: Settings) -> dict[str, Any]:
    """SASL/SSL from the environment: Strimzi and Redpanda Cloud both work."""
    options: dict[str, Any] = {
        "bootstrap_servers": settings.kafka_bootstrap_servers,
        "security_protocol": settings.kafka_security_protocol,
    }
    if settings.kafka_security_protocol in ("SSL", "SASL_SSL"):
        options["ssl_context"] = ssl.create_default_context()
    if settings.kafka_sasl_mechanism:
        options["sasl_mechanism"] = settings.kafka_sasl_mechanism
        options["sasl_plain_username"] = settings.kafka_sasl_username
        options["sasl_plain_password"] = settings.kafka_sasl_password
    return options


async def ensure_topics(settings: Settings) -> None:
    """Creates the topics and their -dlq twins if missing."""
    admin = AIOKafkaAdminClient(**connection_options(settings))
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        wanted = [t for topic in TOPICS for t in (topic, dlq_topic(topic)) if t not in existing]
        if not wanted:
            return
        new = [
            NewTopic(
                name,
                num_partitions=settings.kafka_topic_partitions,
                replication_factor=settings.kafka_topic_replication,
                topic_configs={"retention.ms": str(settings.kafka_topic_retention_ms)},
            )
            for name in wanted
        ]
        with contextlib.suppress(TopicAlreadyExistsError):
            await admin.create_topics(new)
    finally:
        await admin.close()


class _Client(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...


C = TypeVar("C", bound=_Client)


async def _started(client: C) -> C:
    """Starts a producer or consumer; one that fails to start is stopped (it may already hold
    connections and background tasks)."""
    try:
        await client.start()
    except BaseException:
        await client.stop()
        raise
    return client


class KafkaPublisher:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._producer: AIOKafkaProducer | None = None

    async def start(self) -> None:
        if self._producer is not None:
            return
        await ensure_topics(self._settings)
        producer = AIOKafkaProducer(
            **connection_options(self._settings),
            acks="all",
            enable_idempotence=True,
            linger_ms=2,
            request_timeout_ms=5000,
        )
        self._producer = await _started(producer)

    async def stop(self) -> None:
        if self._producer is not None:
            await self._producer.stop()
            self._producer = None

    async def publish(self, messages: list[Message]) -> None:
        try:
            await self.start()
            assert self._producer is not None
            # Queue the whole batch, then wait: the idempotent producer keeps per-partition order.
            pending = [
                await self._producer.send(
                    m.topic,
                    m.value,
                    key=m.key.encode() if m.key else None,
                    headers=[(k, v.encode()) for k, v in m.headers.items()],
                )
                for m in messages
            ]
            await asyncio.gather(*pending)
        except (KafkaError, OSError) as exc:
            await self._reset()
            raise TransientPublishError(str(exc)) from exc

    async def _reset(self) -> None:
        producer, self._producer = self._producer, None
        if producer is not None:
            try:
                await producer.stop()
            except Exception:
                logger.debug("producer stop failed", exc_info=True)


def _message(record: Any) -> Message:
    return Message(
        topic=record.topic,
        key=record.key.decode() if record.key else None,
        value=record.value,
        headers={k: v.decode() for k, v in (record.headers or ())},
        partition=record.partition,
        offset=record.offset,
    )


class GroupLag:
    """A group's lag per partition, from its committed offsets and the log end offsets.

    Read with an admin client, not from the consumer's own position, so it stays true when
    the consumer is stuck, restarting or gone: it can't read 0 while messages wait.
    """

    def __init__(self, settings: Settings, group_id: str, topics: tuple[str, ...]) -> None:
        self._settings = settings
        self._group_id = group_id
        self._topics = topics
        self._admin: AIOKafkaAdminClient | None = None
        self._reader: AIOKafkaConsumer | None = None

    async def read(self, *, from_end: bool) -> dict[TopicPartition, int]:
        """from_end: a partition without a committed offset starts at the log end (a broadcast
        group), else at the log start."""
        if self._admin is None or self._reader is None:
            await self.close()
            self._admin = AIOKafkaAdminClient(**connection_options(self._settings))
            await self._admin.start()
            self._reader = AIOKafkaConsumer(
                **connection_options(self._settings), enable_auto_commit=False
            )
            await self._reader.start()
        described = await self._admin.describe_topics(list(self._topics))
        partitions = [
            TopicPartition(d["topic"], p["partition"]) for d in described for p in d["partitions"]
        ]
        ends = await self._reader.end_offsets(partitions)
        starts = await self._reader.beginning_offsets(partitions)
        committed = await self._admin.list_consumer_group_offsets(self._group_id)
        lag = {}
        for tp, end in ends.items():
            done = committed[tp].offset if tp in committed else (end if from_end else starts[tp])
            lag[tp] = max(0, end - max(done, starts[tp]))
        return lag

    async def close(self) -> None:
        admin, self._admin = self._admin, None
        reader, self._reader = self._reader, None
        with contextlib.suppress(Exception):
            if admin is not None:
                await admin.close()
        with contextlib.suppress(Exception):
            if reader is not None:
                await reader.stop()


class KafkaConsumerLoop:
    """Polls, hands each message to the consumer, and commits only what it has processed.

    It survives any exception: a transient one (database or broker away) rewinds the batch and
    retries it with backoff; anything else also replaces the client. Its health is false when
    the loop has ended, or when it has made no progress for CONSUMER_STALL_SECONDS while the
    group's lag is above 0.
    """

    def __init__(self, settings: Settings, consumer: Consumer) -> None:
        self._settings = settings
        self._consumer = consumer
        # A broadcast consumer gets a group of its own per process, starting at the log end:
        # live updates are for sockets open now, not for history.
        self.group_id = (
            f"taskflow-{consumer.name}-{socket.gethostname()}-{os.getpid()}"
            if consumer.broadcast
            else f"taskflow-{consumer.name}"
        )
        self._offset_reset = "latest" if consumer.broadcast else "earliest"
        self._client: AIOKafkaConsumer | None = None
        self._running = False
        self._last_progress = time.monotonic()
        self.lag = 0
        self._retrying = AsyncRetrying(
            retry=retry_if_exception_type(Exception),
            wait=wait_exponential(multiplier=0.5, max=30),
            before_sleep=self._report_failure,
            reraise=True,
        )

    async def start(self) -> None:
        await ensure_topics(self._settings)
        client = AIOKafkaConsumer(
            *self._consumer.topics,
            **connection_options(self._settings),
            group_id=self.group_id,
            enable_auto_commit=False,
            auto_offset_reset=self._offset_reset,
            max_poll_records=200,
        )
        self._client = await _started(client)

    async def stop(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            with contextlib.suppress(Exception):
                await client.stop()

    async def poll_once(self, timeout_ms: int = 500) -> int:
        assert self._client is not None
        batches = list((await self._client.getmany(timeout_ms=timeout_ms)).items())
        handled = 0
        for i, (partition, records) in enumerate(batches):
            try:
                await self._consumer.handle_batch([_message(record) for record in records])
            except BaseException:
                # Nothing from here on is committed: the next poll hands the same records.
                for tp, unhandled in batches[i:]:
                    self._client.seek(tp, unhandled[0].offset)
                raise
            handled += len(records)
            # Commit after processing: a crash before this line redelivers, and dedup absorbs it.
            await self._client.commit({partition: records[-1].offset + 1})
        self._last_progress = time.monotonic()
        return handled

    async def _poll(self) -> None:
        if self._client is None:
            await self.start()
        try:
            await self.poll_once()
        except TransientError:
            raise  # the client is fine; the batch was rewound
        except Exception:
            await self.stop()  # a fresh client (and group membership) on the next attempt
            raise

    def _report_failure(self, state: RetryCallState) -> None:
        # Backoff bounds this to a line per attempt: 0.5 s, 1 s, 2 s ... then one per 30 s.
        error = state.outcome.exception() if state.outcome is not None else None
        logger.warning(
            "consumer loop failed (attempt %d), retrying in %.1fs: %s: %s",
            state.attempt_number,
            state.next_action.sleep if state.next_action else 0.0,
            type(error).__name__,
            error,
            extra={"consumer": self._consumer.name, "lag": self.lag},
        )

    async def _report_lag(self) -> None:
        lag = GroupLag(self._settings, self.group_id, self._consumer.topics)
        try:
            while True:
                try:
                    partitions = await lag.read(from_end=self._consumer.broadcast)
                except Exception:
                    await lag.close()  # reconnects next round; the loop reports outages
                else:
                    for tp, behind in partitions.items():
                        CONSUMER_LAG.labels(
                            group=self.group_id, topic=tp.topic, partition=str(tp.partition)
                        ).set(behind)
                    self.lag = sum(partitions.values())
                await asyncio.sleep(LAG_REPORT_SECONDS)
        finally:
            await lag.close()

    def healthy(self) -> bool:
        if not self._running:
            return False
        stalled = time.monotonic() - self._last_progress > self._settings.consumer_stall_seconds
        return not (stalled and self.lag > 0)

    async def run(self) -> None:
        self._running = True
        lag = asyncio.create_task(self._report_lag())
        try:
            while True:
                # One successful poll per call; failures retry inside with growing backoff.
                await self._retrying(self._poll)
                failed = (self._retrying.statistics.get("attempt_number") or 1) - 1
                if failed:
                    logger.warning(
                        "consumer loop recovered after %d failed attempts",
                        failed,
                        extra={"consumer": self._consumer.name, "lag": self.lag},
                    )
        finally:
            self._running = False
            lag.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await lag
            await self.stop()


async def partition_ids(settings: Settings, topic: str) -> list[int]:
    admin = AIOKafkaAdminClient(**connection_options(settings))
    await admin.start()
    try:
        [description] = await admin.describe_topics([topic])
        return sorted(p["partition"] for p in description.get("partitions", []))
    finally:
        await admin.close()


async def read_topic(settings: Settings, topic: str) -> list[Message]:
    """Every message on a topic, read without a group or commits (for inspection and tests)."""
    partitions = [TopicPartition(topic, p) for p in await partition_ids(settings, topic)]
    if not partitions:
        return []
    client = AIOKafkaConsumer(**connection_options(settings), enable_auto_commit=False)
    await client.start()
    try:
        client.assign(partitions)
        # Lets aiokafka's group-less coordinator task start; stopping it unstarted raises.
        await asyncio.sleep(0)
        ends = await client.end_offsets(partitions)
        # Explicit offsets: seek_to_beginning is lazy and can lose to the default reset.
        for tp, start in (await client.beginning_offsets(partitions)).items():
            client.seek(tp, start)
        messages: list[Message] = []

        async def behind() -> bool:
            return any([await client.position(tp) < ends[tp] for tp in partitions])

        while await behind():
            batches = await client.getmany(*partitions, timeout_ms=1000)
            for records in batches.values():
                messages.extend(_message(r) for r in records)
        return messages
    finally:
        await client.stop()


class KafkaTransport(DatabaseBacked):
    name = "kafka"
    embeds_consumers = False

    def publisher(self) -> Publisher:
        return KafkaPublisher(self.settings)

    def reminder_jobs(self, engine: Engine) -> list[Job]:
        """No cron binding without Dapr: the reminders service checks on a timer, one replica
        per tick (an advisory lock), each reminder once (its row lock and sent flag)."""

        def check() -> None:
            with Session(engine) as session:
                fire_due_reminders_as_leader(session=session)

        return [periodic(check, every=self.settings.reminder_check_seconds, what="reminder check")]

    def host(self, consumer: Consumer) -> ConsumerHost:
        loop = KafkaConsumerLoop(self.settings, consumer)
        return ConsumerHost(run=loop.run, healthy=loop.healthy)
