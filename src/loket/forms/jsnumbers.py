"""JavaScript number semantics (`Number(x)`, `parseInt`) as the real widgets and validators apply them."""

from __future__ import annotations

import math
import re

_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)")
# What JavaScript's trim() and Number() skip: ASCII whitespace, no-break space, the Unicode space separators,
# line and paragraph separators and the byte order mark.
JS_WHITESPACE = (
    " \t\n\r\x0b\x0c\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
MAX_SAFE_INTEGER = 2**53 - 1


def js_number(text: str) -> float:
    """`Number(text)`: NaN when it is not a number; the empty string is 0."""
    value = text.strip(JS_WHITESPACE)
    if value == "":
        return 0.0
    if value in {"Infinity", "+Infinity"}:
        return math.inf
    if value == "-Infinity":
        return -math.inf
    for prefix, base in (("0x", 16), ("0o", 8), ("0b", 2)):
        if value[:2].lower() == prefix:
            try:
                return float(int(value[2:], base))
            except ValueError:
                return math.nan
    if _DECIMAL.fullmatch(value):
        return float(value)
    return math.nan


def is_safe_integer(number: float) -> bool:
    return math.isfinite(number) and number == int(number) and abs(number) <= MAX_SAFE_INTEGER


def js_parse_int(text: str) -> float:
    """`parseInt(text)`: the leading integer (hexadecimal after 0x), NaN when there is none."""
    value = text.strip(JS_WHITESPACE)
    sign = -1 if value.startswith("-") else 1
    value = value[1:] if value[:1] in {"+", "-"} else value
    if value[:2].lower() == "0x":
        match = re.match(r"[0-9a-fA-F]+", value[2:])
        return float(sign * int(match.group(), 16)) if match else math.nan
    match = re.match(r"[0-9]+", value)
    return float(sign * int(match.group())) if match else math.nan


def js_number_text(number: float) -> str:
    """`String(number)` for the values the widgets write."""
    if is_safe_integer(number) or (math.isfinite(number) and number == int(number) and abs(number) < 1e21):
        return str(int(number))
    text = repr(number)
    if "e" in text:
        mantissa, exponent = text.split("e")
        sign = "-" if exponent.startswith("-") else "+"
        text = f"{mantissa.removesuffix('.0')}e{sign}{exponent.lstrip('+-').lstrip('0') or '0'}"
    return text


_JS_DATE = re.compile(
    r"([+-][0-9]{6}|[0-9]{1,5})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?"
    r"(?:(?:[T ]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)|(Z))?"
)


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 in the proleptic Gregorian calendar (any year, as JavaScript's Date)."""
    year -= month <= 2
    era = (year if year >= 0 else year - 399) // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


def js_date_milliseconds(text: str) -> float:
    """`new Date(text).getTime()` for the date and date-time forms V8 accepts (NaN otherwise).

    As V8: a day past the month's end rolls over (2024-02-30 is 1 March), hour 24 is the next midnight,
    a date-time without offset is local time (taken as UTC, the servers' zone)."""
    match = _JS_DATE.fullmatch(text.strip(JS_WHITESPACE))
    if match is None:
        return math.nan
    year_text, month, day, hour, minute, second, fraction, offset, _zulu = match.groups()
    month_number, day_number = int(month or 1), int(day or 1)
    hours, minutes, seconds = int(hour or 0), int(minute or 0), int(second or 0)
    if not (1 <= month_number <= 12 and 1 <= day_number <= 31 and minutes <= 59 and seconds <= 59):
        return math.nan
    if hours > 24 or (hours == 24 and (minutes or seconds or int(fraction or 0))):
        return math.nan
    days = _days_from_civil(int(year_text), month_number, 1) + day_number - 1
    milliseconds = (
        ((days * 24 + hours) * 60 + minutes) * 60_000 + seconds * 1000 + int((fraction or "0")[:3].ljust(3, "0"))
    )
    if offset and offset != "Z":
        sign = -1 if offset[0] == "+" else 1
        digits = offset[1:].replace(":", "")
        milliseconds += sign * (int(digits[:2]) * 60 + int(digits[2:])) * 60_000
    return float(milliseconds)
