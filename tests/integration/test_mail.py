"""E-mail end to end: pages → services → task queue (django-tasks-db) → the real worker → Django's SMTP backend
→ a real SMTP server on loopback."""

import pytest

from loket.accounts.models import AccessRequest, Membership
from loket.accounts.roles import MODULE_ROLES, Role
from tests.conftest import grant, make_user

pytestmark = pytest.mark.django_db(transaction=True)

FROM = "Loket voor Lokale Besturen <noreply@loket.invalid>"


def file_request(client, user, organisation, *, email: str) -> AccessRequest:  # type: ignore[no-untyped-def]
    client.force_login(user)
    response = client.post(
        f"/toegang-aanvragen/{organisation.key}/",
        {
            "first_name": "Nina",
            "last_name": "Newcomer",
            "email": email,
            "phone": "053 00 00 00",
            "job_title": "Schepen",
            "select_all": "on",
            "reason": "Bestuurslid",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/mijn-aanvragen/"
    client.logout()
    return AccessRequest.objects.get(user=user, organisation=organisation, status=AccessRequest.Status.PENDING)


def summary(mails) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(m.mail_from, m.rcpt_tos, m.subject, m.message["From"], m.message["To"]) for m in mails]


def test_request_and_approval_mails(client, smtp_server, run_worker, municipality, helpdesk, newcomer, settings):
    settings.DEFAULT_FROM_EMAIL = FROM
    access_request = file_request(client, newcomer, municipality, email="nina@aalst.example")

    assert smtp_server.messages == []  # nothing leaves before the worker runs
    run_worker()
    assert summary(smtp_server.messages) == [
        (
            "noreply@loket.invalid",
            ("hilde-helpdesk@example.org",),
            "Nieuwe toegangsaanvraag voor Aalst",
            FROM,
            "hilde-helpdesk@example.org",
        ),
    ]
    assert smtp_server.messages[0].body == (
        "Nina Newcomer vraagt toegang tot het Loket voor Aalst.\nReden: Bestuurslid\n\n"
        "Behandel de aanvraag in het Loket onder Toegangsbeheer.\n"
    )

    client.force_login(helpdesk)
    response = client.post(f"/toegangsbeheer/aanvragen/{access_request.pk}/", {"decision": "approve"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/toegangsbeheer/"
    access_request.refresh_from_db()
    assert access_request.status == AccessRequest.Status.APPROVED
    assert Membership.objects.get(user=newcomer, organisation=municipality).role_codes == sorted(
        r.value for r in MODULE_ROLES
    )

    assert len(smtp_server.messages) == 1
    run_worker()
    mails = smtp_server.messages
    assert summary(mails[1:]) == [
        (
            "noreply@loket.invalid",
            ("nina@aalst.example",),
            "Uw toegang tot het Loket voor Aalst is goedgekeurd",
            FROM,
            "nina@aalst.example",
        ),
    ]
    assert mails[1].body == (
        # the request keeps its roles sorted by code, and the mail lists them in that order
        "Uw aanvraag is goedgekeurd. U kunt zich nu aanmelden en de modules openen: BBC-DR, Berichtencentrum, "
        "Leidinggevendenbeheer, Mandatenbeheer, Personeelsbeheer, Subsidiebeheer, Toezicht.\n"
    )
    run_worker()  # the queue is empty: nothing is sent twice
    assert len(smtp_server.messages) == 2


def test_request_mail_goes_to_every_access_manager(
    client, smtp_server, run_worker, municipality, agency, helpdesk, newcomer
):
    colleague = make_user("carl-colleague", email="carl@abb.example")
    grant(colleague, agency, [Role.ACCESS_MANAGER])
    supervisor_only = make_user("sven-supervisor", email="sven@abb.example")
    grant(supervisor_only, agency, [Role.SUPERVISOR])

    file_request(client, newcomer, municipality, email="nina@aalst.example")
    run_worker()

    assert [(m.rcpt_tos, m.subject) for m in smtp_server.messages] == [
        (("carl@abb.example", "hilde-helpdesk@example.org"), "Nieuwe toegangsaanvraag voor Aalst"),
    ]


def test_request_mail_goes_to_the_helpdesk_when_the_manager_has_no_access_managers(
    client, smtp_server, run_worker, worship_board, newcomer, settings
):
    settings.LOKET_HELPDESK_EMAIL = "helpdesk@loket.test"
    file_request(client, newcomer, worship_board, email="nina@kerk.example")
    run_worker()

    assert [(m.rcpt_tos, m.subject) for m in smtp_server.messages] == [
        (("helpdesk@loket.test",), "Nieuwe toegangsaanvraag voor St.-Margarita (Tielen)"),
    ]


def test_refusal_mail(client, smtp_server, run_worker, municipality, helpdesk, newcomer):
    access_request = file_request(client, newcomer, municipality, email="nina@aalst.example")
    run_worker()
    smtp_server.clear()

    client.force_login(helpdesk)
    refused_without_reason = client.post(
        f"/toegangsbeheer/aanvragen/{access_request.pk}/", {"decision": "refuse", "reason": "  "}
    )
    assert refused_without_reason.status_code == 400
    response = client.post(
        f"/toegangsbeheer/aanvragen/{access_request.pk}/", {"decision": "refuse", "reason": "Geen lid van het bestuur"}
    )
    assert response.status_code == 302
    run_worker()

    mails = smtp_server.messages
    assert [(m.rcpt_tos, m.subject) for m in mails] == [
        (("nina@aalst.example",), "Uw toegangsaanvraag voor Aalst is geweigerd"),
    ]
    assert mails[0].body == "Uw aanvraag is geweigerd.\nReden: Geen lid van het bestuur\n"
    assert not Membership.objects.filter(user=newcomer).exists()
