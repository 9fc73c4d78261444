"""OpenTelemetry traces: FastAPI, outgoing HTTP and SQL are instrumented; context crosses the
broker in the W3C `traceparent` header, which the outbox stores with each event."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from fastapi import FastAPI
from fastapi.telemetry import TelemetryConfig
from opentelemetry import context, propagate, trace
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF, ParentBased, TraceIdRatioBased
from sqlalchemy.engine import Engine

from app.core.config import Settings

TRACEPARENT = "traceparent"
# Request spans come from FastAPIInstrumentor (instrument() below). FastAPI's native telemetry
# (0.165+) would add a second server span and a span per dependency and endpoint call to every
# request, with spans recorded or not: off in every app of ours.
NATIVE_TELEMETRY_OFF: TelemetryConfig = {
    "tracing": False,
    "metrics": False,
    "logs": False,
    "operation_spans": False,
}
tracer = trace.get_tracer("taskflow")


def configure_tracing(settings: Settings) -> None:
    """Installs the process's tracer provider once; spans are exported only when an OTLP
    endpoint is configured (the SDK reads OTEL_EXPORTER_OTLP_ENDPOINT itself).

    Without an exporter nothing is sampled: spans are not recorded (no attributes, no
    processor), yet each still has ids, so logs carry a trace id and events a traceparent."""
    if isinstance(trace.get_tracer_provider(), TracerProvider):
        return
    exporting = bool(settings.otel_exporter_otlp_endpoint)
    provider = TracerProvider(
        resource=Resource.create({"service.name": f"taskflow-{settings.service_name}"}),
        sampler=ParentBased(TraceIdRatioBased(settings.otel_traces_sampler_arg))
        if exporting
        else ALWAYS_OFF,
    )
    if settings.otel_exporter_otlp_endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    HTTPXClientInstrumentor().instrument()


def instrument(app: FastAPI, engine: Engine, settings: Settings) -> None:
    # No spans per ASGI message (two or three per request): the request's span is enough.
    FastAPIInstrumentor.instrument_app(
        app, excluded_urls="healthz,readyz,metrics", exclude_spans=["receive", "send"]
    )
    if settings.otel_exporter_otlp_endpoint:
        # A span per SQL statement is worth its cost only when spans are exported.
        SQLAlchemyInstrumentor().instrument(engine=engine)


def current_traceparent() -> str | None:
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier.get(TRACEPARENT)


def current_trace_id() -> str | None:
    span_context = trace.get_current_span().get_span_context()
    return format(span_context.trace_id, "032x") if span_context.is_valid else None


@contextmanager
def span_from_headers(
    name: str, headers: Mapping[str, str], kind: trace.SpanKind
) -> Iterator[dict[str, str]]:
    """Continues the trace named in headers; yields headers carrying the new span's context."""
    token = context.attach(propagate.extract(dict(headers)))
    try:
        with tracer.start_as_current_span(name, kind=kind):
            carrier = dict(headers)
            propagate.inject(carrier)
            yield carrier
    finally:
        context.detach(token)
