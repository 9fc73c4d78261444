"""A local policy pack the CLI can start without a Python language host.

`--policy-pack DIR` makes the CLI run DIR through the language plugin of the pack's runtime
(pulumi-language-python), which this project cannot build from the registries. A pack path
that is an executable file is started directly instead, as a binary analyzer plugin; the
CLI then reads PulumiPolicy.yaml beside it (name, version). So each pack gets a tiny
launcher in a temp dir: it runs the pack's __main__.py (which serves the Analyzer gRPC API
and prints its port) with this interpreter and the pack's parent directory importable.
"""

from __future__ import annotations

import shlex
import shutil
import stat
import sys
from pathlib import Path


def analyzer_launcher(pack_dir: Path, into: Path) -> Path:
    """Writes an executable that serves the pack in `pack_dir`; returns its path."""
    pack_dir = pack_dir.resolve()
    entry = pack_dir / "__main__.py"
    if not entry.is_file():
        raise FileNotFoundError(f"{pack_dir} is not a Python policy pack (no __main__.py)")
    into.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(pack_dir / "PulumiPolicy.yaml", into / "PulumiPolicy.yaml")
    launcher = into / "analyzer"
    launcher.write_text(
        "#!/bin/sh\n"
        # The CLI reads the port from stdout: no buffering, or it waits forever.
        f"PYTHONPATH={shlex.quote(str(pack_dir.parent))}${{PYTHONPATH:+:$PYTHONPATH}} "
        f"PYTHONUNBUFFERED=1 exec {shlex.quote(sys.executable)} {shlex.quote(str(entry))}\n"
    )
    launcher.chmod(launcher.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return launcher
