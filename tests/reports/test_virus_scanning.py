"""A BBC-DR report file carrying the EICAR test string is refused with the signature named; nothing is kept."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from loket.core.files import FileRejected
from loket.core.models import AuditEvent
from loket.reports.services import receive_files
from tests.support.clamd import SIGNATURE_NAME, eicar

pytestmark = pytest.mark.django_db


def test_an_infected_xml_report_file_is_refused(uploader, clamd, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    content = b'<?xml version="1.0"?>\n<rapport>' + eicar() + b"<!--" + b" opvulling " * 200 + b"--></rapport>\n"
    with pytest.raises(FileRejected) as refused:
        receive_files([SimpleUploadedFile("rapport.xml", content, content_type="application/xml")], uploader=uploader)
    assert "rapport.xml" in refused.value.message_nl and SIGNATURE_NAME in refused.value.message_nl
    assert not [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]
    assert AuditEvent.objects.get(action="core.virus_found").details["bestand"] == "rapport.xml"
