"""Reaction terms are ISO-8601 durations (the real Loket always writes P30D)."""

import re

_TERM = re.compile(r"^P(?:([0-9]{1,3})W|([0-9]{1,4})D)$")


def term_days(term: str) -> int | None:
    match = _TERM.match((term or "").strip().upper())
    if not match:
        return None
    weeks, days = match.groups()
    return int(weeks) * 7 if weeks else int(days)
