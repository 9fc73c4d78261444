"""Dapr: pub/sub through the sidecar, subscriptions as HTTP routes, the state store for chat
conversations, the secret store for DATABASE_URL, and the `reminder-check` cron binding.

Nothing here imports a broker, cache or cloud SDK: in Dapr mode the sidecar owns those.
"""

from __future__ import annotations

from sqlmodel import Session

from app.chat.conversations import ConversationStore
from app.consumers.base import Consumer
from app.contracts import API
from app.core.config import Settings
from app.events.transport import Publisher
from app.transports.base import ConsumerHost, DatabaseBacked, Sidecar
from app.transports.dapr.client import DaprClient, invoke_url
from app.transports.dapr.conversations import DaprConversationStore
from app.transports.dapr.publisher import DaprPublisher
from app.transports.dapr.secrets import with_secrets
from app.transports.dapr.subscriber import subscription_router


class DaprTransport(DatabaseBacked):
    """Reminders: the platform's `reminder-check` cron binding calls POST /reminder-check, so
    no replica runs a timer of its own (DatabaseBacked's reminder_jobs: none)."""

    name = "dapr"
    embeds_consumers = False

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self._client: DaprClient | None = None

    @property
    def client(self) -> DaprClient:
        # Made on first use: `taskflow serve` reads its secrets before any event loop runs.
        if self._client is None:
            self._client = DaprClient.from_settings(self.settings)
        return self._client

    def publisher(self) -> Publisher:
        return DaprPublisher(self.settings)

    def host(self, consumer: Consumer) -> ConsumerHost:
        return ConsumerHost(router=subscription_router(consumer, self.settings))

    def sidecar(self) -> Sidecar:
        return Sidecar(checks={"dapr": self.client.healthy}, close=self.client.aclose)

    def conversation_store(self, session: Session) -> ConversationStore:
        return DaprConversationStore(self.client, store=self.settings.dapr_state_store)

    def with_secrets(self) -> Settings:
        return with_secrets(self.settings)

    def api_url(self) -> str:
        return invoke_url(API.app_id, http_port=self.settings.dapr_http_port)
