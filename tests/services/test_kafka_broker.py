"""The real Kafka broker harness: create a topic, produce (acks=all), consume, survive a restart."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from .kafka import KAFKA_VERSION, KafkaBroker, kafka_home, kafka_installed

pytestmark = pytest.mark.kafka


@pytest.fixture
def broker() -> Iterator[KafkaBroker]:
    if not kafka_installed():
        reason = (
            f"Kafka {KAFKA_VERSION} jars missing in {kafka_home()}; "
            "run `bash scripts/deps/kafka.sh`"
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    with KafkaBroker() as running:
        yield running


async def _consume_one(bootstrap: str, topic: str) -> tuple[bytes | None, bytes | None]:
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"test-{uuid.uuid4().hex}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        batches = await consumer.getmany(timeout_ms=20_000, max_records=1)
        records = [record for batch in batches.values() for record in batch]
        assert records, f"no record consumed from {topic}"
        return records[0].key, records[0].value
    finally:
        await consumer.stop()


async def test_produce_consume_survives_restart(broker: KafkaBroker) -> None:
    topic = f"task-events-{uuid.uuid4().hex[:8]}"

    admin = AIOKafkaAdminClient(bootstrap_servers=broker.bootstrap_servers)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])
        assert topic in await admin.list_topics()
    finally:
        await admin.close()

    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap_servers, acks="all")
    await producer.start()
    try:
        meta = await producer.send_and_wait(topic, key=b"user-42", value=b'{"event":"created"}')
        assert meta.offset == 0
    finally:
        await producer.stop()

    assert await _consume_one(broker.bootstrap_servers, topic) == (
        b"user-42",
        b'{"event":"created"}',
    )

    port, controller_port = broker.port, broker.controller_port
    await broker.astop()
    assert not broker.running
    await broker.astart()
    assert (broker.port, broker.controller_port) == (port, controller_port)

    assert await _consume_one(broker.bootstrap_servers, topic) == (
        b"user-42",
        b'{"event":"created"}',
    )
