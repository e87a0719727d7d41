"""Public linked-data resources of Mandatenbeheer: mandates, fracties and public holder versions. A Draft, deleted
or non-public holder is absent (404). Organs and organs-in-time are under /id/bestuursorganen/, served by Toezicht
(one identity per organ) with what `rdf.organ_describe` adds."""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from loket.core.access import public
from loket.core.linkeddata import linked_data_response
from loket.mandates.models import Fractie, Holder, Mandate
from loket.mandates.rdf import holder_is_public


def _find(kind: str, key: object):  # type: ignore[no-untyped-def]
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
def resource(request: HttpRequest, kind: str, key: object) -> HttpResponse:
    instance, label = _find(kind, key)
    if instance is None:
        raise Http404
    return linked_data_response(
        request, instance=instance, template="mandates/resource.html", context={"instance": instance, "label": label}
    )
