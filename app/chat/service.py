"""One chat turn: load the conversation, let the agent answer with the tools, store both sides."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from openai import OpenAI
from sqlmodel import Session

from app.chat.agents.base import Agent, AgentRequest, ToolCall, ToolRunner, Turn
from app.chat.agents.builtin import BuiltinAgent
from app.chat.agents.openai_agent import OpenAIAgent
from app.chat.conversations import ConversationStore, NewMessage
from app.chat.tools import ToolContext
from app.core.config import Settings
from app.core.db import utcnow
from app.models.conversation import ChatRequest, ChatResponse
from app.models.user import User
from app.services.errors import NotFound

HISTORY_TURNS = 20


def make_agent(settings: Settings, clock: Callable[[], datetime] = utcnow) -> Agent:
    """The model-backed agent when OPENAI_API_KEY is set, else the built-in one."""
    if settings.openai_api_key:
        client = OpenAI(
            api_key=settings.openai_api_key, base_url=settings.openai_base_url, timeout=60
        )
        return OpenAIAgent(client=client, model=settings.openai_model, clock=clock)
    return BuiltinAgent(clock=clock)


def chat(
    *,
    session: Session,
    user: User,
    store: ConversationStore,
    agent: Agent,
    request: ChatRequest,
) -> ChatResponse:
    if request.conversation_id is None:
        conversation = store.create(user_id=user.id, title=request.message)
    else:
        found = store.get(user_id=user.id, conversation_id=request.conversation_id)
        if found is None:
            raise NotFound(f"conversation {request.conversation_id} not found")
        conversation = found
    history = [
        Turn(
            role=m.role,
            content=m.content,
            tool_calls=tuple(
                ToolCall(name=c.name, arguments=c.arguments, result=c.result) for c in m.tool_calls
            ),
        )
        for m in store.messages(
            user_id=user.id, conversation_id=conversation.id, limit=HISTORY_TURNS
        )
    ]
    store.append(
        user_id=user.id,
        conversation_id=conversation.id,
        message=NewMessage(role="user", content=request.message),
    )
    runner = ToolRunner(context=ToolContext(session=session, user=user))
    reply = agent.respond(
        AgentRequest(message=request.message, history=history, timezone=user.timezone, tools=runner)
    )
    calls = list(runner.calls)
    store.append(
        user_id=user.id,
        conversation_id=conversation.id,
        message=NewMessage(role="assistant", content=reply, tool_calls=calls),
    )
    return ChatResponse(
        conversation_id=conversation.id,
        reply=reply,
        tool_calls=calls,
    )
