from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse

from loket.core.access import public
from loket.core.linkeddata import linked_data_response
from loket.organisations.models import Organisation

# The real Loket's URI bases for organisations (see reference/modules/open-data.md).
ORGANISATION_URI_KINDS = [
    "bestuurseenheden",
    "besturenVanDeEredienst",
    "centraleBesturenVanDeEredienst",
    "representatieveOrganen",
    "geregistreerdeOrganisaties",  # 46 in the real data (associations for social services)
]


@public
def organisation_resource(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    """Dereference an organisation's URI: HTML for people, RDF for machines."""
    uri = f"{settings.LOKET_URI_BASE}/id/{kind}/{key}"
    organisation = Organisation.objects.select_related("kind").filter(uri=uri).first()
    if organisation is None:
        raise Http404
    return linked_data_response(
        request,
        instance=organisation,
        template="organisations/organisation_resource.html",
        context={"organisation": organisation},
    )
