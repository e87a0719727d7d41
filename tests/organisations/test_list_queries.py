"""Query counts pinned on the lists that show many bodies: the helpdesk's organisation list in the back office and
the access manager's list of bodies. The count must not grow with the number of rows (no query per body for its
kind, access manager or display name)."""

import pytest
from django.urls import reverse

from loket.organisations import naming
from loket.organisations.models import Organisation, OrganisationKind
from tests.conftest import KIND, make_organisation

pytestmark = pytest.mark.django_db


def add_bodies(count: int, *, target_group, access_manager) -> None:  # type: ignore[no-untyped-def]
    kind = OrganisationKind.objects.get_or_create(
        uri=KIND + "66ec74fd-8cfc-4e16-99c6-350b35012e86",
        defaults={"label": "Bestuur van de eredienst", "category": "worship_board"},
    )[0]
    unnamed_manager = Organisation.objects.create(uri=f"http://data.lblod.info/id/x/manager-{count}", kind=kind)
    for number in range(count):
        body = make_organisation(
            key=f"body-{count}-{number}",
            # shared names, no names and unique names: every branch of the display name
            name=["Sint-Martinus", "", f"Kerkfabriek {count}-{number}"][number % 3],
            kbo="" if number % 2 else f"{number:010d}",
            kind=kind,
            target_group=target_group,
            base="besturenVanDeEredienst",
            access_manager=[access_manager, unnamed_manager][number % 2],
        )
        body.province = "Antwerpen"
        body.save()
    naming.names_changed()


# session, user, memberships with their roles (one statement), the count, the full count, the page of rows, the
# filters' options (kinds, provinces, target groups) and the remembered display names (computed once per process)
ORGANISATION_LIST_QUERIES = 11


@pytest.mark.parametrize("count", [5, 60])
def test_organisation_list_query_count_is_pinned(
    client, helpdesk, diocese, target_group, count, django_assert_num_queries
):  # type: ignore[no-untyped-def]
    add_bodies(count, target_group=target_group, access_manager=diocese)
    client.force_login(helpdesk)
    url = reverse("admin:organisations_organisation_changelist")
    client.get(url)  # the first request stores the chosen organisation in the session
    naming.names_changed()  # and the display names are computed again in the measured one
    with django_assert_num_queries(ORGANISATION_LIST_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Sint-Martinus — Bestuur van de eredienst" in body


@pytest.mark.parametrize("count", [5, 60])
def test_access_manager_list_query_count_is_pinned(
    client, diocese_manager, diocese, target_group, count, django_assert_num_queries
):  # type: ignore[no-untyped-def]
    add_bodies(count, target_group=target_group, access_manager=diocese)
    client.force_login(diocese_manager)
    client.get(reverse("accounts:manager-requests"))
    naming.names_changed()
    # session, user, memberships (+ roles), two role checks, the display names (2), pending requests, the bodies
    with django_assert_num_queries(9):
        response = client.get(reverse("accounts:manager-requests"))
    assert response.status_code == 200
