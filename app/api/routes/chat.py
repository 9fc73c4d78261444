from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from app.api.deps import PathUser, RowId, SessionDep, SettingsDep
from app.api.responses import NOT_FOUND, USER_SCOPED, body_route
from app.chat import service
from app.chat.agents.base import Agent
from app.chat.agents.builtin import BuiltinAgent
from app.chat.conversations import ConversationStore
from app.models.bounds import INT32_MAX
from app.models.conversation import (
    ChatRequest,
    ChatResponse,
    ChatUndoRequest,
    ConversationPublic,
    MessagePublic,
)
from app.services.errors import NotFound
from app.transports import Transport

router = APIRouter(prefix="/api/{user_id}", tags=["chat"], responses=USER_SCOPED)


def get_conversation_store(request: Request, session: SessionDep) -> ConversationStore:
    """The app database, or with USE_DAPR=true the Dapr state store: the transport's choice."""
    transport: Transport = request.app.state.transport
    return transport.conversation_store(session)


def get_agent(settings: SettingsDep) -> Agent:
    return service.make_agent(settings)


StoreDep = Annotated[ConversationStore, Depends(get_conversation_store)]
AgentDep = Annotated[Agent, Depends(get_agent)]


@router.post("/chat", response_model=ChatResponse, responses=body_route(NOT_FOUND))
def chat(
    *,
    session: SessionDep,
    user: PathUser,
    store: StoreDep,
    agent: AgentDep,
    body: ChatRequest,
) -> ChatResponse:
    """One turn: the reply and the tool calls made; omit conversation_id to start one."""
    return service.chat(
        session=session,
        user=user,
        store=store,
        agent=agent,
        request=body,
    )


@router.post("/chat/undo", response_model=ChatResponse, responses=body_route(NOT_FOUND))
def undo(
    *,
    session: SessionDep,
    user: PathUser,
    store: StoreDep,
    body: ChatUndoRequest,
) -> ChatResponse:
    """Reverses the assistant's last `count` changes in the conversation (the UI's undo
    button): a turn "undo" answered by the built-in agent, whichever agent made them."""
    message = "undo" if body.count == 1 else f"undo the last {body.count}"
    return service.chat(
        session=session,
        user=user,
        store=store,
        agent=BuiltinAgent(),
        request=ChatRequest(conversation_id=body.conversation_id, message=message),
    )


@router.get("/conversations", response_model=list[ConversationPublic])
def list_conversations(
    *,
    user: PathUser,
    store: StoreDep,
    offset: Annotated[int, Query(ge=0, le=INT32_MAX)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> list[ConversationPublic]:
    """The user's conversations, most recently active first."""
    return [
        ConversationPublic.model_validate(c, from_attributes=True)
        for c in store.recent(user_id=user.id, limit=limit, offset=offset)
    ]


@router.get(
    "/conversations/{conversation_id}/messages",
    response_model=list[MessagePublic],
    responses=NOT_FOUND,
)
def list_messages(
    *, user: PathUser, store: StoreDep, conversation_id: RowId
) -> list[MessagePublic]:
    if store.get(user_id=user.id, conversation_id=conversation_id) is None:
        raise NotFound(f"conversation {conversation_id} not found")
    return [
        MessagePublic(
            id=m.id,
            role=m.role,
            content=m.content,
            created_at=m.created_at,
            tool_calls=m.tool_calls,
        )
        for m in store.messages(user_id=user.id, conversation_id=conversation_id)
    ]
