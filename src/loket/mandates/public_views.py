"""Public linked-data resources of Mandatenbeheer: mandates, fracties and public holder versions. A Draft, deleted
or non-public holder is absent (404). Organs and organs-in-time are under /id/bestuursorganen/, served by Toezicht
(one identity per organ) with what `rdf.organ_describe` adds."""

from functools import lru_cache
from uuid import UUID

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from rdflib import Graph, URIRef

from loket.core.access import public
from loket.core.linkeddata import describe, graph_response, linked_data_response
from loket.mandates.codes import PERIODS
from loket.mandates.models import Fractie, Holder, Mandate
from loket.mandates.rdf import holder_is_public


def _find(kind: str, key: UUID | str):  # type: ignore[no-untyped-def]
    if kind == "mandatarissen":
        holder = (
            Holder.objects.select_related("person", "mandate__term", "fractie", "replaced_by__mandate")
            .filter(uuid=key)
            .first()
        )
        return (holder if holder and holder_is_public(holder) else None), _("Mandataris")
    if kind == "mandaten":
        return Mandate.objects.select_related("term__organ").filter(uuid=key).first(), _("Mandaat")
    return Fractie.objects.select_related("organisation").filter(uuid=key).first(), _("Fractie")


@public
def resource(request: HttpRequest, kind: str, key: UUID | str) -> HttpResponse:
    instance, label = _find(kind, key)
    if instance is None:
        raise Http404
    return linked_data_response(
        request, instance=instance, template="mandates/resource.html", context={"instance": instance, "label": label}
    )


@lru_cache(maxsize=1)
def _periods_graph() -> Graph:
    return Graph().parse(settings.REPO_DIR / "data" / "codelists" / "legislature-periods.ttl", format="turtle")


@public
def period_resource(request: HttpRequest, key: UUID | str) -> HttpResponse:
    """A legislature period (Bestuursperiode) of the code list: its URI is under our base and the organs-in-time
    point to it, so it dereferences, with the code list's own triples."""
    period = next((p for p in PERIODS if p.uri.rsplit("/", 1)[-1] == str(key)), None)
    if period is None:
        raise Http404
    return graph_response(
        request,
        graph=lambda: describe(_periods_graph(), URIRef(period.uri)),
        template="mandates/concept.html",
        context={"uri": period.uri, "label": _("Bestuursperiode"), "name": period.label},
    )
