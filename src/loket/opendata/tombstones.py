"""Deleted public resources: when an instance that is public (by its mapping's rule) is deleted, its URI gets a
`Tombstone`; dereferencing that URI then answers **410 Gone** with an `as:Tombstone` (`as:formerType`,
`as:deleted`) in the negotiated format, or a short HTML page. A resource that was never public, or that is private
now but still exists, stays the plain 404 of an unknown URI: nothing tells it exists. Saving a public instance with
that URI again lifts the tombstone."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models.signals import post_save, pre_delete
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD

from loket.core.linkeddata import graph_for, graph_response, is_public, mapping_infos, new_graph
from loket.core.statements import one_by
from loket.opendata.feed import subject_of
from loket.opendata.models import Tombstone

AS = Namespace("https://www.w3.org/ns/activitystreams#")


def _deleting(sender: Any, instance: Any, dataset: str = "", **_: Any) -> None:
    subject = subject_of(instance)
    if not subject or not is_public(instance):
        return
    types = sorted(str(o) for o in graph_for(instance).objects(URIRef(subject), RDF.type))
    Tombstone.objects.update_or_create(
        subject=subject,
        defaults={"former_type": types[0] if types else "", "dataset": dataset, "deleted_at": timezone.now()},
    )


def tombstone_record(*, subject: str, former_type: str, dataset: str) -> None:
    """A public resource that goes without a row of its own mapping's dataset (a person, published inside the
    holders' and officials' graphs, deleted by `persons.retention`): its URI answers 410 from now on."""
    Tombstone.objects.update_or_create(
        subject=subject, defaults={"former_type": former_type, "dataset": dataset, "deleted_at": timezone.now()}
    )


def _saved(sender: Any, instance: Any, created: bool = False, raw: bool = False, **_: Any) -> None:
    # Only a new row can bring a deleted URI back (a row that exists was never deleted): an update costs no query.
    if not created:
        return
    subject = subject_of(instance)
    if subject and Tombstone.objects.filter(subject=subject).exists() and is_public(instance):
        Tombstone.objects.filter(subject=subject).delete()


def connect() -> None:
    for info in mapping_infos():
        if info.dataset is None:
            continue
        label = info.model._meta.label

        def deleting(sender: Any, instance: Any, dataset: str = info.dataset, **kwargs: Any) -> None:
            _deleting(sender, instance, dataset=dataset)

        pre_delete.connect(deleting, sender=info.model, weak=False, dispatch_uid=f"opendata-tombstone-{label}")
        post_save.connect(_saved, sender=info.model, weak=False, dispatch_uid=f"opendata-revive-{label}")


def tombstone_response(request: HttpRequest, tombstone: Tombstone) -> HttpResponse:
    def graph():  # type: ignore[no-untyped-def]
        built = new_graph()
        built.bind("as", AS)
        subject = URIRef(tombstone.subject)
        built.add((subject, RDF.type, AS.Tombstone))
        if tombstone.former_type:
            built.add((subject, AS.formerType, URIRef(tombstone.former_type)))
        built.add((subject, AS.deleted, Literal(tombstone.deleted_at.isoformat(), datatype=XSD.dateTime)))
        return built

    response = graph_response(
        request, graph=graph, template="opendata/tombstone.html", context={"tombstone": tombstone}
    )
    if response.status_code == 200:
        response.status_code = 410
    return response


class TombstoneMiddleware:
    """A 404 for a URI under `LOKET_URI_BASE` that names a deleted public resource becomes its 410 with tombstone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD") or len(request.path) > 400:
            return response
        found = tombstone_of(settings.LOKET_URI_BASE + request.path)
        return tombstone_response(request, found) if found is not None else response


def tombstone_of(subject: str) -> Tombstone | None:
    """The tombstone of `subject` (unique), as `Tombstone.objects.filter(subject=subject).first()` answers it. Every
    404 of a GET asks, so it is one statement (`core.statements`): the ORM's query cost about 0.25 ms of CPU to build
    (bench/README.md, "The fixed cost of a request"; tests/opendata/test_tombstone_statement.py compares the two)."""
    return one_by(Tombstone, "subject", subject)  # type: ignore[no-any-return]
