"""An ASGI app served by uvicorn in a background thread, on loopback."""

from __future__ import annotations

import threading
import time

import httpx
import uvicorn
from fastapi import FastAPI

from tests.services.kafka import pick_free_ports


class LiveServer:
    """uvicorn in a daemon thread; `port` fixed lets a restarted app keep its address."""

    def __init__(self, app: FastAPI, *, port: int | None = None, probe: str = "/healthz") -> None:
        self.app = app
        self.port = port or pick_free_ports(1)[0]
        self.url = f"http://127.0.0.1:{self.port}"
        self._probe = probe
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}{self._probe}", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"server on {self.url} did not start")

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
