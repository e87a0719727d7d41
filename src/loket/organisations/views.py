from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from rdflib import Literal

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


@public
def werkingsgebied_resource(request: HttpRequest, key: str) -> HttpResponse:
    """An area (besluit:werkingsgebied) the organisations point to: its label, level and the bodies that govern it."""
    from django.conf import settings
    from django.utils.translation import gettext as _
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF, RDFS

    from loket.core.linkeddata import BESLUIT, EXT, PROV, graph_response
    from loket.organisations.rdf import WERKINGSGEBIED_LEVELS, werkingsgebied

    uri = URIRef(f"{settings.LOKET_URI_BASE}/id/werkingsgebieden/{key}")
    candidates = Organisation.objects.select_related("kind").filter(kind__category__in=list(WERKINGSGEBIED_LEVELS))
    governing = [org for org in candidates.order_by("pk") if (area := werkingsgebied(org)) and area[0] == uri]
    if not governing:
        raise Http404
    level = werkingsgebied(governing[0])[1]  # type: ignore[index]

    def graph() -> Graph:
        built = Graph()
        built.bind("besluit", BESLUIT)
        built.bind("prov", PROV)
        built.bind("ext", EXT)
        built.add((uri, RDF.type, PROV.Location))
        built.add((uri, RDFS.label, Literal(governing[0].name)))
        built.add((uri, EXT.werkingsgebiedNiveau, Literal(level)))
        return built

    return graph_response(
        request,
        graph=graph,
        template="core/resource.html",
        context={"uri": str(uri), "title": _("Werkingsgebied %(name)s") % {"name": governing[0].name}},
    )
