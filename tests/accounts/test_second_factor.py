"""The back office's second factor (ASVS 1.2.4, 2.8, 4.3.1): the right password alone signs nobody in; the code of
an authenticator app does, once; the first sign-in sets the app up (audited, mailed); wrong codes are audited,
slowed down and end the attempt; a lost app is removed by the helpdesk or a command, audited."""

import time
from base64 import b32encode
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from loket.accounts.models import SecondFactorDevice
from loket.core.models import AuditEvent
from tests.accounts.conftest import PASSWORD
from tests.conftest import make_user
from tests.support.second_factor import CODE_PAGE, helpdesk_sign_in, key_from_page, rfc6238_code
from tests.support.smtp import smtp_server  # noqa: F401 - a real SMTP server on loopback

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttle")]


def signed_in(client) -> bool:  # type: ignore[no-untyped-def]
    return "_auth_user_id" in client.session and client.get("/helpdesk/").status_code == 200


def test_the_password_alone_signs_nobody_in_and_the_first_code_sets_up_the_app(  # type: ignore[no-untyped-def]
    client,
    hilde,
    smtp_server,  # noqa: F811
    run_worker,
    settings,
):
    before = client.session.session_key
    response = client.post(
        "/helpdesk/login/", {"username": "hilde-helpdesk", "password": PASSWORD, "next": "/helpdesk/"}
    )
    assert response.status_code == 302 and response["Location"] == CODE_PAGE
    assert not signed_in(client)
    assert client.session.session_key != before  # a new key once the password is right (no fixation)
    assert not AuditEvent.objects.filter(action="login").exists()

    page = client.get(CODE_PAGE).content.decode()
    assert "Stel de tweede aanmeldstap in" in page and 'src="data:image/svg+xml' in page
    key = key_from_page(page)
    device = SecondFactorDevice.objects.get(user=hilde)
    assert not device.confirmed and device.bin_key == key
    assert "issuer=Loket%20voor%20Lokale%20Besturen" in device.config_url
    assert client.get(CODE_PAGE).content.decode().count(page[page.index("<code>") : page.index("</code>")]) == 1

    wrong = client.post(CODE_PAGE, {"code": "000000" if rfc6238_code(key) != "000000" else "111111"})
    assert wrong.status_code == 400 and "Deze code klopt niet" in wrong.content.decode()
    assert 'aria-invalid="true" aria-describedby="code-error"' in wrong.content.decode()  # read with the field
    assert not signed_in(client)
    assert AuditEvent.objects.get(action="login.code_failed").actor == hilde

    time.sleep(1.1)  # django-otp's back-off after one wrong code: 1 second
    code = rfc6238_code(key)
    right = client.post(CODE_PAGE, {"code": f"{code[:3]} {code[3:]}"})  # as an app shows it, with a space
    assert right.status_code == 302 and right["Location"] == "/helpdesk/"
    assert signed_in(client)
    device.refresh_from_db()
    assert device.confirmed
    enrolled = AuditEvent.objects.get(action="second_factor.enrolled")
    assert enrolled.actor == hilde and enrolled.details["address"] == "127.0.0.1"
    login = AuditEvent.objects.get(action="login")
    assert login.actor == hilde and login.details["method"] == "password"
    run_worker()
    assert [m.rcpt_tos for m in smtp_server.messages] == [("hilde-helpdesk@example.org",)]
    assert "iemand kent uw wachtwoord" in smtp_server.messages[0].body


def test_a_code_counts_once_and_a_set_up_app_is_never_shown_again(  # type: ignore[no-untyped-def]
    hilde,
    client,
    smtp_server,  # noqa: F811
    run_worker,
):
    from django.test import Client

    _answer, key = helpdesk_sign_in(client, "hilde-helpdesk", PASSWORD)
    used = SecondFactorDevice.objects.get(user=hilde).last_t
    run_worker()
    assert len(smtp_server.messages) == 1  # the mail of the set-up
    other = Client()
    other.post("/helpdesk/login/", {"username": "hilde-helpdesk", "password": PASSWORD}, REMOTE_ADDR="192.0.2.66")
    page = other.get(CODE_PAGE).content.decode()
    assert "<code>" not in page and "data:image/svg+xml" not in page  # the key is not shown a second time
    replay = other.post(CODE_PAGE, {"code": rfc6238_code(key, used * 30)}, REMOTE_ADDR="192.0.2.66")
    assert replay.status_code == 400 and not signed_in(other)
    # ASVS 2.8.5: a reused code is told apart from a wrong one, audited as such and mailed to the app's holder.
    failed = AuditEvent.objects.get(action="login.code_failed")
    assert failed.actor == hilde and failed.details == {"address": "192.0.2.66", "reused": True}
    run_worker()
    reused_mail = smtp_server.messages[1:]
    assert [m.rcpt_tos for m in reused_mail] == [("hilde-helpdesk@example.org",)]
    assert "al gebruikt was" in reused_mail[0].body and "192.0.2.66" in reused_mail[0].body
    time.sleep(1.1)
    assert other.post(CODE_PAGE, {"code": rfc6238_code(key, (used + 1) * 30)}).status_code == 302
    assert signed_in(other)


def test_wrong_codes_are_slowed_down_and_end_the_attempt(hilde, client, settings):  # type: ignore[no-untyped-def]
    settings.LOKET_SECOND_FACTOR_TRIES = 3
    _answer, key = helpdesk_sign_in(client, "hilde-helpdesk", PASSWORD)
    client.post("/afmelden/")
    client.post("/helpdesk/login/", {"username": "hilde-helpdesk", "password": PASSWORD})
    wrong = "000000" if rfc6238_code(key) != "000000" else "111111"
    assert client.post(CODE_PAGE, {"code": wrong}).status_code == 400
    # Right away the right code: refused by the back-off (1 s after one wrong code), and it says how long to wait.
    throttled = client.post(CODE_PAGE, {"code": rfc6238_code(key, time.time() + 30)})
    assert throttled.status_code == 400 and "Wacht 1 seconden" in throttled.content.decode()
    assert not signed_in(client)
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client.post(CODE_PAGE, {"code": wrong})
    third = client.post(CODE_PAGE, {"code": wrong})
    assert third.status_code == 302 and third["Location"] == "/helpdesk/login/"
    assert client.get(CODE_PAGE)["Location"] == "/helpdesk/login/"  # the password is asked again
    assert AuditEvent.objects.filter(action="login.code_failed").count() == 3
    assert not AuditEvent.objects.filter(action="login.code_failed", details__reused=True).exists()


def test_an_accepted_password_waits_five_minutes_for_its_code(hilde, client):  # type: ignore[no-untyped-def]
    with time_machine.travel(time.time(), tick=False) as clock:
        client.post("/helpdesk/login/", {"username": "hilde-helpdesk", "password": PASSWORD})
        key = key_from_page(client.get(CODE_PAGE).content.decode())
        clock.shift(301)
        late = client.post(CODE_PAGE, {"code": rfc6238_code(key)})
        assert late.status_code == 302 and late["Location"] == "/helpdesk/login/"
        assert not signed_in(client)


def test_no_code_page_without_a_password_and_no_pending_step_for_a_non_staff_person(client):  # type: ignore[no-untyped-def]
    assert client.get(CODE_PAGE)["Location"] == "/helpdesk/login/"
    assert client.post(CODE_PAGE, {"code": "123456"})["Location"] == "/helpdesk/login/"
    clerk = make_user("gert-gemeente")
    clerk.set_password(PASSWORD)
    clerk.save()
    refused = client.post("/helpdesk/login/", {"username": "gert-gemeente", "password": PASSWORD})
    assert refused.status_code == 200 and "stafaccount" in refused.content.decode()
    assert client.get(CODE_PAGE).status_code == 302 and not SecondFactorDevice.objects.exists()


def test_a_lost_app_is_removed_by_command_or_helpdesk_audited_and_set_up_again(hilde, client):  # type: ignore[no-untyped-def]
    helpdesk_sign_in(client, "hilde-helpdesk", PASSWORD)
    with pytest.raises(CommandError, match="Geen gebruiker"):
        call_command("second_factor_reset", "niemand", reason="x")
    with pytest.raises(CommandError, match="reden"):
        call_command("second_factor_reset", "hilde-helpdesk", reason="  ")
    assert SecondFactorDevice.objects.filter(user=hilde).count() == 1
    out = StringIO()
    call_command("second_factor_reset", "hilde-helpdesk", reason="telefoon verloren", stdout=out)
    assert "1 app(s) verwijderd" in out.getvalue() and not SecondFactorDevice.objects.exists()
    reset = AuditEvent.objects.get(action="second_factor.reset")
    assert reset.actor_label == "manage.py second_factor_reset" and reset.details["reason"] == "telefoon verloren"

    # The next sign-in sets up a new app; then a second helpdesk person removes it in the back office.
    from django.test import Client

    answer, _key = helpdesk_sign_in(Client(), "hilde-helpdesk", PASSWORD)
    assert answer.status_code == 302 and SecondFactorDevice.objects.get(user=hilde).confirmed
    karel = make_user("karel-helpdesk", staff=True)
    client.force_login(karel)
    response = client.post(
        "/helpdesk/accounts/user/", {"action": "reset_second_factor", "_selected_action": [hilde.pk]}
    )
    assert response.status_code == 302 and not SecondFactorDevice.objects.filter(user=hilde).exists()
    by_helpdesk = AuditEvent.objects.filter(action="second_factor.reset").latest("pk")
    assert by_helpdesk.actor == karel and by_helpdesk.details["user"] == "hilde-helpdesk"


def test_no_superuser_sees_anyone_s_key_in_the_back_office(hilde, client):  # type: ignore[no-untyped-def]
    helpdesk_sign_in(client, "hilde-helpdesk", PASSWORD)
    device = SecondFactorDevice.objects.get(user=hilde)
    assert client.get("/helpdesk/otp_totp/totpdevice/").status_code == 404
    assert client.get(f"/helpdesk/otp_totp/totpdevice/{device.pk}/config/").status_code == 404
    assert client.get("/helpdesk/accounts/secondfactordevice/").status_code == 404
    assert client.get(f"/helpdesk/accounts/secondfactordevice/{device.pk}/change/").status_code == 404
    page = client.get("/helpdesk/").content.decode()
    assert device.bin_key.hex() not in page and b32encode(device.bin_key).decode().rstrip("=") not in page


def test_the_back_office_sign_in_pages_link_to_the_privacy_notice(hilde, client):  # type: ignore[no-untyped-def]
    # The portal's login page and footer name the privacy notice; the back office's two sign-in steps did not.
    link = '<div id="footer"><p><a href="/privacyverklaring/">Privacyverklaring</a></p></div>'
    assert link in client.get("/helpdesk/login/").content.decode()
    client.post("/helpdesk/login/", {"username": "hilde-helpdesk", "password": PASSWORD})
    assert link in client.get(CODE_PAGE).content.decode()
