"""Apache Kafka transport (aiokafka): idempotent acks=all producer, manual-commit consumer loop,
dead letters on `{topic}-dlq` topics (and a copy in the table)."""

import asyncio
import contextlib
import logging
import os
import socket
import ssl
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError

from app.consumers.base import Consumer
from app.contracts import TOPICS, dlq_topic
from app.core.config import Settings
from app.core.metrics import CONSUMER_LAG
from app.events.transport import Message, Publisher, TransientPublishError
from app.transports.base import ConsumerHost, DatabaseBacked

logger = logging.getLogger(__name__)


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
        try:
            await producer.start()
        except BaseException:
            await producer.stop()
            raise
        self._producer = producer

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


class KafkaConsumerLoop:
    """Polls, hands each message to the consumer, and commits only what it has processed."""

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

    async def start(self) -> None:
        await ensure_topics(self._settings)
        self._client = AIOKafkaConsumer(
            *self._consumer.topics,
            **connection_options(self._settings),
            group_id=self.group_id,
            enable_auto_commit=False,
            auto_offset_reset=self._offset_reset,
            max_poll_records=200,
        )
        await self._client.start()

    async def stop(self) -> None:
        if self._client is not None:
            await self._client.stop()
            self._client = None

    async def poll_once(self, timeout_ms: int = 500) -> int:
        assert self._client is not None
        batches = await self._client.getmany(timeout_ms=timeout_ms)
        handled = 0
        for partition, records in batches.items():
            await self._consumer.handle_batch([_message(record) for record in records])
            handled += len(records)
            # Commit after processing: a crash before this line redelivers, and dedup absorbs it.
            await self._client.commit({partition: records[-1].offset + 1})
        await self._report_lag()
        return handled

    async def _report_lag(self) -> None:
        assert self._client is not None
        for tp in self._client.assignment():
            end = self._client.highwater(tp)
            if end is None:
                continue
            position = await self._client.position(tp)
            CONSUMER_LAG.labels(
                group=self.group_id, topic=tp.topic, partition=str(tp.partition)
            ).set(max(0, end - position))

    async def run(self) -> None:
        await self.start()
        try:
            while True:
                await self.poll_once()
        finally:
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

    def host(self, consumer: Consumer) -> ConsumerHost:
        return ConsumerHost(run=KafkaConsumerLoop(self.settings, consumer).run)
