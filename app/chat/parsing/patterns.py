"""The parsers' phrases: regular expressions that ignore case, as chat messages do."""

from __future__ import annotations

import re


def phrase(source: str) -> re.Pattern[str]:
    return re.compile(source, re.IGNORECASE)


def phrases(*sources: str) -> list[re.Pattern[str]]:
    """Alternative sentence shapes for one meaning, tried in order (the first match wins)."""
    return [phrase(source) for source in sources]
