"""A channel switch and "remove all access" say in advance what they affect, tell everyone affected (real mail),
audit every lapsed request, tell a member whose access ended why on their next page, keep a typed reason through a
validation error, and keep the body's concepts readable and exportable for the helpdesk."""

import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from loket.accounts.models import AccessRequest, Membership
from loket.accounts.roles import Role
from loket.accounts.services import access_request_create
from loket.core.models import AuditEvent
from loket.organisations.services import organisation_switch_channel
from tests.conftest import grant, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def _ask(user, organisation, email):  # type: ignore[no-untyped-def]
    return access_request_create(
        user=user,
        organisation=organisation,
        first_name="Nina",
        last_name="Newcomer",
        email=email,
        phone="",
        job_title="",
        roles=["toezicht"],
        reason="Bestuurslid",
    )


def _concept(organisation, actor):  # type: ignore[no-untyped-def]
    from loket.supervision.codelists import document_types_load
    from loket.supervision.models import DocumentType
    from loket.supervision.services import submission_create

    document_types_load()
    return submission_create(
        organisation=organisation, actor=actor, document_type=DocumentType.objects.get(label="Besluitenlijst")
    )


@pytest.fixture
def board_with_people(worship_board, religiopoint, helpdesk, newcomer):  # type: ignore[no-untyped-def]
    anna = make_user("anna-kerkraad", email="anna@kerk.example")
    bert = make_user("bert-kerkraad", email="bert@kerk.example")
    grant(anna, worship_board, [Role.TOEZICHT])
    grant(bert, worship_board, [Role.TOEZICHT, Role.BERICHTEN])
    pending = _ask(newcomer, worship_board, "nina@kerk.example")
    concept = _concept(worship_board, anna)
    return {"anna": anna, "bert": bert, "pending": pending, "concept": concept}


def test_the_switch_page_says_in_advance_what_is_affected(client, worship_board, helpdesk, board_with_people):  # type: ignore[no-untyped-def]
    client.force_login(helpdesk)
    response = client.get(reverse("admin:organisations_switch_channel", args=[worship_board.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert (
        '<li data-key="members"><strong>2 actieve leden</strong>: Hun toegang tot het Loket wordt stopgezet. Ze '
        "krijgen een e-mail met de reden en lezen die ook bij hun volgende bezoek aan het Loket.</li>"
    ) in body
    assert (
        '<li data-key="requests"><strong>1 aanvraag in behandeling</strong>: Ze vervallen. De aanvragers krijgen een '
        "e-mail met de reden.</li>"
    ) in body
    assert '<li data-key="concepts"><strong>1 concept in Toezicht</strong>: Ze blijven bewaard' in body


def test_a_typed_reason_survives_a_validation_error(client, worship_board, religiopoint, helpdesk, board_with_people):  # type: ignore[no-untyped-def]
    client.force_login(helpdesk)
    url = reverse("admin:organisations_switch_channel", args=[worship_board.pk])
    reason = "Beslissing van de kerkraad van 3 december: overstap naar Religiopoint"
    response = client.post(url, {"channel": "platform", "platform": religiopoint.pk, "reason": reason})
    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="id_reason">\n{reason}</textarea>' in body
    assert body.count("Bevestig dat de toegang van alle bestuursleden tot het Loket wordt stopgezet.") == 1
    assert Membership.objects.filter(organisation=worship_board, is_active=True).count() == 2


def test_the_switch_mails_everyone_affected_and_audits_lapsed_requests(  # type: ignore[no-untyped-def]
    client, worship_board, religiopoint, helpdesk, board_with_people, smtp_server, run_worker, diocese_manager
):
    run_worker()
    smtp_server.clear()
    client.force_login(helpdesk)
    response = client.post(
        reverse("admin:organisations_switch_channel", args=[worship_board.pk]),
        {"channel": "platform", "platform": religiopoint.pk, "reason": "Beslissing kerkraad", "confirmed": "on"},
    )
    assert response.status_code == 302
    run_worker()
    mails = sorted((m.rcpt_tos, m.subject, m.body) for m in smtp_server.messages)
    reason = "Overgeschakeld naar Religiopoint: Beslissing kerkraad"
    ended_body = (
        f"Uw toegang tot het Loket voor St.-Margarita (Tielen) is stopgezet.\nReden: {reason}\n\n"
        "Vragen? Neem contact op met Bisdom Antwerpen (Bart Bisdom).\n"
    )
    assert mails == [
        (("anna@kerk.example",), "Uw toegang tot het Loket voor St.-Margarita (Tielen) is stopgezet", ended_body),
        (("bert@kerk.example",), "Uw toegang tot het Loket voor St.-Margarita (Tielen) is stopgezet", ended_body),
        (
            ("nina@kerk.example",),
            "Uw toegangsaanvraag voor St.-Margarita (Tielen) is vervallen",
            f"Uw aanvraag voor toegang tot het Loket voor St.-Margarita (Tielen) is vervallen.\nReden: {reason}\n",
        ),
    ]
    pending = board_with_people["pending"]
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by, pending.decision_reason) == (
        AccessRequest.Status.CANCELLED,
        helpdesk,
        reason,
    )
    lapsed = AuditEvent.objects.get(action="access.request_lapsed")
    assert (lapsed.organisation, lapsed.actor, lapsed.details) == (
        worship_board,
        helpdesk,
        {"request": pending.pk, "user": "nina-newcomer", "reason": reason},
    )
    switched = AuditEvent.objects.get(action="organisation.channel_switched")
    assert (switched.details["memberships_ended"], switched.details["requests_lapsed"]) == (2, 1)


def test_a_member_whose_access_ended_is_told_why_on_the_next_page(  # type: ignore[no-untyped-def]
    client, worship_board, religiopoint, helpdesk, board_with_people
):
    anna = board_with_people["anna"]
    client.force_login(anna)
    assert client.get("/").status_code == 200  # works for the worship board
    organisation_switch_channel(
        organisation=worship_board,
        channel="platform",
        platform=religiopoint,
        reason="Beslissing kerkraad",
        actor=helpdesk,
        confirmed=True,
    )
    ended = Membership.objects.get(user=anna, organisation=worship_board)
    when = timezone.localtime(ended.ended_at).strftime("%-d %B %Y %H:%M")
    body = client.get("/").content.decode()
    assert ("Uw toegang tot St.-Margarita (Tielen) is stopgezet op ") in body
    assert "Reden: Overgeschakeld naar Religiopoint: Beslissing kerkraad" in body
    assert when.split(" ")[0] in body
    # Said once: the next page is quiet again.
    assert "is stopgezet op" not in client.get("/").content.decode()


def test_concepts_stay_readable_and_exportable_for_the_helpdesk(  # type: ignore[no-untyped-def]
    client, worship_board, religiopoint, helpdesk, board_with_people
):
    organisation_switch_channel(
        organisation=worship_board,
        channel="platform",
        platform=religiopoint,
        reason="Beslissing",
        actor=helpdesk,
        confirmed=True,
    )
    concept = board_with_people["concept"]
    concept.refresh_from_db()
    client.force_login(helpdesk)
    page = client.get(reverse("admin:supervision_submission_change", args=[concept.pk]))
    assert page.status_code == 200
    assert "Formuliergegevens van het concept" in page.content.decode()
    assert concept.source_ttl.strip()
    assert escape(concept.source_ttl) in page.content.decode()
    response = client.post(
        reverse("admin:supervision_submission_changelist"),
        {"action": "export_zip", "_selected_action": [concept.pk]},
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == [f"{worship_board.key}/{concept.uuid}/formulier.ttl"]
    assert archive.read(archive.namelist()[0]).decode() == concept.source_ttl


def test_remove_all_access_says_what_it_affects_and_keeps_the_reason(  # type: ignore[no-untyped-def]
    client, worship_board, diocese_manager, board_with_people
):
    client.force_login(diocese_manager)
    url = reverse("accounts:manager-members", args=[worship_board.key])
    body = client.get(url).content.decode()
    assert '<li data-key="members"><strong>2 actieve leden</strong>' in body
    assert '<li data-key="requests"><strong>1 aanvraag in behandeling</strong>' in body
    assert (
        '<li data-key="concepts"><strong>1 concept in Toezicht</strong>: Ze blijven bewaard; wie later toegang krijgt '
        "met de rol Toezicht, kan ze verder afwerken.</li>"
    ) in body
    response = client.post(
        reverse("accounts:manager-end-all", args=[worship_board.key]), {"reason": "Bestuur ontbonden"}
    )
    assert response.status_code == 400
    assert ">\nBestuur ontbonden</textarea>" in response.content.decode()
    assert Membership.objects.filter(organisation=worship_board, is_active=True).count() == 2
    response = client.post(
        reverse("accounts:manager-end-all", args=[worship_board.key]), {"reason": "Bestuur ontbonden", "confirm": "on"}
    )
    assert response.status_code == 302
    assert Membership.objects.filter(organisation=worship_board, is_active=True).count() == 0
    assert AccessRequest.objects.get(pk=board_with_people["pending"].pk).status == AccessRequest.Status.CANCELLED
