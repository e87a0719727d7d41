"""BBC-DR's cast: a clerk of Aalst (KBO 0207451227) with role BBC-DR, a clerk of Berlare, the agency's supervisor;
the Loket's test taxonomy and XML schema switched on; sample pairs in the test formats."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from loket.accounts.roles import Role
from loket.core.quota import Uploader
from loket.reports import samples
from loket.reports.samples import sample_xbrl, sample_xml
from tests.conftest import grant, make_user
from tests.support.s3 import s3_server  # noqa: F401 - a real S3-compatible server (moto) on loopback
from tests.support.sftp import readonly_sftp_server, sftp_server  # noqa: F401 - a real OpenSSH SFTP server

AALST_KBO = "0207451227"
BERLARE_KBO = "0207437468"


@pytest.fixture(autouse=True)
def bbcdr_settings(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"  # each test its own files: "nothing stored" can be checked
    settings.LOKET_BBCDR_TAXONOMY_DIR = str(samples.SAMPLE_TAXONOMY_DIR)
    settings.LOKET_BBCDR_XSD = {samples.XML_NAMESPACE: str(samples.SAMPLE_XSD)}
    settings.LOKET_BBCDR_REQUIRE_TAXONOMY = False
    settings.LOKET_BBCDR_TARGET = ""


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def pair(kbo: str = AALST_KBO, year: int = 2025, **xbrl_options) -> list[SimpleUploadedFile]:  # type: ignore[no-untyped-def]
    return [
        upload("jaarrekening-2025.xml", sample_xml(kbo=kbo, year=year)),
        upload("jaarrekening-2025.xbrl", sample_xbrl(kbo=kbo, year=year, **xbrl_options)),
    ]


@pytest.fixture
def bbcdr_clerk(municipality):  # type: ignore[no-untyped-def]
    user = make_user("bea-bbcdr", email="bea@aalst.example")
    grant(user, municipality, [Role.BBCDR])
    return user


@pytest.fixture
def other_bbcdr_clerk(other_municipality):  # type: ignore[no-untyped-def]
    user = make_user("olaf-bbcdr")
    grant(user, other_municipality, [Role.BBCDR])
    return user


@pytest.fixture
def bbcdr_supervisor(agency):  # type: ignore[no-untyped-def]
    user = make_user("sven-supervisor")
    grant(user, agency, [Role.SUPERVISOR])
    return user


@pytest.fixture
def checked_report(bbcdr_clerk, municipality):  # type: ignore[no-untyped-def]
    """A concept of Aalst with a matching pair, checked."""
    from loket.reports.services import receive_files, report_check, report_create

    report = report_create(
        actor=bbcdr_clerk,
        organisation=municipality,
        received=receive_files(pair(), uploader=Uploader(municipality, bbcdr_clerk)),
    )
    return report_check(report_id=report.pk)


@pytest.fixture
def sent_report(checked_report, bbcdr_clerk):  # type: ignore[no-untyped-def]
    from loket.reports.services import report_send

    return report_send(actor=bbcdr_clerk, report=checked_report)
