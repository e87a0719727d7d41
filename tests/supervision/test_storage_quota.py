"""The storage quota (core.quota, ASVS 12.1.3), met where a clerk meets it: uploading a decision on a Toezicht
concept and a BBC-DR report. Within the quota a file is stored and charged; the file that crosses it is refused
with a message saying the limit, when the body can send again and whom to ask, nothing of it is stored, the
refusal is audited and the first one in a window alerted; another body is unaffected; the window rolls; a save
that rolls back, or a post whose other file is refused, counts nothing."""

import datetime
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError

from loket.accounts.middleware import SESSION_KEY as ORGANISATION_KEY
from loket.accounts.roles import Role
from loket.core.models import AuditEvent
from loket.core.quota_models import QuotaCharge
from loket.reports.models import Report
from loket.reports.samples import sample_xml
from loket.supervision import form as toezicht_form
from loket.supervision.models import SubmissionFile
from loket.supervision.services import submission_create
from tests.conftest import grant, make_user
from tests.supervision.conftest import BESLUITENLIJST, name_of

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n" + b"0" * 2000
START = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC)  # 10:00 in Brussels
HELPDESK = "contacteer dan de helpdesk (LoketLokaalBestuur@vlaanderen.be)."


@pytest.fixture
def quota(settings, tmp_path: Path, fresh_throttle):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LOKET_UPLOAD_QUOTA_HOURS = 24
    settings.LOKET_UPLOAD_QUOTA_FILES = 2
    settings.LOKET_UPLOAD_QUOTA_BYTES = 5 * 1024**3
    settings.LOKET_UPLOAD_QUOTA_USER_FILES = 3
    settings.LOKET_UPLOAD_QUOTA_USER_BYTES = 5 * 1024**3
    return settings


def _concept(organisation, clerk, document_types):  # type: ignore[no-untyped-def]
    return submission_create(organisation=organisation, document_type=document_types[BESLUITENLIJST], actor=clerk)


def _upload(client, concept, name: str):  # type: ignore[no-untyped-def]
    return client.post(
        f"/toezicht/{concept.uuid}/",
        {
            name_of(concept, "documentType"): BESLUITENLIJST,
            name_of(concept, "sessionDate"): "2026-10-14",
            name_of(concept, "files") + "__upload": SimpleUploadedFile(name, PDF, content_type="application/pdf"),
        },
    )


def _on_disk(settings) -> list[str]:  # type: ignore[no-untyped-def]
    root = Path(settings.MEDIA_ROOT)
    return sorted(path.name for path in root.rglob("*") if path.is_file()) if root.exists() else []


def _refusal(holder_says: str, again: str) -> str:
    return (
        f"{holder_says} Dit bestand is niet bewaard. U kunt opnieuw bestanden opladen vanaf {again}. "
        f"Is dit een vergissing of moet er dringend meer door, {HELPDESK}"
    )


BODY_FULL = "Uw bestuur heeft de grens bereikt van wat het Loket bewaart: 2 bestanden of 5 GB per 24 uur."


def test_the_upload_that_crosses_the_quota_is_refused_audited_and_alerted_once(
    client,
    clerk,
    municipality,
    document_types,
    quota,
):  # type: ignore[no-untyped-def]
    concepts = [_concept(municipality, clerk, document_types) for _ in range(4)]  # each post its own concept
    client.force_login(clerk)
    with time_machine.travel(START, tick=False):
        assert _upload(client, concepts[0], "een.pdf").status_code == 200
    with time_machine.travel(START + datetime.timedelta(hours=1), tick=False):
        assert _upload(client, concepts[1], "twee.pdf").status_code == 200
    assert _on_disk(quota) == ["een.pdf", "twee.pdf"]
    assert (
        list(QuotaCharge.objects.values_list("organisation", "user", "size", "source"))
        == [(municipality.pk, clerk.pk, len(PDF), "upload")] * 2
    )

    with time_machine.travel(START + datetime.timedelta(hours=2), tick=False):
        refused = _upload(client, concepts[2], "drie.pdf")
        again = _upload(client, concepts[3], "vier.pdf")

    assert refused.status_code == 400
    assert f"drie.pdf: {_refusal(BODY_FULL, '08/12/2026 10:00')}" in refused.content.decode()
    assert again.status_code == 400
    assert _on_disk(quota) == ["een.pdf", "twee.pdf"]
    assert sorted(SubmissionFile.objects.values_list("original_name", flat=True)) == ["een.pdf", "twee.pdf"]
    assert QuotaCharge.objects.count() == 2
    events = AuditEvent.objects.filter(action="core.quota_exceeded").order_by("pk")
    assert [(e.actor, e.organisation, e.details["bestand"], e.details["grens"]) for e in events] == [
        (clerk, municipality, "drie.pdf", "bestuur"),
        (clerk, municipality, "vier.pdf", "bestuur"),
    ]
    assert events[0].details == {
        "grens": "bestuur",
        "bestand": "drie.pdf",
        "grootte": len(PDF),
        "bestanden": 2,
        "bytes": 2 * len(PDF),
        "max_bestanden": 2,
        "max_bytes": 5 * 1024**3,
        "uren": 24,
        "bron": "upload",
    }
    alerts = AuditEvent.objects.filter(action="security.alert")
    assert [(a.details["kind"], a.details["client"], a.details["limit"]) for a in alerts] == [
        ("opslagquotum", "bestuur Aalst", 2)
    ]


def test_another_body_is_unaffected(
    client,
    clerk,
    stranger,
    municipality,
    other_municipality,
    document_types,
    quota,
):  # type: ignore[no-untyped-def]
    grant(stranger, other_municipality, [Role.TOEZICHT])
    QuotaCharge.objects.bulk_create(
        [
            QuotaCharge(at=START, organisation=municipality, size=1, storage_name=f"x/{n}", source="upload")
            for n in (1, 2)
        ]
    )
    concept = _concept(other_municipality, stranger, document_types)
    client.force_login(stranger)
    with time_machine.travel(START, tick=False):
        response = _upload(client, concept, "ander.pdf")
    assert response.status_code == 200
    assert _on_disk(quota) == ["ander.pdf"]
    assert not AuditEvent.objects.filter(action="core.quota_exceeded").exists()


def test_the_window_rolls(client, clerk, municipality, document_types, quota):  # type: ignore[no-untyped-def]
    concepts = [_concept(municipality, clerk, document_types) for _ in range(3)]
    with time_machine.travel(START, tick=False):
        client.force_login(clerk)
        assert _upload(client, concepts[0], "een.pdf").status_code == 200
        assert _upload(client, concepts[1], "twee.pdf").status_code == 200
        assert _upload(client, concepts[2], "drie.pdf").status_code == 400
    with time_machine.travel(START + datetime.timedelta(hours=24, seconds=1), tick=False):
        client.force_login(clerk)
        assert _upload(client, concepts[2], "drie.pdf").status_code == 200
    assert _on_disk(quota) == ["drie.pdf", "een.pdf", "twee.pdf"]


def test_a_user_acting_for_many_bodies_has_a_bound_of_their_own(
    client,
    municipality,
    other_municipality,
    document_types,
    quota,
):  # type: ignore[no-untyped-def]
    manager = make_user("beheerder")
    grant(manager, municipality, [Role.TOEZICHT])
    grant(manager, other_municipality, [Role.TOEZICHT])
    here, there = _concept(municipality, manager, document_types), _concept(other_municipality, manager, document_types)
    QuotaCharge.objects.bulk_create(
        [
            QuotaCharge(at=START, organisation=other_municipality, user=manager, size=1, storage_name=f"x/{n}")
            for n in (1, 2)
        ]
    )
    client.force_login(manager)
    session = client.session
    session[ORGANISATION_KEY] = municipality.pk
    session.save()
    with time_machine.travel(START + datetime.timedelta(hours=1), tick=False):
        assert _upload(client, here, "een.pdf").status_code == 200
        refused = _upload(client, _concept(municipality, manager, document_types), "twee.pdf")
    assert refused.status_code == 400
    says = "U hebt de grens bereikt van wat het Loket per gebruiker bewaart: 3 bestanden of 5 GB per 24 uur."
    assert f"twee.pdf: {_refusal(says, '08/12/2026 10:00')}" in refused.content.decode()
    assert there.files.count() == 0 and _on_disk(quota) == ["een.pdf"]


def test_a_save_that_rolls_back_counts_nothing(
    client,
    clerk,
    municipality,
    document_types,
    quota,
    monkeypatch,
):  # type: ignore[no-untyped-def]
    concept = _concept(municipality, clerk, document_types)

    def failing(graph):  # type: ignore[no-untyped-def]
        raise DatabaseError("the database went away")

    monkeypatch.setattr(toezicht_form, "serialize_source", failing)
    client.force_login(clerk)
    response = _upload(client, concept, "een.pdf")
    assert response.status_code == 400
    assert "Uw gegevens konden niet bewaard worden." in response.content.decode()
    assert not QuotaCharge.objects.exists() and _on_disk(quota) == []


def test_a_report_post_whose_other_file_is_refused_counts_nothing(client, municipality, quota):  # type: ignore[no-untyped-def]
    clerk = make_user("bea")
    grant(clerk, municipality, [Role.BBCDR])
    client.force_login(clerk)
    files = [
        SimpleUploadedFile("rapport.xml", sample_xml(kbo=municipality.kbo), content_type="application/xml"),
        SimpleUploadedFile(
            "kapot.xbrl", b"<?xml version='1.0'?><niet-af" + b" " * 2000, content_type="application/xml"
        ),
    ]
    response = client.post("/bbcdr/nieuw/", {"bestanden": files})
    assert response.status_code == 400
    assert not QuotaCharge.objects.exists() and _on_disk(quota) == [] and not Report.objects.exists()


def test_a_report_over_the_quota_is_refused_with_nothing_stored(client, municipality, quota):  # type: ignore[no-untyped-def]
    clerk = make_user("bea")
    grant(clerk, municipality, [Role.BBCDR])
    QuotaCharge.objects.bulk_create(
        [QuotaCharge(at=START, organisation=municipality, size=1, storage_name=f"x/{n}") for n in (1, 2)]
    )
    client.force_login(clerk)
    upload = SimpleUploadedFile("rapport.xml", sample_xml(kbo=municipality.kbo), content_type="application/xml")
    with time_machine.travel(START + datetime.timedelta(hours=3), tick=False):
        response = client.post("/bbcdr/nieuw/", {"bestanden": [upload]})
    assert response.status_code == 400
    assert f"rapport.xml: {_refusal(BODY_FULL, '08/12/2026 10:00')}" in response.content.decode()
    assert _on_disk(quota) == [] and not Report.objects.exists() and QuotaCharge.objects.count() == 2
    assert AuditEvent.objects.get(action="core.quota_exceeded").details["bron"] == "upload"


def test_charges_older_than_the_window_are_purged(municipality, quota):  # type: ignore[no-untyped-def]
    from loket.core.quota import quota_charges_purge

    QuotaCharge.objects.bulk_create(
        [
            QuotaCharge(
                at=START - datetime.timedelta(hours=hours), organisation=municipality, size=1, storage_name=name
            )
            for hours, name in ((25, "x/oud"), (23, "x/nieuw"))
        ]
    )
    with time_machine.travel(START, tick=False):
        purge = quota_charges_purge(10)
    assert (purge.count, purge.is_complete) == (1, True)
    assert list(QuotaCharge.objects.values_list("storage_name", flat=True)) == ["x/nieuw"]
    assert AuditEvent.objects.get(action="quota.purged").details == {"count": 1, "hours": 24}
