"""One async client for the Dapr sidecar's HTTP API (v1.0): pub/sub, state, invocation,
secrets and health.

Transient failures (connection refused, timeouts, 5xx from the sidecar) are retried with
exponential backoff; the sidecar's 4xx answers are logged and raised as DaprError with the
sidecar's own message, because retrying them cannot help.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

import httpx
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from app.core.config import Settings

logger = logging.getLogger(__name__)

CLOUDEVENTS_JSON = "application/cloudevents+json"
_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


def invoke_url(app_id: str, *, http_port: int = 3500, host: str = "127.0.0.1") -> str:
    """The base URL that reaches `app_id` through the local sidecar (service invocation):
    <base>/<path> calls <path> on the callee, headers such as Authorization passed through."""
    return f"http://{host}:{http_port}/v1.0/invoke/{app_id}/method"


class DaprError(Exception):
    """The sidecar refused the request (4xx); retrying will not help."""

    def __init__(self, status_code: int, message: str, error_code: str | None = None) -> None:
        super().__init__(f"dapr answered {status_code}: {message}")
        self.status_code = status_code
        self.message = message
        self.error_code = error_code


class DaprConflict(DaprError):
    """A state write or delete carried an ETag that is no longer current."""


class DaprUnavailable(Exception):
    """The sidecar stayed unreachable (or kept answering 5xx) through every retry."""


@dataclass(frozen=True, kw_only=True)
class StateEntry:
    key: str
    value: Any
    etag: str | None


def _sidecar_message(response: httpx.Response) -> tuple[str, str | None]:
    """The sidecar's error body is {"errorCode": ..., "message": ...}; fall back to the text."""
    try:
        body = response.json()
    except ValueError:
        return response.text, None
    if isinstance(body, dict):
        return str(body.get("message") or response.text), body.get("errorCode")
    return response.text, None


class DaprClient:
    """Talks to the sidecar on 127.0.0.1:<DAPR_HTTP_PORT>. Use as `async with`, or aclose()."""

    def __init__(
        self,
        *,
        http_port: int = 3500,
        host: str = "127.0.0.1",
        attempts: int = 4,
        backoff: float = 0.1,
        timeout: float = 10.0,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.base_url = f"http://{host}:{http_port}/v1.0"
        self._attempts = attempts
        self._backoff = backoff
        self._client = client or httpx.AsyncClient(timeout=timeout)

    @classmethod
    def from_settings(cls, settings: Settings, **kwargs: Any) -> Self:
        return cls(http_port=settings.dapr_http_port, **kwargs)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    # -- transport -------------------------------------------------------------------------

    async def _retrying(
        self, once: Callable[[], Awaitable[httpx.Response]], what: str
    ) -> httpx.Response:
        """Runs `once` until it stops raising _Transient, with exponential backoff."""
        try:
            async for attempt in AsyncRetrying(
                retry=retry_if_exception_type(_Transient),
                stop=stop_after_attempt(self._attempts),
                wait=wait_exponential(multiplier=self._backoff, max=2),
                reraise=True,
            ):
                with attempt:
                    return await once()
        except _Transient as exc:
            raise DaprUnavailable(f"{what}: {exc}") from exc
        raise AssertionError("unreachable")  # pragma: no cover

    async def _send(
        self, method: str, path: str, *, retry_5xx: bool = True, **kwargs: Any
    ) -> httpx.Response:
        """One call with retries; returns 2xx and 3xx answers, raises on the rest."""
        url = f"{self.base_url}/{path.lstrip('/')}"

        async def once() -> httpx.Response:
            try:
                response = await self._client.request(method, url, **kwargs)
            except httpx.TransportError as exc:
                raise _Transient(f"sidecar unreachable: {exc!r}") from exc
            if response.status_code >= 500 and retry_5xx:
                message, _ = _sidecar_message(response)
                raise _Transient(f"sidecar answered {response.status_code}: {message}")
            return response

        response = await self._retrying(once, f"{method} {path}")
        if response.status_code >= 400:
            message, code = _sidecar_message(response)
            logger.error(
                "dapr refused %s %s (%d %s): %s",
                method,
                path,
                response.status_code,
                code or "-",
                message,
            )
            error = DaprConflict if response.status_code == 409 else DaprError
            raise error(response.status_code, message, code)
        return response

    # -- pub/sub ---------------------------------------------------------------------------

    async def publish(
        self,
        pubsub: str,
        topic: str,
        data: bytes,
        *,
        content_type: str = CLOUDEVENTS_JSON,
        metadata: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Publishes `data` as is: with application/cloudevents+json Dapr keeps our envelope."""
        params = {f"metadata.{k}": v for k, v in (metadata or {}).items()} or None
        await self._send(
            "POST",
            f"publish/{pubsub}/{topic}",
            content=data,
            params=params,
            headers={"Content-Type": content_type, **(headers or {})},
        )

    # -- state -----------------------------------------------------------------------------

    async def get_state(self, store: str, key: str) -> StateEntry | None:
        response = await self._send("GET", f"state/{store}/{key}", params={"consistency": "strong"})
        if response.status_code == 204 or not response.content:
            return None
        return StateEntry(key=key, value=response.json(), etag=response.headers.get("etag"))

    async def save_state(
        self, store: str, key: str, value: Any, *, etag: str | None = None
    ) -> None:
        """Writes one key. With an etag the write succeeds only if the key still has that
        ETag (first-write-wins); otherwise DaprConflict."""
        item: dict[str, Any] = {"key": key, "value": value}
        if etag is not None:
            item["etag"] = etag
            item["options"] = {"concurrency": "first-write", "consistency": "strong"}
        await self._send("POST", f"state/{store}", json=[item])

    async def delete_state(self, store: str, key: str, *, etag: str | None = None) -> None:
        headers = {"If-Match": etag} if etag is not None else None
        params = {"concurrency": "first-write"} if etag is not None else None
        await self._send("DELETE", f"state/{store}/{key}", headers=headers, params=params)

    # -- service invocation ----------------------------------------------------------------

    async def invoke(
        self,
        app_id: str,
        method_path: str,
        *,
        http_method: str = "GET",
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
    ) -> httpx.Response:
        """Calls `method_path` on `app_id` through the sidecars and returns the callee's answer
        (4xx and 5xx from the callee are its answer, not an error). Only idempotent methods are
        retried on 5xx; a refused connection to our own sidecar is always safe to retry."""
        url = f"{self.base_url}/invoke/{app_id}/method/{method_path.lstrip('/')}"

        async def once() -> httpx.Response:
            try:
                response = await self._client.request(
                    http_method, url, content=content, headers=headers, params=params
                )
            except httpx.ConnectError as exc:
                raise _Transient(f"sidecar unreachable: {exc!r}") from exc
            if response.status_code == 503 and http_method.upper() in _IDEMPOTENT:
                raise _Transient(f"{app_id} answered 503")
            return response

        return await self._retrying(once, f"invoke {app_id}/{method_path}")

    # -- secrets ---------------------------------------------------------------------------

    async def get_secret(self, store: str, name: str) -> str:
        """The value of secret `name` (stores answer {name: value} for single-value secrets)."""
        response = await self._send("GET", f"secrets/{store}/{name}")
        values: dict[str, str] = response.json()
        if name in values:
            return values[name]
        if len(values) == 1:
            return next(iter(values.values()))
        raise DaprError(404, f"secret {name!r} has several keys: {sorted(values)}")

    # -- health ----------------------------------------------------------------------------

    async def healthy(self, *, outbound: bool = False) -> bool:
        """/v1.0/healthz answers 204 once the sidecar is fully up (components loaded, app
        reachable); /healthz/outbound as soon as the app may call the sidecar."""
        path = "healthz/outbound" if outbound else "healthz"
        try:
            response = await self._client.get(f"{self.base_url}/{path}", timeout=2.0)
        except httpx.TransportError:
            return False
        return response.status_code == 204

    async def wait_ready(
        self, *, within: float = 60.0, outbound: bool = False, interval: float = 0.2
    ) -> None:
        """Polls the health endpoint; DaprUnavailable if not healthy `within` seconds."""
        try:
            async with asyncio.timeout(within):
                while True:
                    if await self.healthy(outbound=outbound):
                        return
                    await asyncio.sleep(interval)
        except TimeoutError as exc:
            raise DaprUnavailable(
                f"sidecar at {self.base_url} not healthy after {within}s"
            ) from exc


class _Transient(Exception):
    pass
