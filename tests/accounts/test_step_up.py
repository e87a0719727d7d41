"""Confirming who you are before a high-value action (ASVS 3.7.1, 4.3.3): rights, simulation and reopening need a
sign-in at most LOKET_STEP_UP_MINUTES old (a form page five minutes more); a staler session confirms in the way it
signed in (here: the back office's password, so the code of the app) and comes back; a refused POST changes
nothing; wrong codes are audited and, too many, end the session."""

import time
from urllib.parse import urlencode

import pytest
import time_machine
from django.test import RequestFactory

from loket.accounts.models import User
from loket.accounts.simulation import SESSION_KEY as SIMULATING
from loket.core.access import SIGNED_IN_AT
from loket.core.models import AuditEvent
from tests.accounts.conftest import DIRK_MADE_STAFF, PASSWORD
from tests.support.second_factor import helpdesk_sign_in, rfc6238_code
from tests.test_authorisation_matrix import PATTERNS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttle")]
CONFIRM = "/aanmelden/bevestigen/"

# Every page that changes rights, starts a simulation or reopens what was sent.
HIGH_VALUE = {
    "accounts:simulation",
    "accounts:manager-decide",
    "accounts:manager-members",
    "accounts:manager-end-all",
    "accounts:manager-end-membership",
    "supervision:reopen",
    "reports:agency-reopen",
    "subsidies:agency-reopen",
}


def test_every_high_value_page_and_no_other_asks_for_a_recent_sign_in():  # type: ignore[no-untyped-def]
    marked = {name for name, pattern in PATTERNS.items() if getattr(pattern.callback, "loket_recent_sign_in", False)}
    assert marked == HIGH_VALUE


def signed_in_ago(client, seconds: float) -> None:  # type: ignore[no-untyped-def]
    session = client.session
    session[SIGNED_IN_AT] = time.time() - seconds
    session.save()


def test_a_form_page_asks_for_five_minutes_left_and_the_action_for_the_limit(  # type: ignore[no-untyped-def]
    client, helpdesk, municipality, settings
):
    settings.LOKET_STEP_UP_MINUTES = 15
    client.force_login(helpdesk)  # a sign-in: stamped now
    assert client.get("/simulatie/").status_code == 200
    signed_in_ago(client, 9 * 60)
    assert client.get("/simulatie/").status_code == 200
    signed_in_ago(client, 11 * 60)
    form = client.get("/simulatie/?q=Aals")
    assert form.status_code == 302 and form["Location"] == f"{CONFIRM}?next=%2Fsimulatie%2F%3Fq%3DAals"
    signed_in_ago(client, 16 * 60)
    refused = client.post(
        "/simulatie/", {"organisation": municipality.key}, HTTP_REFERER="http://testserver/simulatie/?q=Aals"
    )
    assert refused.status_code == 302 and refused["Location"].startswith(f"{CONFIRM}?next=")
    assert "simulatie%2F%3Fq%3DAals" in refused["Location"]  # back to the form it came from
    assert SIMULATING not in client.session  # nothing started
    signed_in_ago(client, 14 * 60)
    assert client.post("/simulatie/", {"organisation": municipality.key}).status_code == 302
    assert SIMULATING in client.session


@pytest.mark.parametrize("minutes", [1, 5])
def test_a_short_limit_still_opens_the_form_page_right_after_confirming(  # type: ignore[no-untyped-def]
    client, helpdesk, settings, minutes
):
    # With LOKET_STEP_UP_MINUTES at 5 or less, the five minutes a form page asks for left none: the page sent a
    # person who had just confirmed back to confirming, again and again.
    settings.LOKET_STEP_UP_MINUTES = minutes
    client.force_login(helpdesk)
    signed_in_ago(client, 1)
    assert client.get("/simulatie/").status_code == 200
    signed_in_ago(client, minutes * 60 / 2 + 1)  # a form page asks for half a short limit left
    assert client.get("/simulatie/").status_code == 302


def test_a_stale_password_session_confirms_with_the_code_of_its_app(hilde, client, municipality):  # type: ignore[no-untyped-def]
    _answer, key = helpdesk_sign_in(client, "hilde-helpdesk", PASSWORD)
    with time_machine.travel(time.time() + 16 * 60, tick=True):
        started = client.post("/simulatie/", {"organisation": municipality.key})
        assert started["Location"] == f"{CONFIRM}?next=%2Fsimulatie%2F" and SIMULATING not in client.session
        page = client.get(started["Location"]).content.decode()
        assert "Bevestig wie u bent" in page and 'name="code"' in page
        wrong = "000000" if rfc6238_code(key) != "000000" else "111111"
        refused = client.post(CONFIRM, {"code": wrong, "next": "/simulatie/"})
        assert refused.status_code == 400 and "Deze code klopt niet" in refused.content.decode()
        # A screen reader reads the error with the field it is about.
        assert '<p class="error-text" role="alert" id="code-error">Deze code klopt niet' in refused.content.decode()
        assert 'aria-invalid="true" aria-describedby="code-error"' in refused.content.decode()
        assert AuditEvent.objects.get(action="login.code_failed").actor == hilde
        time.sleep(1.1)  # django-otp's back-off after one wrong code
        confirmed = client.post(CONFIRM, {"code": rfc6238_code(key, time.time() + 30), "next": "/simulatie/"})
        # the organisation she chose is kept: one press sends it (test_what_a_refused_form_carried_is_sent_again…)
        assert (
            confirmed.status_code == 302
            and confirmed["Location"] == "/aanmelden/bevestigen/verder/?next=%2Fsimulatie%2F"
        )
        event = AuditEvent.objects.get(action="login.confirmed")
        assert event.actor == hilde and event.details["method"] == "password"
        assert client.post("/simulatie/", {"organisation": municipality.key})["Location"] == "/"
        assert SIMULATING in client.session


def test_too_many_wrong_codes_end_the_session(hilde, client, settings):  # type: ignore[no-untyped-def]
    settings.LOKET_SECOND_FACTOR_TRIES = 2
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    _answer, key = helpdesk_sign_in(client, "hilde-helpdesk", PASSWORD)
    signed_in_ago(client, 16 * 60)
    wrong = "000000" if rfc6238_code(key) != "000000" else "111111"
    assert client.post(CONFIRM, {"code": wrong}).status_code == 400
    ended = client.post(CONFIRM, {"code": wrong})
    assert ended.status_code == 302 and ended["Location"] == "/helpdesk/login/"
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="logout", actor=hilde, details__reason="wrong_codes").exists()


def test_a_development_session_confirms_with_a_button_only_in_development(  # type: ignore[no-untyped-def]
    client, helpdesk, settings
):
    client.force_login(helpdesk)  # no "Mijn sessies" row, no app, no identity provider
    signed_in_ago(client, 16 * 60)
    settings.DEBUG, settings.LOKET_DEV_LOGIN = True, True
    assert client.post(CONFIRM, {"next": "/simulatie/"})["Location"] == "/simulatie/"
    signed_in_ago(client, 16 * 60)
    settings.DEBUG, settings.LOKET_DEV_LOGIN = False, False
    page = client.post(CONFIRM, {"next": "/simulatie/"})
    assert page.status_code == 200 and "kan hier niet bevestigd worden" in page.content.decode()
    assert client.get("/simulatie/")["Location"].startswith(CONFIRM)  # still not confirmed


def test_ending_one_persons_access_on_a_stale_session_changes_nothing_until_confirmed(  # type: ignore[no-untyped-def]
    client, clerk, municipality, helpdesk
):
    from loket.accounts.models import Membership

    membership = Membership.objects.get(user=clerk, organisation=municipality)
    members_page = f"http://testserver/toegangsbeheer/besturen/{municipality.key}/leden/"
    client.force_login(helpdesk)
    signed_in_ago(client, 16 * 60)
    refused = client.post(
        f"/toegangsbeheer/lidmaatschappen/{membership.pk}/stopzetten/",
        {"reason": "Vertrokken"},
        HTTP_REFERER=members_page,
    )
    assert refused.status_code == 302 and refused["Location"].startswith(f"{CONFIRM}?next=")
    assert "leden%2F" in refused["Location"]  # back to the members page it came from
    assert Membership.objects.get(pk=membership.pk).is_active
    assert not AuditEvent.objects.filter(action="access.revoked").exists()
    signed_in_ago(client, 60)
    client.post(f"/toegangsbeheer/lidmaatschappen/{membership.pk}/stopzetten/", {"reason": "Vertrokken"})
    assert not Membership.objects.get(pk=membership.pk).is_active
    assert AuditEvent.objects.filter(action="access.revoked").count() == 1


def test_the_back_office_s_rights_edits_need_a_recent_sign_in_too(client, helpdesk):  # type: ignore[no-untyped-def]
    from tests.conftest import make_user

    dirk = make_user("dirk-demo")
    password_before = dirk.password
    change = f"/helpdesk/accounts/user/{dirk.pk}/change/"
    client.force_login(helpdesk)
    signed_in_ago(client, 11 * 60)
    assert client.get("/helpdesk/accounts/user/").status_code == 200  # reading the list asks nothing more
    assert client.get(change)["Location"] == f"{CONFIRM}?next=%2Fhelpdesk%2Faccounts%2Fuser%2F{dirk.pk}%2Fchange%2F"
    signed_in_ago(client, 16 * 60)
    for url, data in (
        (change, DIRK_MADE_STAFF),
        (f"/helpdesk/accounts/user/{dirk.pk}/password/", {"password1": "x" * 20, "password2": "x" * 20}),
        (f"/helpdesk/accounts/user/{dirk.pk}/delete/", {"post": "yes"}),
        ("/helpdesk/accounts/user/", {"action": "reset_second_factor", "_selected_action": [dirk.pk]}),
        ("/helpdesk/accounts/user/add/", {"username": "nieuw", "password1": "x" * 20, "password2": "x" * 20}),
    ):
        refused = client.post(url, data)
        assert refused.status_code == 302 and refused["Location"].startswith(f"{CONFIRM}?next="), url
    dirk.refresh_from_db()
    assert not dirk.is_staff and dirk.password == password_before  # still there, unchanged
    assert not User.objects.filter(username="nieuw").exists()
    assert not AuditEvent.objects.filter(action__in=["user.rights_changed", "second_factor.reset"]).exists()
    signed_in_ago(client, 60)
    assert client.post(change, DIRK_MADE_STAFF).status_code == 302
    dirk.refresh_from_db()
    assert dirk.is_staff and AuditEvent.objects.filter(action="user.rights_changed").count() == 1


def test_what_a_refused_form_carried_is_sent_again_after_confirming(hilde, client):  # type: ignore[no-untyped-def]
    # The hand walk: a helpdesk person opened Dirk's change form, typed, took more than five minutes, saved; after
    # the code of her app she was back on the form with all she had typed gone.
    from tests.conftest import make_user

    dirk = make_user("dirk-demo")
    change = f"/helpdesk/accounts/user/{dirk.pk}/change/"
    _answer, key = helpdesk_sign_in(client, "hilde-helpdesk", PASSWORD)
    signed_in_ago(client, 16 * 60)
    typed = {**DIRK_MADE_STAFF, "first_name": "Dirkje", "_save": "Opslaan"}
    refused = client.post(change, typed, HTTP_REFERER=f"http://testserver{change}")
    assert (
        refused["Location"]
        == f"{CONFIRM}?next=http%3A%2F%2Ftestserver%2Fhelpdesk%2Faccounts%2Fuser%2F{dirk.pk}%2Fchange%2F"
    )
    confirmed = client.post(
        CONFIRM, {"code": rfc6238_code(key, time.time() + 30), "next": f"http://testserver{change}"}
    )
    continue_page = f"/aanmelden/bevestigen/verder/?{urlencode({'next': f'http://testserver{change}'})}"
    assert confirmed.status_code == 302 and confirmed["Location"] == continue_page
    dirk.refresh_from_db()
    assert (dirk.first_name, dirk.is_staff) == ("Dirk", False)  # nothing sent yet

    page = client.get(continue_page).content.decode()
    assert f'<form method="post" action="{change}">' in page
    assert '<input type="hidden" name="first_name" value="Dirkje">' in page
    assert '<input type="hidden" name="is_staff" value="on">' in page
    assert f'<a href="http://testserver{change}">Terug naar het formulier</a>' in page
    assert client.get(continue_page)["Location"] == f"http://testserver{change}"  # shown once

    sent = client.post(change, typed)
    assert sent.status_code == 302
    dirk.refresh_from_db()
    assert (dirk.first_name, dirk.is_staff) == ("Dirkje", True)


def test_a_kept_form_is_not_readable_in_the_sessions_table(hilde, client, settings):  # type: ignore[no-untyped-def]
    # What a form typed may hold (a name, a reason, on another page a national register number) waits in the
    # session until the person confirms: sealed there, so the table's rows do not show it; unreadable after
    # SECRET_KEY is replaced without a fallback (then it is typed again, nothing is sent).
    from django.contrib.sessions.models import Session

    from loket.core.access import kept_form
    from tests.conftest import make_user

    dirk = make_user("dirk-demo")
    change = f"/helpdesk/accounts/user/{dirk.pk}/change/"
    client.force_login(hilde)
    signed_in_ago(client, 16 * 60)
    client.post(change, {**DIRK_MADE_STAFF, "first_name": "Dirkje-Geheim"}, HTTP_REFERER=f"http://testserver{change}")
    row = Session.objects.get(session_key=client.session.session_key)
    assert "Dirkje-Geheim" not in str(row.get_decoded())

    request = RequestFactory().get("/")
    request.session = client.session
    back = f"http://testserver{change}"
    assert ["first_name", "Dirkje-Geheim"] in kept_form(request, back)["fields"]
    settings.SECRET_KEY = "another-secret-key-of-enough-length-for-django-" * 2
    assert kept_form(request, back) is None


def test_a_refused_password_is_not_kept(hilde, client):  # type: ignore[no-untyped-def]
    from loket.core.access import KEPT_FORM
    from tests.conftest import make_user

    dirk = make_user("dirk-demo")
    password_page = f"/helpdesk/accounts/user/{dirk.pk}/password/"
    client.force_login(hilde)
    signed_in_ago(client, 16 * 60)
    client.post(
        password_page, {"password1": "x" * 20, "password2": "x" * 20}, HTTP_REFERER=f"http://testserver{password_page}"
    )
    assert KEPT_FORM not in client.session


def test_the_back_office_shows_a_persons_sign_in_dates_as_text(client, helpdesk):  # type: ignore[no-untyped-def]
    from tests.conftest import make_user

    dirk = make_user("dirk-demo")
    client.force_login(helpdesk)
    helpdesk.is_superuser = True
    helpdesk.save()
    page = client.get(f"/helpdesk/accounts/user/{dirk.pk}/change/").content.decode()
    assert 'name="last_login_0"' not in page and 'name="date_joined_0"' not in page  # no unlabelled date/time inputs
    assert '<div class="readonly">' in page
    before = dirk.date_joined
    assert (
        client.post(
            f"/helpdesk/accounts/user/{dirk.pk}/change/", {**DIRK_MADE_STAFF, "date_joined_0": "2001-01-01"}
        ).status_code
        == 302
    )
    dirk.refresh_from_db()
    assert dirk.date_joined == before and dirk.is_staff


@pytest.mark.parametrize(
    ("language", "says", "never"),
    [
        ("nl", "Uitgeschakeld gaat het huidige wachtwoord van deze gebruiker verloren.", "If disabled"),
        ("en", "If disabled, the current password of this user is lost.", "Of de gebruiker zich"),
    ],
)
def test_the_password_page_of_another_user_speaks_one_language(client, helpdesk, language, says, never):  # type: ignore[no-untyped-def]
    # Django 5.2 joins this field's help into one string at import (Dutch) with an English warning never translated.
    from tests.conftest import make_user

    dirk = make_user("dirk-demo")
    dirk.set_password("oud-wachtwoord-12345")
    dirk.save()
    helpdesk.is_superuser = True
    helpdesk.save()
    client.force_login(helpdesk)
    client.cookies["django_language"] = language
    page = client.get(f"/helpdesk/accounts/user/{dirk.pk}/password/").content.decode()
    assert f'<ul id="id_unusable_warning" class="messagelist"><li class="warning">{says}</li></ul>' in page
    assert never not in page
