# syntax=docker/dockerfile:1.7
# Taskflow API and event consumers: one image, one console command.
#   api:       taskflow serve                 (port 8000, the default CMD)
#   consumers: taskflow consume <name>        (port 8001; set PORT=8001)
# Build from the repository root:
#   docker build -f docker/api.Dockerfile -t ghcr.io/<owner>/taskflow-api:<sha> .

ARG PYTHON_IMAGE=python:3.11.13-slim-bookworm
ARG UV_IMAGE=ghcr.io/astral-sh/uv:0.9.30

FROM ${UV_IMAGE} AS uv

# ---- build: resolve the locked dependencies into /opt/venv -----------------
FROM ${PYTHON_IMAGE} AS build
COPY --from=uv /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/venv
WORKDIR /src
# Dependencies first (cached layer while only app code changes).
COPY pyproject.toml uv.lock README.md ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-default-groups --no-install-project
COPY app ./app
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-default-groups --no-editable

# ---- runtime: slim, non-root ------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
LABEL org.opencontainers.image.source="https://github.com/taskflow/taskflow" \
      org.opencontainers.image.title="taskflow-api" \
      org.opencontainers.image.description="Taskflow API and event consumers"
RUN groupadd --system --gid 10001 taskflow \
 && useradd --system --uid 10001 --gid taskflow --home-dir /app --shell /usr/sbin/nologin taskflow
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PORT=8000
USER 10001:10001
EXPOSE 8000 8001
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '8000') + '/healthz', timeout=2)"]
CMD ["taskflow", "serve"]
