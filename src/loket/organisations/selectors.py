"""Reads about organisations."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from loket.organisations.identifiers import normalise_kbo
from loket.organisations.models import Channel, Organisation, OrganisationKind, TargetGroup


def organisation_search(query: str, *, limit: int = 25) -> QuerySet[Organisation]:
    """Organisations by name (any part) or KBO number (with or without dots)."""
    query = query.strip()
    if len(query) < 2:
        return Organisation.objects.none()
    digits = normalise_kbo(query)
    condition = Q(name__icontains=query)
    if digits.isdigit() and len(digits) >= 4:
        condition |= Q(kbo__startswith=digits)
        if not digits.startswith("0"):  # typed without the leading 0 of the 10-digit number
            condition |= Q(kbo__startswith="0" + digits)
    in_local_bodies = Organisation.target_groups.through.objects.filter(
        organisation_id=OuterRef("pk"), targetgroup__code=TargetGroup.LOCAL_BODIES
    )
    return (
        Organisation.objects.filter(condition)
        .annotate(is_ready=Exists(in_local_bodies))
        .select_related("kind", "platform")
        .order_by("name")[:limit]
    )


def organisation_by_key(key: str) -> Organisation | None:
    """By the last segment of its URI (the uuid or the worship boards' hash)."""
    return Organisation.objects.select_related("kind").filter(uri__endswith="/" + key).first()


def organisation_by_code(code: str) -> Organisation | None:
    """By the code the identity provider sends (`vo_orgcode`): a KBO number or an OVO code.

    Eight KBO numbers occur on two URIs (historic bodies); an active body wins over an inactive one."""
    code = code.strip()
    if not code:
        return None
    condition = Q(ovo_code=code.upper()) if code.upper().startswith("OVO") else Q(kbo=normalise_kbo(code))
    candidates = list(Organisation.objects.filter(condition).select_related("kind"))
    candidates.sort(key=lambda org: (org.status != "Actief", org.name == "", org.uri))
    return candidates[0] if candidates else None


def channel_refusal_message(organisation: Organisation) -> str:
    """Why this organisation cannot work in the Loket now, or '' when it can."""
    if organisation.channel == Channel.LOKET:
        return ""
    since = date_format(organisation.channel_since, "j F Y") if organisation.channel_since else "?"
    platform = organisation.platform.name if organisation.platform else _("een ander platform")
    return _(
        "%(org)s werkt sinds %(since)s via %(platform)s en niet via het Loket. Een bestuur gebruikt één kanaal; "
        "wil het bestuur overschakelen naar het Loket, dan meldt het dat aan de helpdesk."
    ) % {"org": organisation.display_name, "since": since, "platform": platform}


def organisation_place(organisation: Organisation) -> str:
    """The municipality a body belongs to, as far as the Loket knows it: a municipality (or its OCMW) is its own
    place; another body's is the municipality that supervises it; else its province ('' when unknown)."""
    if organisation.kind and organisation.kind.category in {
        OrganisationKind.Category.MUNICIPALITY,
        OrganisationKind.Category.OCMW,
    }:
        return organisation.name
    municipality = (
        organisation.supervised_by.filter(kind__category=OrganisationKind.Category.MUNICIPALITY)
        .order_by("name")
        .values_list("name", flat=True)
        .first()
    )
    if municipality:
        return municipality
    return _("provincie %(province)s") % {"province": organisation.province} if organisation.province else ""


INACTIVE_STATUS = "Niet Actief"


def organisation_is_active_status(status: str) -> bool:
    """'Actief', 'In oprichting' and a body without a status count as active; only 'Niet Actief' does not."""
    return status.strip().lower() != INACTIVE_STATUS.lower()


def organisation_active_with_kbo(kbo: str, *, exclude_pk: int | None = None) -> Organisation | None:
    """The active body that already carries this KBO number, if any (a KBO number belongs to one active body)."""
    candidates = Organisation.objects.filter(kbo=kbo).exclude(status__iexact=INACTIVE_STATUS).select_related("kind")
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    return candidates.order_by("pk").first()


def target_group_problem(organisation: Organisation) -> str:
    """Why members of this body cannot ask for access yet because of its target group, or ''."""
    if organisation.target_groups.filter(code=TargetGroup.LOCAL_BODIES).exists():
        return ""
    return _(
        "%(org)s is nog niet klaargezet in de doelgroep Lokale Besturen: zijn leden kunnen nog geen toegang "
        "aanvragen. Voeg de doelgroep toe zodra de aansluiting rond is."
    ) % {"org": organisation.display_name}


def organisations_by_reference(references: list[str]) -> tuple[list[Organisation], list[str]]:
    """The bodies named by URI, KBO number (written as people do) or OVO code, in one query, in the order given and
    without repeats; and the references that name no body. An active body wins over an inactive one with the same
    KBO number, as in `organisation_by_code`."""
    cleaned = [reference.strip() for reference in references if reference.strip()]
    kbos = {reference: normalise_kbo(reference) for reference in cleaned}
    candidates = Organisation.objects.filter(
        Q(uri__in=cleaned) | Q(kbo__in=set(kbos.values()) - {""}) | Q(ovo_code__in=[r.upper() for r in cleaned])
    ).select_related("kind")
    ranked = sorted(candidates, key=lambda org: (org.status != "Actief", org.name == "", org.uri))
    by_key: dict[str, Organisation] = {}
    for org in ranked:
        for key in (org.uri, org.kbo, org.ovo_code):
            if key:
                by_key.setdefault(key, org)
    found: dict[int, Organisation] = {}
    unknown: list[str] = []
    for reference in cleaned:
        match = by_key.get(reference) or by_key.get(kbos[reference]) or by_key.get(reference.upper())
        if match is None:
            unknown.append(reference)
        else:
            found.setdefault(match.pk, match)
    return list(found.values()), unknown
