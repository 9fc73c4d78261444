"""Generate Taskflow's Grafana dashboards (infra/observability/dashboards/*.json).

The JSON files are committed; tests/delivery checks they equal this generator's
output, so edit this file and re-run it rather than editing the JSON:

    uv run python infra/observability/build_dashboards.py           # write
    uv run python infra/observability/build_dashboards.py --check   # exit 1 if stale

Queries name only the metrics listed in docs/contracts.md. The `service` label
carries the process name of the contracts table (api, recurring, ..., web).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DASHBOARD_DIR = Path(__file__).resolve().parent / "dashboards"
SCHEMA_VERSION = 39
RATE = "$__rate_interval"
DATASOURCE: dict[str, str] = {"type": "prometheus", "uid": "${datasource}"}

Json = dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class Query:
    expr: str
    legend: str = ""


@dataclass(frozen=True, kw_only=True)
class Panel:
    title: str
    queries: tuple[Query, ...]
    kind: str = "timeseries"  # timeseries | stat
    unit: str = "short"
    width: int = 12
    height: int = 8
    description: str = ""
    thresholds: tuple[tuple[str, float | None], ...] = ()


@dataclass(frozen=True, kw_only=True)
class Dashboard:
    uid: str
    title: str
    tags: tuple[str, ...]
    panels: tuple[Panel, ...]
    variables: tuple[Json, ...] = field(default_factory=tuple)


# --------------------------------------------------------------------------- helpers


def _thresholds(steps: tuple[tuple[str, float | None], ...]) -> Json:
    if not steps:
        steps = (("green", None),)
    return {
        "mode": "absolute",
        "steps": [{"color": color, "value": value} for color, value in steps],
    }


def _panel_json(panel: Panel, *, panel_id: int, x: int, y: int) -> Json:
    targets = [
        {
            "datasource": DATASOURCE,
            "expr": query.expr,
            "legendFormat": query.legend or "__auto",
            "refId": chr(ord("A") + index),
        }
        for index, query in enumerate(panel.queries)
    ]
    body: Json = {
        "id": panel_id,
        "type": panel.kind,
        "title": panel.title,
        "description": panel.description,
        "datasource": DATASOURCE,
        "gridPos": {"h": panel.height, "w": panel.width, "x": x, "y": y},
        "fieldConfig": {
            "defaults": {"unit": panel.unit, "thresholds": _thresholds(panel.thresholds)},
            "overrides": [],
        },
        "options": {"legend": {"displayMode": "list", "placement": "bottom", "showLegend": True}},
        "targets": targets,
    }
    if panel.kind == "stat":
        body["options"] = {
            "colorMode": "background",
            "graphMode": "area",
            "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
        }
    return body


def _layout(panels: tuple[Panel, ...]) -> list[Json]:
    """Place panels left to right on a 24-column grid, wrapping rows."""
    out: list[Json] = []
    x = y = row_height = 0
    for index, panel in enumerate(panels, start=1):
        if x + panel.width > 24:
            x, y, row_height = 0, y + row_height, 0
        out.append(_panel_json(panel, panel_id=index, x=x, y=y))
        x += panel.width
        row_height = max(row_height, panel.height)
    return out


def _datasource_variable() -> Json:
    return {
        "name": "datasource",
        "label": "Data source",
        "type": "datasource",
        "query": "prometheus",
        "current": {},
        "hide": 0,
    }


def _service_variable(services: tuple[str, ...]) -> Json:
    options = ",".join(services)
    return {
        "name": "service",
        "label": "Service",
        "type": "custom",
        "query": options,
        "multi": True,
        "includeAll": True,
        "current": {"selected": True, "text": ["All"], "value": ["$__all"]},
        "options": [],
        "hide": 0,
    }


def render(dashboard: Dashboard) -> Json:
    return {
        "uid": dashboard.uid,
        "title": dashboard.title,
        "tags": list(dashboard.tags),
        "editable": True,
        "graphTooltip": 1,
        "refresh": "30s",
        "schemaVersion": SCHEMA_VERSION,
        "time": {"from": "now-6h", "to": "now"},
        "timezone": "browser",
        "version": 1,
        "templating": {"list": [_datasource_variable(), *dashboard.variables]},
        "annotations": {"list": []},
        "panels": _layout(dashboard.panels),
    }


# --------------------------------------------------------------------------- panel sets


def http_panels(selector: str) -> tuple[Panel, ...]:
    """The four golden signals of an HTTP process, for a `service` label selector."""
    requests = f"http_requests_total{{{selector}}}"
    errors = f'http_requests_total{{{selector},status=~"5.."}}'
    buckets = f"http_request_duration_seconds_bucket{{{selector}}}"
    return (
        Panel(
            title="Request rate",
            unit="reqps",
            width=8,
            queries=(
                Query(expr=f"sum by (service) (rate({requests}[{RATE}]))", legend="{{service}}"),
            ),
        ),
        Panel(
            title="5xx error ratio",
            unit="percentunit",
            width=8,
            description="Alert TaskflowHighErrorRate fires above 5% for 5 minutes.",
            thresholds=(("green", None), ("red", 0.05)),
            queries=(
                Query(
                    expr=(
                        f"sum by (service) (rate({errors}[{RATE}]))"
                        f" / sum by (service) (rate({requests}[{RATE}]))"
                    ),
                    legend="{{service}}",
                ),
            ),
        ),
        Panel(
            title="Latency p50 / p95 / p99",
            unit="s",
            width=8,
            description="Alert TaskflowHighLatency fires when p95 stays above 2 s for 10 minutes.",
            thresholds=(("green", None), ("orange", 2.0)),
            queries=tuple(
                Query(
                    expr=(
                        f"histogram_quantile({q}, sum by (service, le) (rate({buckets}[{RATE}])))"
                    ),
                    legend=f"{{{{service}}}} p{round(q * 100)}",
                )
                for q in (0.5, 0.95, 0.99)
            ),
        ),
        Panel(
            title="Requests by route and status",
            unit="reqps",
            queries=(
                Query(
                    expr=f"sum by (route, status) (rate({requests}[{RATE}]))",
                    legend="{{route}} {{status}}",
                ),
            ),
        ),
        Panel(
            title="p95 latency by route",
            unit="s",
            queries=(
                Query(
                    expr=(
                        f"histogram_quantile(0.95, sum by (route, le) (rate({buckets}[{RATE}])))"
                    ),
                    legend="{{route}}",
                ),
            ),
        ),
    )


def restart_panel(pod_regex: str) -> Panel:
    return Panel(
        title="Container restarts (5m)",
        unit="short",
        width=24,
        height=6,
        description="Alert TaskflowPodRestarts fires above 3 restarts in 5 minutes.",
        thresholds=(("green", None), ("orange", 3.0)),
        queries=(
            Query(
                expr=(
                    "sum by (pod) (increase(kube_pod_container_status_restarts_total"
                    f'{{pod=~"{pod_regex}"}}[5m]))'
                ),
                legend="{{pod}}",
            ),
        ),
    )


def consumer_panels() -> tuple[Panel, ...]:
    consumed = 'taskflow_events_consumed_total{service=~"$service"}'
    return (
        Panel(
            title="Events consumed by outcome",
            unit="ops",
            queries=(
                Query(
                    expr=f"sum by (service, outcome) (rate({consumed}[{RATE}]))",
                    legend="{{service}} {{outcome}}",
                ),
            ),
        ),
        Panel(
            title="Retries and dead-lettered events",
            unit="ops",
            queries=(
                Query(
                    expr=(
                        "sum by (service, outcome) (rate(taskflow_events_consumed_total"
                        f'{{service=~"$service",outcome=~"retry|dlq"}}[{RATE}]))'
                    ),
                    legend="{{service}} {{outcome}}",
                ),
            ),
        ),
        Panel(
            title="Consumer lag by group and topic",
            unit="short",
            description="Alert TaskflowConsumerLag fires above 1000 for 5 minutes.",
            thresholds=(("green", None), ("orange", 1000.0)),
            queries=(
                Query(
                    expr=(
                        "sum by (group, topic) "
                        '(taskflow_consumer_lag{group=~"taskflow-($service)"})'
                    ),
                    legend="{{group}} {{topic}}",
                ),
            ),
        ),
        Panel(
            title="Reminders fired",
            unit="ops",
            queries=(
                Query(
                    expr=f"sum(rate(taskflow_reminders_fired_total[{RATE}]))", legend="reminders"
                ),
            ),
        ),
    )


def kafka_panels() -> tuple[Panel, ...]:
    return (
        Panel(
            title="Consumer lag per group",
            unit="short",
            thresholds=(("green", None), ("orange", 1000.0)),
            queries=(Query(expr="sum by (group) (taskflow_consumer_lag)", legend="{{group}}"),),
        ),
        Panel(
            title="Consumer lag per partition",
            unit="short",
            queries=(
                Query(
                    expr="max by (group, topic, partition) (taskflow_consumer_lag)",
                    legend="{{group}} {{topic}}/{{partition}}",
                ),
            ),
        ),
        Panel(
            title="Published per topic",
            unit="ops",
            queries=(
                Query(
                    expr=f"sum by (topic) (rate(taskflow_events_published_total[{RATE}]))",
                    legend="{{topic}}",
                ),
            ),
        ),
        Panel(
            title="Publish failures per topic",
            unit="ops",
            queries=(
                Query(
                    expr=f"sum by (topic) (rate(taskflow_events_publish_failures_total[{RATE}]))",
                    legend="{{topic}}",
                ),
            ),
        ),
        Panel(
            title="Consumed per topic",
            unit="ops",
            queries=(
                Query(
                    expr=f"sum by (topic) (rate(taskflow_events_consumed_total[{RATE}]))",
                    legend="{{topic}}",
                ),
            ),
        ),
        Panel(
            title="DLQ depth",
            unit="short",
            description="Alert TaskflowDLQNotEmpty fires when any dead-letter topic holds events.",
            thresholds=(("green", None), ("orange", 1.0)),
            queries=(Query(expr="max by (topic) (taskflow_dlq_depth)", legend="{{topic}}"),),
        ),
        Panel(
            title="Outbox backlog",
            unit="short",
            width=24,
            description="Alert TaskflowOutboxBacklogGrowing: still growing after 15 minutes.",
            queries=(Query(expr="sum(taskflow_outbox_backlog)", legend="backlog"),),
        ),
    )


def system_health_panels() -> tuple[Panel, ...]:
    return (
        Panel(
            title="Requests/s (all services)",
            unit="reqps",
            queries=(Query(expr=f"sum(rate(http_requests_total[{RATE}]))"),),
            kind="stat",
            width=6,
            height=5,
        ),
        Panel(
            title="5xx ratio (all services)",
            unit="percentunit",
            thresholds=(("green", None), ("red", 0.05)),
            queries=(
                Query(
                    expr=(
                        f'sum(rate(http_requests_total{{status=~"5.."}}[{RATE}]))'
                        f" / sum(rate(http_requests_total[{RATE}]))"
                    )
                ),
            ),
            kind="stat",
            width=6,
            height=5,
        ),
        Panel(
            title="Worst p95 latency",
            unit="s",
            thresholds=(("green", None), ("orange", 2.0)),
            queries=(
                Query(
                    expr=(
                        "max(histogram_quantile(0.95, sum by (service, le) "
                        f"(rate(http_request_duration_seconds_bucket[{RATE}]))))"
                    )
                ),
            ),
            kind="stat",
            width=6,
            height=5,
        ),
        Panel(
            title="Restarts (1h)",
            unit="short",
            thresholds=(("green", None), ("orange", 1.0)),
            queries=(
                Query(
                    expr=(
                        "sum(increase(kube_pod_container_status_restarts_total"
                        '{pod=~"taskflow-.*"}[1h]))'
                    )
                ),
            ),
            kind="stat",
            width=6,
            height=5,
        ),
        Panel(
            title="Total consumer lag",
            unit="short",
            thresholds=(("green", None), ("orange", 1000.0)),
            queries=(Query(expr="sum(taskflow_consumer_lag)"),),
            kind="stat",
            width=6,
            height=5,
        ),
        Panel(
            title="Events in DLQs",
            unit="short",
            thresholds=(("green", None), ("orange", 1.0)),
            queries=(Query(expr="sum(taskflow_dlq_depth)"),),
            kind="stat",
            width=6,
            height=5,
        ),
        Panel(
            title="Outbox backlog",
            unit="short",
            queries=(Query(expr="sum(taskflow_outbox_backlog)"),),
            kind="stat",
            width=6,
            height=5,
        ),
        Panel(
            title="Reminders fired (1h)",
            unit="short",
            queries=(Query(expr="sum(increase(taskflow_reminders_fired_total[1h]))"),),
            kind="stat",
            width=6,
            height=5,
        ),
        Panel(
            title="Request rate by service",
            unit="reqps",
            queries=(
                Query(
                    expr=f"sum by (service) (rate(http_requests_total[{RATE}]))",
                    legend="{{service}}",
                ),
            ),
        ),
        Panel(
            title="5xx ratio by service",
            unit="percentunit",
            queries=(
                Query(
                    expr=(
                        f'sum by (service) (rate(http_requests_total{{status=~"5.."}}[{RATE}]))'
                        f" / sum by (service) (rate(http_requests_total[{RATE}]))"
                    ),
                    legend="{{service}}",
                ),
            ),
        ),
    )


# --------------------------------------------------------------------------- dashboards

CONSUMERS = ("recurring", "reminders", "audit", "realtime")


def dashboards() -> dict[str, Dashboard]:
    """File stem -> dashboard."""
    return {
        "taskflow-api": Dashboard(
            uid="taskflow-api",
            title="Taskflow / API",
            tags=("taskflow", "service"),
            panels=(*http_panels('service="api"'), restart_panel("taskflow-api-.*")),
        ),
        "taskflow-consumers": Dashboard(
            uid="taskflow-consumers",
            title="Taskflow / Consumers",
            tags=("taskflow", "service", "kafka"),
            variables=(_service_variable(CONSUMERS),),
            panels=(
                *consumer_panels(),
                *http_panels('service=~"$service"'),
                restart_panel("taskflow-(recurring|reminders|audit|realtime)-.*"),
            ),
        ),
        "taskflow-web": Dashboard(
            uid="taskflow-web",
            title="Taskflow / Web",
            tags=("taskflow", "service"),
            panels=(*http_panels('service="web"'), restart_panel("taskflow-web-.*")),
        ),
        "taskflow-kafka": Dashboard(
            uid="taskflow-kafka",
            title="Taskflow / Kafka overview",
            tags=("taskflow", "kafka"),
            panels=kafka_panels(),
        ),
        "taskflow-system-health": Dashboard(
            uid="taskflow-system-health",
            title="Taskflow / System health",
            tags=("taskflow", "overview"),
            panels=system_health_panels(),
        ),
    }


def rendered() -> dict[str, str]:
    """File name -> exact file content."""
    return {
        f"{stem}.json": json.dumps(render(board), indent=2, sort_keys=True) + "\n"
        for stem, board in dashboards().items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="exit 1 if committed JSON is stale")
    parser.add_argument("--out", type=Path, default=DASHBOARD_DIR)
    args = parser.parse_args(argv)
    out: Path = args.out
    stale: list[str] = []
    for name, content in rendered().items():
        path = out / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == content:
            continue
        if args.check:
            stale.append(name)
        else:
            out.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
            print(f"wrote {path}")
    expected = set(rendered())
    extra = sorted(p.name for p in out.glob("*.json") if p.name not in expected)
    if args.check and (stale or extra):
        print(f"stale: {stale}; not generated: {extra}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
