"""Reaction terms are ISO-8601 durations (the real Loket always writes P30D). A clerk types a number of days ("30");
`term_from_input` turns that into the duration that is stored, and still takes a duration typed as such."""

import re

_TERM = re.compile(r"^P(?:([0-9]{1,3})W|([0-9]{1,4})D)$")
_DAYS = re.compile(r"^[0-9]{1,4}$")


def term_days(term: str) -> int | None:
    match = _TERM.match((term or "").strip().upper())
    if not match:
        return None
    weeks, days = match.groups()
    return int(weeks) * 7 if weeks else int(days)


def term_from_input(text: str) -> str | None:
    """The stored term for what was typed: a number of days (at least one) as "P<n>D", a day or week duration
    in upper case; None for anything else."""
    typed = (text or "").strip().upper()
    if _DAYS.match(typed):
        return f"P{int(typed)}D" if int(typed) > 0 else None
    return typed if term_days(typed) is not None else None
