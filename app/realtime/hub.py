from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict
from typing import Any, Protocol


class Client(Protocol):
    async def send_json(self, data: Any, mode: str = "text") -> None: ...

    async def close(self, code: int = 1000, reason: str | None = None) -> None: ...


class ConnectionHub:
    """Open connections by user; a message for one user never reaches another's sockets."""

    def __init__(self) -> None:
        self._clients: dict[uuid.UUID, set[Client]] = defaultdict(set)

    def connect(self, user_id: uuid.UUID, client: Client) -> None:
        self._clients[user_id].add(client)

    def disconnect(self, user_id: uuid.UUID, client: Client) -> None:
        self._clients[user_id].discard(client)
        if not self._clients[user_id]:
            del self._clients[user_id]

    def connections(self, user_id: uuid.UUID) -> int:
        return len(self._clients.get(user_id, ()))

    async def close_user(self, user_id: uuid.UUID, *, code: int, reason: str) -> None:
        """Closes every socket of the user (log out everywhere): none keeps receiving."""
        clients = list(self._clients.pop(user_id, ()))
        await asyncio.gather(*(c.close(code, reason) for c in clients), return_exceptions=True)

    async def push(self, user_id: uuid.UUID, data: dict[str, Any]) -> int:
        clients = list(self._clients.get(user_id, ()))
        results = await asyncio.gather(
            *(c.send_json(data) for c in clients), return_exceptions=True
        )
        for client, result in zip(clients, results, strict=True):
            if isinstance(result, Exception):
                self.disconnect(user_id, client)
        return sum(1 for r in results if not isinstance(r, Exception))
