"""Worship pages: public linked-data resources (involvements, organs and their terms, minister positions)."""

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from loket.core.access import public
from loket.core.linkeddata import linked_data_response
from loket.worship.models import Involvement, MinisterPosition, Organ, OrganTerm

RESOURCE_KINDS = ["betrokkenLokaleBesturen", "eredienstbestuursorganen", "positiesBedienaar"]


def _public_instance(kind: str, key: str):  # type: ignore[no-untyped-def]
    try:
        value = uuid.UUID(key)
    except ValueError as error:
        raise Http404 from error
    if kind == "betrokkenLokaleBesturen":
        found = Involvement.objects.select_related("unit__organisation", "organisation").filter(uuid=value).first()
        return found, _("Betrokken lokaal bestuur")
    if kind == "positiesBedienaar":
        positions = MinisterPosition.objects.select_related(
            "unit__organisation", "unit__representative_body__organisation"
        )
        return positions.filter(uuid=value).first(), _("Positie bedienaar")
    organ = Organ.objects.select_related("unit__organisation").filter(uuid=value).first()
    if organ is not None:
        return organ, _("Bestuursorgaan")
    term = OrganTerm.objects.select_related("organ__unit__organisation").filter(uuid=value).first()
    return term, _("Bestuursorgaan in de tijd")


@public
def resource(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    """Dereference a public worship URI: HTML for people, RDF for machines."""
    instance, label = _public_instance(kind, key)
    if instance is None:
        raise Http404
    return linked_data_response(
        request, instance=instance, template="worship/resource.html", context={"instance": instance, "label": label}
    )
