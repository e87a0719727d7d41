"""The helpdesk's password login is throttled like the OpenID Connect login; the development login never drops
a demo person's staff rights; KBO numbers are found however people write them."""

import time

import pytest
import time_machine
from django.urls import reverse

from loket.accounts.models import User
from loket.core.models import AuditEvent
from tests.accounts.conftest import DIRK_MADE_STAFF
from tests.conftest import make_user
from tests.support.second_factor import helpdesk_sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttle")]


@pytest.fixture
def window_start():  # type: ignore[no-untyped-def]
    """The clock at the start of a throttle window (5 minutes), still ticking: 33 password hashes on a loaded machine
    take long enough to cross into the next window now and then, which starts the count again."""
    with time_machine.travel(time.time() // 3600 * 3600, tick=True):
        yield


def test_password_login_answers_429_after_the_limit(client, settings, window_start):  # type: ignore[no-untyped-def]
    settings.LOKET_LOGIN_THROTTLE = 5
    admin = make_user("hilde-helpdesk", staff=True)
    admin.set_password("juist-wachtwoord-123")
    admin.save()
    url = reverse("helpdesk-login")
    assert url == "/helpdesk/login/"
    codes = [client.post(url, {"username": "hilde-helpdesk", "password": f"fout{i}"}).status_code for i in range(33)]
    assert codes == [200] * 5 + [429] * 28
    # Even the right password waits for the window: no guessing around the throttle.
    response = client.post(url, {"username": "hilde-helpdesk", "password": "juist-wachtwoord-123"})
    assert response.status_code == 429
    assert "Te veel aanmeldpogingen" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_login_still_works_below_the_limit(client):  # type: ignore[no-untyped-def]
    admin = make_user("hilde-helpdesk", staff=True)
    admin.set_password("juist-wachtwoord-123")
    admin.save()
    response, _key = helpdesk_sign_in(client, "hilde-helpdesk", "juist-wachtwoord-123", next_url="/helpdesk/")
    assert response.status_code == 302 and response["Location"] == "/helpdesk/"
    assert client.get("/helpdesk/").status_code == 200


def test_the_oidc_login_and_the_password_login_share_one_counter(client, settings, window_start):  # type: ignore[no-untyped-def]
    settings.LOKET_LOGIN_THROTTLE = 3
    for _ in range(3):
        client.post("/helpdesk/login/", {"username": "x", "password": "y"})
    assert client.get(reverse("accounts:oidc-start")).status_code == 429


@pytest.fixture
def dev_login_on(settings):  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    settings.LOKET_DEV_LOGIN = True


def test_development_login_keeps_staff_rights_and_says_so(client, dev_login_on):  # type: ignore[no-untyped-def]
    hilde = User.objects.create(
        username="dev:hilde-helpdesk", first_name="Hilde", last_name="Helpdesk", is_staff=True, is_superuser=True
    )
    response = client.post(
        reverse("accounts:dev-login"),
        {"first_name": "Hilde", "last_name": "Helpdesk", "email": "hilde@example.org", "organisation": ""},
        follow=True,
    )
    assert response.status_code == 200
    hilde.refresh_from_db()
    assert hilde.is_staff is True and hilde.is_superuser is True
    assert (
        "Hilde Helpdesk blijft medewerker van de helpdesk (back-office): het aanmelden neemt die rechten niet af."
        in response.content.decode()
    )
    assert client.get("/helpdesk/").status_code == 200
    assert hilde.signed_in_sessions.get().method == "development"  # listed on "Mijn sessies"


def test_development_login_grants_helpdesk_rights_when_asked(client, dev_login_on):  # type: ignore[no-untyped-def]
    client.post(
        reverse("accounts:dev-login"),
        {"first_name": "Dirk", "last_name": "Demo", "email": "d@example.org", "organisation": "", "is_helpdesk": "on"},
    )
    dirk = User.objects.get(username="dev:dirk-demo")
    assert dirk.is_staff is True and dirk.is_superuser is True
    assert AuditEvent.objects.filter(action="access.staff_granted", details__user="dev:dirk-demo").count() == 1


@pytest.mark.parametrize(
    "typed", ["0207.437.468", "0207437468", "207437468", "BE 0207.437.468", "BE0207437468", "be 0207 437 468"]
)
def test_kbo_search_accepts_every_way_people_write_it(client, newcomer, municipality, other_municipality, typed):  # type: ignore[no-untyped-def]
    client.force_login(newcomer)
    response = client.get(reverse("accounts:registration-search"), {"q": typed})
    body = response.content.decode()
    assert response.status_code == 200
    assert reverse("accounts:registration-form", args=[other_municipality.key]) in body
    assert reverse("accounts:registration-form", args=[municipality.key]) not in body


def test_a_change_of_rights_in_the_back_office_is_audited(client, helpdesk):  # type: ignore[no-untyped-def]
    from loket.core.audit import audit_describe

    dirk = make_user("dirk-demo")
    client.force_login(helpdesk)
    url = reverse("admin:accounts_user_change", args=[dirk.pk])
    response = client.post(url, DIRK_MADE_STAFF)
    assert response.status_code == 302, response.content.decode()[-2000:]
    event = AuditEvent.objects.get(action="user.rights_changed")
    assert (event.actor, event.details) == (
        helpdesk,
        {"user": "dirk-demo", "fields": ["is_staff"], "is_staff": True, "is_superuser": False, "is_active": True},
    )
    assert audit_describe(event) == (
        "Rechten van dirk-demo gewijzigd in de back-office (stafstatus): helpdeskmedewerker ja, alle rechten nee, "
        "actief ja."
    )
