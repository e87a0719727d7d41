"""The real Loket's delta-stream endpoints (`/sync/<stream>/files`, the files and the initial dump's JSON:API
documents); the rules are in `opendata.delta`. Public, as the real streams are (no account configured)."""

import json
import uuid

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.core.access import public
from loket.core.security import as_download, file_download
from loket.opendata import delta
from loket.opendata.models import DeltaDump, DeltaFile

JSON_API = "application/vnd.api+json"


def _json(document: object, status: int = 200) -> HttpResponse:
    return HttpResponse(json.dumps(document, indent=2), status=status, content_type=JSON_API)


def _error(status: int, title: str) -> HttpResponse:
    return _json({"errors": [{"status": str(status), "title": title}]}, status)


@public
def files(request: HttpRequest, stream: str) -> HttpResponse:
    found = delta.STREAMS.get(stream)
    if found is None:
        return _error(
            404, _("Deze deltastroom bestaat niet. Stromen: %(names)s.") % {"names": ", ".join(delta.STREAMS)}
        )
    since = None
    if "since" in request.GET:
        try:
            since = delta.parse_since(request.GET["since"])
        except delta.BadSince:
            return _error(400, _("'since' is een datum en tijd in ISO 8601, bv. 2026-03-02T10:15:00.123Z."))
        if since > timezone.now():
            return _error(400, _("'since' ligt in de toekomst."))
    return _json(delta.files_document(delta.files_since(found, since)))


def provided_file(request: HttpRequest, key: uuid.UUID) -> HttpResponse | FileResponse | None:
    """A delta file or a dump at `/files/<id>/download` (None: not ours)."""
    found = DeltaFile.objects.filter(pk=key).first()
    if found is not None:
        response = HttpResponse(found.body.encode("utf-8"), content_type="application/json")
        as_download(response, filename=found.name)
        response["Cache-Control"] = "public, max-age=31536000, immutable"  # a delta file never changes
        return response
    dump = DeltaDump.objects.filter(file=key).first()
    if dump is not None:
        return file_download(
            default_storage.open(dump.storage_name, "rb"),
            filename=dump.storage_name.rsplit("/", 1)[-1],
            content_type="text/turtle",
        )
    return None


def datasets(request: HttpRequest) -> HttpResponse:
    """`/datasets?filter[subject]=…` (JSON:API), as the delta consumer asks for a stream's initial dump."""
    return _json(delta.datasets_document(request.GET.get("filter[subject]", "")))


def distributions(request: HttpRequest, dataset_id: str) -> HttpResponse:
    try:
        uuid.UUID(dataset_id)
    except ValueError:
        return _error(404, _("Deze dataset bestaat niet."))
    document = delta.distributions_document(dataset_id)
    if document is None:
        return _error(404, _("Deze dataset bestaat niet."))
    return _json(document)
