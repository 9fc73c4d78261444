"""The `taskflow` console command: one entry point for every process Taskflow runs."""

from typing import Annotated

import typer
import uvicorn

from app.core import migrations
from app.core.config import Settings

cli = typer.Typer(help="Taskflow: tasks, events and an assistant.", no_args_is_help=True)


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default: HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: PORT, 8000)")] = None,
    migrate: Annotated[bool, typer.Option(help="Upgrade the schema before serving")] = True,
) -> None:
    """Serve the API (docs at /docs)."""
    from app.main import create_app

    settings = Settings()
    if migrate:
        migrations.upgrade(settings.database_url)
    uvicorn.run(
        create_app(settings),
        host=host or settings.host,
        port=port or settings.port,
        log_level=settings.log_level.lower(),
    )


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
    port: Annotated[int, typer.Option(envvar="PORT", help="Port")] = 8080,
    api_url: Annotated[str, typer.Option(envvar="API_URL", help="The API to proxy /api to")] = (
        "http://127.0.0.1:8000"
    ),
) -> None:
    """Serve only the web app, proxying /api to API_URL (the cluster's web service)."""
    from app.web.proxy import create_web_app

    uvicorn.run(create_web_app(api_url), host=host, port=port)


def main() -> None:
    cli()
