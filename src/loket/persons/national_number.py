"""The Belgian national register number (rijksregisternummer, RRN): YYMMDD SSS CC.

The check number CC is 97 minus the first nine digits modulo 97; for births from 2000 on, the nine digits are
preceded by "2" before taking the modulo. The serial SSS is odd for men and even for women. A bis number (for
people not in the national register) adds 20 or 40 to the month: +40 when the sex was known, +20 when it was not.
A month or day of 00 means the birth date is not (fully) known.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from loket.core.errors import LazyText

_SEPARATORS = re.compile(r"[\s.\-/]")

MALE = "male"
FEMALE = "female"


class NationalNumberError(ValueError):
    """The text is not a valid national register number; `message` says why, for a clerk."""

    def __init__(self, message: str | LazyText) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class NationalNumber:
    digits: str
    birth_date: date | None
    sex: str | None  # MALE, FEMALE, or None when a bis number does not say


def normalise_national_number(value: str) -> str:
    """The 11 digits, from the ways people write it ("85.07.30-033.28", "85073003328")."""
    return _SEPARATORS.sub("", value or "")


def parse_national_number(value: str) -> NationalNumber:
    digits = normalise_national_number(value)
    if not re.fullmatch(r"[0-9]{11}", digits):
        raise NationalNumberError(_("Een rijksregisternummer heeft 11 cijfers, bv. 85.07.30-033.28."))
    base, check = int(digits[:9]), int(digits[9:])
    if 97 - base % 97 == check:
        century = 1900
    elif 97 - int("2" + digits[:9]) % 97 == check:
        century = 2000
    else:
        raise NationalNumberError(
            _("Dit rijksregisternummer klopt niet: het controlegetal (de laatste 2 cijfers) past niet.")
        )
    year, month, day = century + int(digits[:2]), int(digits[2:4]), int(digits[4:6])
    sex: str | None = MALE if int(digits[6:9]) % 2 else FEMALE
    if month > 40:
        month -= 40
    elif month > 20:
        month -= 20
        sex = None
    return NationalNumber(digits=digits, birth_date=_date_or_none(year, month, day), sex=sex)


def _date_or_none(year: int, month: int, day: int) -> date | None:
    if month == 0 or day == 0:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
