# shellcheck shell=bash
# Sourced by scripts/*: puts a pinned uv on PATH, installing it from PyPI when missing.
UV_VERSION="0.9.30"
export PATH="${HOME}/.local/bin:${PATH}"
if ! command -v uv >/dev/null 2>&1; then
  python3 -m pip install --quiet --user "uv==${UV_VERSION}"
fi
