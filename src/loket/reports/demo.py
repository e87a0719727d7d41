"""A demo BBC-DR concept for `make run`: Aalst's annual accounts 2025 as a matching pair in the test formats (the
worker checks it against the bundled test taxonomy; Gert Gemeente can send it). Safe to run again."""

from django.core.files.uploadedfile import SimpleUploadedFile

from loket.core.quota import Uploader
from loket.organisations.models import Organisation
from loket.reports.models import Report
from loket.reports.samples import sample_xbrl, sample_xml
from loket.reports.services import receive_files, report_create


def reports_demo_load() -> str:
    aalst = Organisation.objects.filter(name="Aalst", kind__category="municipality").exclude(kbo="").first()
    if aalst is None:
        return "no Aalst"
    if Report.objects.filter(organisation=aalst).exists():
        return "already there"
    files = [
        SimpleUploadedFile("jaarrekening-2025.xml", sample_xml(kbo=aalst.kbo)),
        SimpleUploadedFile("jaarrekening-2025.xbrl", sample_xbrl(kbo=aalst.kbo)),
    ]
    report_create(actor=None, organisation=aalst, received=receive_files(files, uploader=Uploader(aalst)))
    return "1 concept (Aalst, jaarrekening 2025)"
