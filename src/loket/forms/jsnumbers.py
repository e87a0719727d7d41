"""JavaScript number semantics (`Number(x)`, `parseInt`) as the real widgets and validators apply them."""

from __future__ import annotations

import math
import re

_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)")
_JS_WHITESPACE = " \t\n\r\x0b\x0c\xa0\ufeff\u2028\u2029"
MAX_SAFE_INTEGER = 2**53 - 1


def js_number(text: str) -> float:
    """`Number(text)`: NaN when it is not a number; the empty string is 0."""
    value = text.strip(_JS_WHITESPACE)
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
    """`parseInt(text)`: the leading integer, NaN when there is none."""
    match = re.match(r"[+-]?\d+", text.strip(_JS_WHITESPACE))
    return float(int(match.group())) if match else math.nan


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
