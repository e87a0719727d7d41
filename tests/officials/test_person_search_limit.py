"""Person searches are limited per user and hour (LOKET_PERSON_SEARCH_LIMIT): beyond it nothing is searched, the page
says why and until when with HTTP 429 (and not "nobody found", which would invite a duplicate person), the first
excess raises a security alert, and the hidden field of the page's own form is no way around it."""

import pytest
from django.urls import reverse

from loket.accounts.roles import Role
from loket.core.models import AuditEvent
from tests.conftest import grant, make_user
from tests.officials.conftest import KNOWN_NUMBER

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttle")]


def test_beyond_the_limit_nothing_is_searched_and_the_page_says_why(client, functions, hr_clerk, known, settings):  # type: ignore[no-untyped-def]
    settings.LOKET_PERSON_SEARCH_LIMIT = 3
    client.force_login(hr_clerk)
    url = reverse("officials:detail", args=[functions["Algemeen directeur"].uuid])
    for _ in range(3):
        assert client.post(url, {"zoek": "Verhaegen", "zoeken": "1"}).status_code == 200
    refused = client.post(url, {"zoek": KNOWN_NUMBER, "zoeken": "1"})
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "U zocht dit uur al 3 keer een persoon op; meer mag niet. Probeer het over" in page
    assert f'value="{known.uuid}"' not in page and "Geen persoon gevonden" not in page
    assert AuditEvent.objects.filter(action="person.searched").count() == 3
    [alert] = AuditEvent.objects.filter(action="security.alert")
    assert alert.details == {"kind": "person-search", "client": "lea-leiding", "limit": 3, "window": 3600}
    # the page's own form, its hidden field filled by hand, is counted and refused the same way
    sneaky = client.post(url, {"zoek": "Verhaegen", "person": "", "start": "2025-01-01", "status": "aangesteld"})
    assert sneaky.status_code == 429 and f'value="{known.uuid}"' not in sneaky.content.decode()
    assert AuditEvent.objects.filter(action="person.searched").count() == 3
    assert AuditEvent.objects.filter(action="security.alert").count() == 1  # once per interval


def test_the_limit_is_per_user(client, functions, hr_clerk, known, settings, municipality):  # type: ignore[no-untyped-def]
    settings.LOKET_PERSON_SEARCH_LIMIT = 1
    url = reverse("officials:detail", args=[functions["Algemeen directeur"].uuid])
    client.force_login(hr_clerk)
    assert client.post(url, {"zoek": "Verhaegen", "zoeken": "1"}).status_code == 200
    assert client.post(url, {"zoek": "Verhaegen", "zoeken": "1"}).status_code == 429
    colleague = make_user("jan-personeel")
    grant(colleague, municipality, [Role.LEIDINGGEVENDEN])
    client.force_login(colleague)
    found = client.post(url, {"zoek": "Verhaegen", "zoeken": "1"})
    assert found.status_code == 200 and f'value="{known.uuid}"' in found.content.decode()
