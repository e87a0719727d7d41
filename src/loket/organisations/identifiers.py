"""Belgian and Flemish identifiers: the KBO number (ondernemingsnummer) and the OVO code (Wegwijs)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_KBO_SEPARATORS = re.compile(r"[\s./-]")
_OVO = re.compile(r"^OVO[0-9]{6}$")


def normalise_kbo(value: str) -> str:
    """The KBO number as stored (10 digits) from the ways people write it: "0207.437.468", "0207437468",
    "207437468" (the old 9-digit number, before the leading 0), "BE 0207.437.468", "BE0207437468".
    Anything else comes back without its separators, for the validator to explain."""
    compact = _KBO_SEPARATORS.sub("", value or "")
    if compact[:2].upper() == "BE":
        compact = compact[2:]
    if len(compact) == 9 and compact.isdigit():
        compact = "0" + compact
    return compact


def kbo_is_valid(value: str) -> bool:
    """Ten digits whose last two are 97 minus the first eight modulo 97."""
    if not re.fullmatch(r"[0-9]{10}", value):
        return False
    return 97 - int(value[:8]) % 97 == int(value[8:])


def validate_kbo(value: str) -> None:
    digits = normalise_kbo(value)
    if not re.fullmatch(r"[0-9]{10}", digits):
        raise ValidationError(
            _("Een KBO-nummer heeft 10 cijfers, bv. 0207.451.227 (u gaf '%(value)s')."),
            code="kbo_format",
            params={"value": value},
        )
    if not kbo_is_valid(digits):
        raise ValidationError(
            _("KBO-nummer %(value)s bestaat niet: het controlegetal (modulo 97) klopt niet."),
            code="kbo_checksum",
            params={"value": value},
        )


def validate_ovo(value: str) -> None:
    if not _OVO.fullmatch(value or ""):
        raise ValidationError(
            _("Een OVO-code is 'OVO' gevolgd door 6 cijfers, bv. OVO001835 (u gaf '%(value)s')."),
            code="ovo_format",
            params={"value": value},
        )
