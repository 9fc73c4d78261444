"""The `taskflow` console command: one entry point for every process Taskflow runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer
import uvicorn

from app.contracts import CONSUMER_PORT, WEB_PORT
from app.core import migrations
from app.core.config import Settings
from app.core.logging import configure_logging

if TYPE_CHECKING:
    from fastapi import FastAPI

cli = typer.Typer(help="Taskflow: tasks, events and an assistant.", no_args_is_help=True)


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default: HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: PORT, 8000)")] = None,
    migrate: Annotated[bool, typer.Option(help="Upgrade the schema before serving")] = True,
    workers: Annotated[
        int,
        typer.Option(
            envvar="WEB_CONCURRENCY",
            min=1,
            help="API processes; more than one needs PostgreSQL and the Kafka or Dapr transport",
        ),
    ] = 1,
) -> None:
    """Serve the API (docs at /docs)."""
    from app.main import create_app
    from app.transports import select_transport

    settings = select_transport(Settings()).with_secrets()
    configure_logging(settings.service_name, settings.log_level)
    if workers > 1 and (
        settings.database_url.startswith("sqlite") or settings.event_transport == "inprocess"
    ):
        # The embedded bus, its consumers and the live-update sockets live in one process,
        # and SQLite takes one writer at a time: more processes would split them, not scale.
        raise typer.BadParameter(
            "more than one worker needs PostgreSQL (DATABASE_URL) and EVENT_TRANSPORT=kafka "
            "or USE_DAPR=true",
            param_hint="--workers / WEB_CONCURRENCY",
        )
    if migrate:
        migrations.upgrade(settings.database_url)
    uvicorn.run(
        # uvicorn starts several workers only from an import string; each builds its own app
        # (engine, relay, producer) from the environment.
        create_app(settings) if workers == 1 else "app.cli:app_from_environment",
        factory=workers > 1,
        workers=workers,
        # A worker must report ready within this; importing the app takes several seconds on
        # a busy node, and uvicorn's 5 s default killed and respawned workers in a loop.
        timeout_worker_healthcheck=60,
        host=host or settings.host,
        port=port or settings.port,
        log_level=settings.log_level.lower(),
        log_config=None,
        access_log=False,
    )


def app_from_environment() -> FastAPI:
    """The app of one `taskflow serve --workers N` process, configured from the environment."""
    from app.main import create_app
    from app.transports import select_transport

    settings = select_transport(Settings()).with_secrets()
    configure_logging(settings.service_name, settings.log_level)
    return create_app(settings)


@cli.command()
def consume(
    name: Annotated[str, typer.Argument(help="recurring | reminders | audit | realtime")],
    port: Annotated[int | None, typer.Option(help="Port for health, metrics, Dapr routes")] = None,
) -> None:
    """Run one consumer as its own service (Kafka or Dapr transport)."""
    from app.consumer_main import create_consumer_app

    _serve_service(name, lambda settings: create_consumer_app(settings, name), port)


@cli.command()
def relay(
    port: Annotated[int | None, typer.Option(help="Port for health and metrics")] = None,
) -> None:
    """Publish the outbox as its own service (PostgreSQL with Kafka or Dapr); run the API
    with OUTBOX_RELAY=service beside it."""
    from app.relay_main import SERVICE, create_relay_app

    _serve_service(SERVICE, create_relay_app, port)


def _serve_service(name: str, build: Callable[[Settings], FastAPI], port: int | None) -> None:
    from app.transports import select_transport

    settings = select_transport(Settings(service_name=name)).with_secrets()
    configure_logging(name, settings.log_level)
    try:
        app = build(settings)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    uvicorn.run(
        app, host=settings.host, port=port or CONSUMER_PORT, log_config=None, access_log=False
    )


dlq = typer.Typer(help="Dead-letter queues: list and replay parked messages.", no_args_is_help=True)
cli.add_typer(dlq, name="dlq")


@dlq.command("list")
def dlq_list(
    topic: Annotated[
        str | None, typer.Argument(help="e.g. task-events (or task-events-dlq)")
    ] = None,
    replayed: Annotated[bool, typer.Option(help="Include messages already replayed")] = False,
) -> None:
    """List parked messages with their error."""
    from sqlmodel import Session

    from app.core.db import make_engine
    from app.events.dead_letters import list_dead_letters

    with Session(make_engine(Settings().database_url)) as session:
        for item in list_dead_letters(session=session, topic=topic, include_replayed=replayed):
            typer.echo(item.model_dump_json())


@dlq.command("replay")
def dlq_replay(
    topic: Annotated[str | None, typer.Argument(help="Only this topic's dead letters")] = None,
    ids: Annotated[
        list[int] | None, typer.Option("--id", help="Only these dead-letter ids")
    ] = None,
) -> None:
    """Put parked messages back on their source topic (through the outbox)."""
    from sqlmodel import Session

    from app.core.db import make_engine
    from app.events.dead_letters import replay

    with Session(make_engine(Settings().database_url)) as session:
        count = replay(session=session, ids=ids, topic=topic)
    typer.echo(f"replayed {count} message(s)")


@cli.command("archive-activity")
def archive_activity_command(
    older_than_days: Annotated[int | None, typer.Option(help="Default: ARCHIVE_AFTER_DAYS")] = None,
) -> None:
    """Move old audit entries to the S3-compatible bucket ARCHIVE_BUCKET."""
    import boto3
    from sqlmodel import Session

    from app.core.db import make_engine
    from app.services.archive import archive_activity

    settings = Settings()
    if not settings.archive_bucket:
        raise typer.BadParameter("set ARCHIVE_BUCKET (and ARCHIVE_ENDPOINT_URL for OCI/MinIO)")
    store = boto3.client(
        "s3", endpoint_url=settings.archive_endpoint_url, region_name=settings.archive_region
    )
    with Session(make_engine(settings.database_url)) as session:
        moved = archive_activity(
            session=session,
            store=store,
            bucket=settings.archive_bucket,
            older_than_days=older_than_days or settings.archive_after_days,
        )
    typer.echo(f"archived {moved} entries")


@cli.command()
def migrate(
    revision: Annotated[str, typer.Argument(help="Target revision")] = "head",
    down: Annotated[bool, typer.Option(help="Downgrade to the revision instead")] = False,
) -> None:
    """Upgrade (or downgrade) the database schema."""
    settings = Settings()
    if down:
        migrations.downgrade(settings.database_url, revision)
    else:
        migrations.upgrade(settings.database_url, revision)


@cli.command()
def web(
    host: Annotated[str, typer.Option(envvar="HOST", help="Bind address")] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="PORT", help="Port")] = WEB_PORT,
    api_url: Annotated[
        str | None,
        typer.Option(
            envvar="API_URL",
            help="The API to proxy /api to (default: http://127.0.0.1:8000, or with "
            "USE_DAPR=true the API through Dapr service invocation)",
        ),
    ] = None,
) -> None:
    """Serve only the web app, proxying /api to API_URL (the cluster's web service)."""
    from app.transports import select_transport
    from app.web.proxy import create_web_app

    url = api_url or select_transport(Settings()).api_url()
    uvicorn.run(create_web_app(url), host=host, port=port)


@cli.command()
def mcp(
    token: Annotated[
        str | None, typer.Option(envvar="TASKFLOW_TOKEN", help="The user's access token")
    ] = None,
) -> None:
    """Serve the task tools over MCP on stdin/stdout, as the token's user."""
    import anyio

    from app.chat.mcp_server import serve_stdio, token_user
    from app.core.db import make_engine

    settings = Settings()
    engine = make_engine(settings.database_url)
    if not token or token_user(token, engine=engine, settings=settings) is None:
        typer.echo("a valid access token is needed: --token or TASKFLOW_TOKEN", err=True)
        raise typer.Exit(code=2)
    anyio.run(lambda: serve_stdio(engine=engine, settings=settings, token=token))


def main() -> None:
    cli()
