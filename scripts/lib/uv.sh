# shellcheck shell=bash
# Sourced by scripts/*: puts a pinned uv on PATH, installing it from PyPI when missing.
#
# Debian and Ubuntu mark their Python "externally managed" (PEP 668), so `pip install --user`
# is refused there. uv goes into its own environment under the cache instead, keyed by
# version: a venv when `python3 -m venv` works, else `pip install --target` (no venv module
# on a minimal Debian without python3-venv; --target is outside PEP 668's check).
UV_VERSION="0.9.30"
export PATH="${HOME}/.local/bin:${PATH}"

_taskflow_install_uv() {
  local home="${TASKFLOW_CACHE:-${HOME}/.cache/taskflow}/uv-${UV_VERSION}"
  if [[ ! -x "${home}/bin/uv" ]]; then
    echo "Installing uv ${UV_VERSION} into ${home} (once)" >&2
    rm -rf "${home}" "${home}.partial"
    mkdir -p "$(dirname "${home}")"
    if python3 -m venv "${home}.partial" >/dev/null 2>&1; then
      "${home}.partial/bin/python" -m pip install --quiet --disable-pip-version-check "uv==${UV_VERSION}"
    else
      rm -rf "${home}.partial"
      python3 -m pip install --quiet --disable-pip-version-check --target "${home}.partial" "uv==${UV_VERSION}"
    fi
    mv "${home}.partial" "${home}"
  fi
  export PATH="${home}/bin:${PATH}"
}

if ! command -v uv >/dev/null 2>&1; then
  _taskflow_install_uv
fi
