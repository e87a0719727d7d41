"""Names people can tell apart: how a body (bestuur) is named on every page, list and export.

Many bodies share a name: "Aalst" is a municipality and an OCMW, 57 worship boards are called "Sint-Martinus".
Wherever a name is not unique, it is followed by the body's kind and, when that is still not enough, its place
("Aalst — Gemeente", "Aalst — OCMW", "Sint-Martinus — Bestuur van de eredienst, Lier"). The place is the
supervising municipality where the Loket knows it, else the province; where even that is shared, the KBO number
follows ("Sint-Martinus — Bestuur van de eredienst, Limburg, KBO 0211.156.528"). A body without a name is named by its
KBO number. The KBO number is offered as a title (hover) or as a column by the callers.

Which names are ambiguous is decided over all bodies by one query (two, with the places), remembered in this
process for `TTL_SECONDS` and forgotten at once when an organisation changes (a generation number in the shared
cache: other processes see a change within `GENERATION_CHECK_SECONDS`).
"""

import threading
import time
from collections import Counter
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from loket.organisations.models import Organisation, OrganisationKind

TTL_SECONDS = 300
GENERATION_CHECK_SECONDS = 1.0
SEPARATOR = " — "
_GENERATION_KEY = "organisations:naming-generation"
_lock = threading.Lock()
_memo: dict[str, object] = {}


@dataclass(frozen=True)
class Qualifiers:
    """For every body whose name is shared: its kind ("" when it has none: worded in the reader's language when
    shown) and what else sets it apart (place, KBO number), by primary key. Stored without translated words, as
    the answer is shared by requests in every language."""

    by_pk: dict[int, tuple[str, str]]


def format_kbo(kbo: str) -> str:
    """0207437468 → 0207.437.468 (as printed on Belgian documents)."""
    if len(kbo) == 10 and kbo.isdigit():
        return f"{kbo[:4]}.{kbo[4:7]}.{kbo[7:]}"
    return kbo


def _compute() -> Qualifiers:
    shared = (
        Organisation.objects.exclude(name="")
        .values("name")
        .annotate(count=Count("pk"))
        .filter(count__gt=1)
        .values_list("name", flat=True)
    )
    rows = list(
        Organisation.objects.filter(name__in=shared).values_list("pk", "name", "kind__label", "province", "kbo")
    )
    through = Organisation.supervised_by.through
    places: dict[int, str] = {}
    for pk, place in through.objects.filter(
        from_organisation__name__in=shared,
        to_organisation__kind__category=OrganisationKind.Category.MUNICIPALITY,
    ).values_list("from_organisation_id", "to_organisation__name"):
        places.setdefault(pk, place)
    by_kind = Counter((name, kind or "") for _pk, name, kind, _province, _kbo in rows)
    extra: dict[int, str] = {}
    for pk, name, kind, province, _kbo in rows:
        place = places.get(pk) or province
        extra[pk] = place if by_kind[(name, kind or "")] > 1 and place and place != name else ""
    # Where name, kind and place still do not tell bodies apart (worship boards of one province whose
    # municipality the Loket does not know), the KBO number does.
    by_words = Counter((name, kind or "", extra[pk]) for pk, name, kind, _province, _kbo in rows)
    qualifiers: dict[int, tuple[str, str]] = {}
    for pk, name, kind, _province, kbo in rows:
        words = extra[pk]
        if by_words[(name, kind or "", words)] > 1 and kbo:
            words = f"{words}, KBO {format_kbo(kbo)}" if words else f"KBO {format_kbo(kbo)}"
        qualifiers[pk] = (kind or "", words)
    return Qualifiers(qualifiers)


def qualifiers() -> Qualifiers:
    """The remembered answer, recomputed when it is older than TTL_SECONDS or an organisation changed. The shared
    generation number is read at most once per GENERATION_CHECK_SECONDS (a list names many bodies; with a shared
    cache such as Redis every read is a round trip); a change in this process is seen at once."""
    now = time.monotonic()
    with _lock:
        memo = _memo.get("value")
        fresh = memo is not None and _memo["expires"] > now  # type: ignore[operator]
        if fresh and _memo["checked"] > now:  # type: ignore[operator]
            return memo  # type: ignore[return-value]
    generation = cache.get(_GENERATION_KEY, 0)
    with _lock:
        if fresh and _memo.get("generation") == generation:
            _memo["checked"] = now + GENERATION_CHECK_SECONDS
            return memo  # type: ignore[return-value]
    value = _compute()
    with _lock:
        _memo.update(
            value=value, generation=generation, expires=now + TTL_SECONDS, checked=now + GENERATION_CHECK_SECONDS
        )
    return value


def names_changed() -> None:
    """Forget the remembered names: call after creating, renaming or reclassifying organisations (also after the
    surrounding transaction commits, so that no request remembers the data it replaces)."""
    _forget()
    transaction.on_commit(_forget)


def _forget() -> None:
    if not cache.add(_GENERATION_KEY, 1, timeout=None):
        try:
            cache.incr(_GENERATION_KEY)
        except ValueError:  # evicted between add and incr
            cache.set(_GENERATION_KEY, 1, timeout=None)
    with _lock:
        _memo.clear()


def display_name(organisation: Organisation | None) -> str:
    """The name to show for `organisation`: unique as far as the name, kind and place allow."""
    if organisation is None:
        return ""
    if not organisation.name and not organisation.kbo:
        return organisation.fallback_name
    kind = organisation.kind.label if organisation.kind_id and not organisation.name else ""  # type: ignore[union-attr]
    return display_name_of(pk=organisation.pk, name=organisation.name, kbo=organisation.kbo, kind_label=kind)


def display_name_of(*, pk: int | None, name: str, kbo: str, kind_label: str | None) -> str:
    """The same, from the columns alone (for exports that read values, not objects)."""
    if not name:
        named = _("KBO %(kbo)s") % {"kbo": format_kbo(kbo)} if kbo else _("Bestuur")
        return f"{named}{SEPARATOR}{kind_label}" if kind_label else named
    found = qualifiers().by_pk.get(pk) if pk else None
    if found is None:
        return name
    kind, words = found
    kind = kind or _("Bestuur")
    return f"{name}{SEPARATOR}{kind}, {words}" if words else f"{name}{SEPARATOR}{kind}"


def display_title(organisation: Organisation | None) -> str:
    """The hover text: the KBO number."""
    if organisation is None:
        return ""
    return _("KBO %(kbo)s") % {"kbo": format_kbo(organisation.kbo)} if organisation.kbo else ""


def connect_signals() -> None:
    """Forget the remembered names whenever an organisation, its kind or its supervisors change (the admin and
    the importer write organisations in several ways; the signal is the one place they all pass)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    def changed(**kwargs: object) -> None:
        names_changed()

    for model in (Organisation, OrganisationKind):
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"naming-save-{model.__name__}")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"naming-delete-{model.__name__}")
    m2m_changed.connect(
        changed, sender=Organisation.supervised_by.through, weak=False, dispatch_uid="naming-supervised-by"
    )
