"""The DCAT-AP catalogue of the public datasets: one `dcat:Dataset` per dataset with its latest dumps as
distributions (N-Triples and Turtle, gzipped), each with byte size, SHA-256 checksum (SPDX), modified date, the
licence from settings and the change-feed position it matches."""

from django.conf import settings
from django.urls import reverse
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from loket.core.linkeddata import EXT, datasets, new_graph
from loket.opendata.dumps import latest
from loket.opendata.models import Dump

SPDX = Namespace("http://spdx.org/rdf/terms#")
MEDIA_TYPES = {Dump.Kind.NTRIPLES: "application/n-triples", Dump.Kind.TURTLE: "text/turtle"}
GZIP = URIRef("http://www.iana.org/assignments/media-types/application/gzip")


def catalogue_uri() -> str:
    return settings.LOKET_SITE_URL + reverse("opendata:catalogue")


def dataset_uri(name: str) -> str:
    return f"{catalogue_uri().rstrip('/')}/{name}"


def distribution_url(dump: Dump) -> str:
    return settings.LOKET_SITE_URL + reverse("opendata:dump", args=[dump.dataset, dump.kind])


def catalogue_graph():  # type: ignore[no-untyped-def]
    graph = new_graph()
    graph.bind("dcat", DCAT)
    graph.bind("spdx", SPDX)
    catalogue = URIRef(catalogue_uri())
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    graph.add((catalogue, DCTERMS.title, Literal("Open data van het Loket voor Lokale Besturen", lang="nl")))
    licence = URIRef(settings.LOKET_OPENDATA_LICENSE)
    for dataset in datasets():
        node = URIRef(dataset_uri(dataset.name))
        graph.add((catalogue, DCAT.dataset, node))
        graph.add((node, RDF.type, DCAT.Dataset))
        graph.add((node, DCTERMS.identifier, Literal(dataset.name)))
        graph.add((node, DCTERMS.title, Literal(dataset.title, lang="nl")))
        graph.add((node, DCTERMS.description, Literal(dataset.description, lang="nl")))
        graph.add((node, DCTERMS.license, licence))
        for subject in dataset.subjects:
            graph.add((node, DCTERMS.subject, URIRef(subject)))
        for kind in (Dump.Kind.NTRIPLES, Dump.Kind.TURTLE):
            dump = latest(dataset.name, kind)
            if dump is None:
                continue
            graph.add((node, DCTERMS.modified, Literal(dump.created_at.isoformat(), datatype=XSD.dateTime)))
            distribution = URIRef(f"{dataset_uri(dataset.name)}/{kind}")
            graph.add((node, DCAT.distribution, distribution))
            graph.add((distribution, RDF.type, DCAT.Distribution))
            graph.add((distribution, DCAT.downloadURL, URIRef(distribution_url(dump))))
            graph.add((distribution, DCAT.mediaType, Literal(MEDIA_TYPES[kind])))
            graph.add((distribution, DCAT.compressFormat, GZIP))
            graph.add((distribution, DCAT.byteSize, Literal(dump.size, datatype=XSD.nonNegativeInteger)))
            graph.add((distribution, DCTERMS.modified, Literal(dump.created_at.isoformat(), datatype=XSD.dateTime)))
            graph.add((distribution, DCTERMS.license, licence))
            graph.add((distribution, EXT.feedPosition, Literal(dump.feed_position, datatype=XSD.integer)))
            checksum = BNode(f"checksum-{dump.sha256[:16]}")
            graph.add((distribution, SPDX.checksum, checksum))
            graph.add((checksum, RDF.type, SPDX.Checksum))
            graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
            graph.add((checksum, SPDX.checksumValue, Literal(dump.sha256, datatype=XSD.hexBinary)))
    return graph
