# syntax=docker/dockerfile:1.7
# Taskflow web app: the Vite build of web/ served by `taskflow web` on 8080.
# Build from the repository root:
#   docker build -f docker/web.Dockerfile -t ghcr.io/<owner>/taskflow-web:<sha> .

ARG NODE_IMAGE=node:22.12.0-bookworm-slim
ARG PYTHON_IMAGE=python:3.11.13-slim-bookworm
ARG UV_IMAGE=ghcr.io/astral-sh/uv:0.9.30

FROM ${UV_IMAGE} AS uv

# ---- assets: npm ci && npm run build -> /web/dist ---------------------------
# Assets are architecture-independent: build them once on the native platform.
FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS assets
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY web/ ./
RUN npm run build

# ---- build: the Python project (serves the assets) into /opt/venv ------------
FROM ${PYTHON_IMAGE} AS build
COPY --from=uv /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/venv
WORKDIR /src
COPY pyproject.toml uv.lock README.md ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-default-groups --no-install-project
COPY app ./app
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-default-groups --no-editable

# ---- runtime: slim, non-root ------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
LABEL org.opencontainers.image.source="https://github.com/taskflow/taskflow" \
      org.opencontainers.image.title="taskflow-web" \
      org.opencontainers.image.description="Taskflow web app"
RUN groupadd --system --gid 10001 taskflow \
 && useradd --system --uid 10001 --gid taskflow --home-dir /app --shell /usr/sbin/nologin taskflow
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --from=assets /web/dist /app/web/dist
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PORT=8080 \
    WEB_DIST_DIR=/app/web/dist
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '8080') + '/healthz', timeout=2)"]
CMD ["taskflow", "web"]
