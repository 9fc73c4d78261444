"""Prometheus metrics; names are listed in docs/contracts.md and used by the dashboards."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

HTTP_REQUESTS = Counter(
    "http_requests_total", "HTTP requests handled", ["service", "method", "route", "status"]
)
HTTP_LATENCY = Histogram(
    "http_request_duration_seconds",
    "HTTP request latency",
    ["service", "method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10),
)
EVENTS_PUBLISHED = Counter("taskflow_events_published_total", "Events published", ["topic"])
EVENTS_PUBLISH_FAILURES = Counter(
    "taskflow_events_publish_failures_total", "Failed publish attempts", ["topic"]
)
EVENTS_CONSUMED = Counter(
    "taskflow_events_consumed_total",
    "Events handled by consumers, by outcome (success|duplicate|retry|dlq|skipped)",
    ["service", "topic", "outcome"],
)
OUTBOX_BACKLOG = Gauge("taskflow_outbox_backlog", "Outbox events not yet published")
CONSUMER_LAG = Gauge(
    "taskflow_consumer_lag", "Messages behind the log end", ["group", "topic", "partition"]
)
DLQ_DEPTH = Gauge("taskflow_dlq_depth", "Messages parked in a dead-letter queue", ["topic"])
REMINDERS_FIRED = Counter("taskflow_reminders_fired_total", "Reminders fired")
