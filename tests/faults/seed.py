"""The data the worker-kill rig (rig.py) needs for the job types that work on a body's submissions, run inside
`manage.py shell` against the rig's throwaway database: Aalst (as the test cast's municipality, tests/conftest.py) with
the governing bodies the vendor example pages name, the document types, a vendor acting for Aalst and a BBC-DR
clerk. Each `enqueue_*` makes one piece of work the way the product makes it and queues its task."""

from __future__ import annotations

from django.utils import timezone

AALST_KEY = "fa170000-0000-0000-0000-000000000018"  # not the test cast's key: pg_kill_sends.py makes those
VENDOR_URI = "http://data.lblod.info/vendors/fault-rig"
BUDGET = "http://een.domein.van.mechelen.be/besluiten/b122fc60-dabe-4fd5-b939-1765fe0c6170-6"


def base() -> None:
    from loket.accounts.roles import Role
    from loket.organisations.models import Organisation
    from loket.supervision.codelists import document_types_load
    from loket.supervision.models import GoverningBody
    from loket.vendors.services import vendor_create
    from tests.conftest import KIND, _kind, grant, make_organisation, make_user
    from tests.vendors.conftest import BODY_52CDC, BODY_F7460, COLLEGE, GEMEENTERAAD

    if Organisation.objects.filter(uuid=AALST_KEY).exists():
        return
    assert KIND
    aalst = make_organisation(
        key=AALST_KEY,
        name="Aalst",
        kbo="0207451227",
        kind=_kind("5ab0e9b8a3b2ca7c5e000001", "Gemeente", "municipality"),
        target_group=None,
    )
    document_types_load()
    GoverningBody.objects.create(
        organisation=aalst, uri=BODY_F7460, classification_uri=GEMEENTERAAD, label="Gemeenteraad"
    )
    GoverningBody.objects.create(organisation=aalst, uri=BODY_52CDC, classification_uri=COLLEGE, label="College")
    vendor_create(uri=VENDOR_URI, name="Fault rig", organisations=[aalst], key="fault-rig-key")
    grant(make_user("bea-bbcdr", email="bea@aalst.example"), aalst, [Role.BBCDR])


def enqueue_links(run: int, urls: list[str]) -> None:
    """A submission of Aalst with links to decisions, as sending one leaves them (supervision.services); each
    link's cached copy is one `cache_remote_file` task."""
    from loket.organisations.models import Organisation
    from loket.supervision.models import DocumentType, Submission, SubmissionFile
    from loket.supervision.tasks import cache_remote_file

    now = timezone.now()
    submission = Submission.objects.create(
        organisation=Organisation.objects.get(uuid=AALST_KEY),
        document_type=DocumentType.objects.order_by("pk").first(),
        form_version=f"fault-rig-{run}",
        created_at=now,
        modified_at=now,
    )
    for url in urls:
        link = SubmissionFile.objects.create(
            submission=submission,
            kind=SubmissionFile.Kind.LINK,
            url=url,
            cache_status=SubmissionFile.CacheStatus.PENDING,
            created_at=now,
        )
        cache_remote_file.enqueue(file_id=link.pk)


def enqueue_vendor_job(run: int, href: str) -> None:
    """A melding as POST /melding registers it (the budget example, its decision renamed per run)."""
    from loket.organisations.models import Organisation
    from loket.vendors.models import Vendor
    from loket.vendors.payload import SUBMITTABLE, Melding, Publisher
    from loket.vendors.services import melding_register

    vendor = Vendor.objects.get(uri=VENDOR_URI)
    aalst = Organisation.objects.get(uuid=AALST_KEY)
    melding = Melding(
        href=href,
        submitted_resource=f"{BUDGET}-run{run}",
        status=SUBMITTABLE,
        publisher=Publisher(organisation_uri=aalst.uri, vendor_uri=VENDOR_URI, key="fault-rig-key"),
        credentials=None,
    )
    melding_register(melding=melding, vendor=vendor, organisation=aalst)


def enqueue_report(run: int) -> None:
    """A BBC-DR report of Aalst, checked and sent by its clerk: sending queues the packaging, which queues the
    delivery to the SFTP target."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from loket.accounts.models import User
    from loket.core.quota import Uploader
    from loket.organisations.models import Organisation
    from loket.reports.samples import sample_xbrl, sample_xml
    from loket.reports.services import receive_files, report_check, report_create, report_send

    aalst = Organisation.objects.get(uuid=AALST_KEY)
    clerk = User.objects.get(username="bea-bbcdr")
    year = 2000 + run % 90
    files = [
        SimpleUploadedFile("jaarrekening.xml", sample_xml(kbo=aalst.kbo, year=year)),
        SimpleUploadedFile("jaarrekening.xbrl", sample_xbrl(kbo=aalst.kbo, year=year)),
    ]
    report = report_create(
        actor=clerk, organisation=aalst, received=receive_files(files, uploader=Uploader(aalst, clerk))
    )
    report = report_check(report_id=report.pk)
    report_send(actor=clerk, report=report)
