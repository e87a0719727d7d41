"""Retention of worship board members' and ministers' contact data (ASVS 8.3.8, worship/retention.py): the daily run
clears the e-mail, phones and address of a row whose end (a board member without one: the planned end of the
mandate's term) lies more than LOKET_WORSHIP_CONTACT_RETENTION_DAYS back; the row itself stays, its page says the
data was cleared, and it can still be saved without contact data (given again, the mark goes). 0 keeps everything.
One audit event per run with the counts. Time passes by travelling."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from loket.core.audit import audit_describe
from loket.core.models import AuditEvent
from loket.core.tasks import purge_expired_data
from loket.worship.codes import BoardRole, MinisterFunction
from loket.worship.models import BoardMember, Mandate, Minister
from loket.worship.services import minister_position_create
from tests.worship.conftest import CONTACT_POST

pytestmark = pytest.mark.django_db

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
CLEARED = {
    "email": "",
    "phone": "",
    "secondary_phone": "",
    "street": "",
    "house_number": "",
    "postcode": "",
    "municipality_name": "",
}
KEPT = {**CLEARED, **CONTACT_POST}


def at(days: float) -> "time_machine.travel":
    return time_machine.travel(START + timedelta(days=days), tick=False)


def contact(row: BoardMember | Minister) -> dict[str, str]:
    return {name: getattr(row, name) for name in CLEARED}


def member(client, unit, name: str, role: str, year: int, end: str = "") -> BoardMember:  # type: ignore[no-untyped-def]
    person = {"rrn": "", "first_name": name, "last_name": "Kerk", "sex": "male", "nationality": "BE"}
    mandate = Mandate.objects.get(unit=unit, role=role, start=date(year, 4, 1))
    data = {**person, "birth_date": "1960-05-01", **CONTACT_POST, "mandate": mandate.pk, "start": f"{year}-04-01"}
    response = client.post(f"/eredienst-mandatenbeheer/nieuw/?periode={year}", {**data, "end": end})
    assert response.status_code == 302, response.content.decode()
    return BoardMember.objects.get(person__used_given_name=name)


def minister(client, position, name: str, end: str = "") -> Minister:  # type: ignore[no-untyped-def]
    person = {"first_name": name, "last_name": "Pastoor", "sex": "male", "nationality": "BE"}
    data = {**person, "birth_date": "1970-02-02", **CONTACT_POST, "position": position.pk, "start": "2020-09-01"}
    response = client.post("/eredienst-bedienarenbeheer/nieuw/", {**data, "end": end})
    assert response.status_code == 302, response.content.decode()
    return Minister.objects.get(person__used_given_name=name)


def purged() -> list[dict]:  # type: ignore[type-arg]
    return [event.details for event in AuditEvent.objects.filter(action="worship.contact_purged").order_by("pk")]


def test_contact_data_of_ended_terms_is_cleared_after_the_period(  # type: ignore[no-untyped-def]
    client, periods, board_clerk, run_worker
):
    unit = periods["board"]
    with at(0):
        client.force_login(board_clerk)
        ended = member(client, unit, "Anna", BoardRole.MEMBER_MINOR_HALF, 2023, end="2025-06-01")
        sitting = member(client, unit, "Bert", BoardRole.MEMBER_MINOR_HALF, 2023)  # planned end 2029-03-31
        lapsed = member(client, unit, "Cor", BoardRole.TREASURER, 2020)  # planned end 2023-03-31, no end
        ex_officio = member(client, unit, "Dirk", BoardRole.EX_OFFICIO, 2020)  # neither end nor planned end
        position = minister_position_create(unit=unit, function=MinisterFunction.PASTOR, actor=None)
        gone = minister(client, position, "Ezra", end="2025-03-01")
        serving = minister(client, position, "Fons")
        purge_expired_data.enqueue()
        run_worker()
        # before 2025-01-05: only Cor's term (planned end 2023-03-31) is over that long
        assert purged()[-1] == {"count": 1, "members": 1, "ministers": 0, "days": 365, "before": "2025-01-05"}
        assert contact(BoardMember.objects.get(pk=lapsed.pk)) == CLEARED
    with at(100):
        run_worker()  # before 2025-04-15: Ezra's position ended 2025-03-01
        assert purged()[-1] == {"count": 1, "members": 0, "ministers": 1, "days": 365, "before": "2025-04-15"}
        assert contact(Minister.objects.get(pk=gone.pk)) == CLEARED
        assert contact(BoardMember.objects.get(pk=ended.pk)) == KEPT
    with at(200):
        run_worker()  # before 2025-07-24: Anna's end, 2025-06-01
        [event] = AuditEvent.objects.filter(action="worship.contact_purged").order_by("-pk")[:1]
        assert event.details == {"count": 1, "members": 1, "ministers": 0, "days": 365, "before": "2025-07-24"}
        assert audit_describe(event) == (
            "De contactgegevens van 1 bestuursle(e)d(en) en 0 bedienaar/bedienaren gewist: hun mandaat of functie "
            "eindigde meer dan 365 dagen geleden (bewaartermijn)."
        )
        anna = BoardMember.objects.get(pk=ended.pk)
        assert contact(anna) == CLEARED
        assert anna.contact_purged_at == START + timedelta(days=200)
        assert (str(anna.person), anna.start, anna.end) == ("Anna Kerk", date(2023, 4, 1), date(2025, 6, 1))
        for kept in (sitting, ex_officio):
            assert contact(BoardMember.objects.get(pk=kept.pk)) == KEPT
            assert BoardMember.objects.get(pk=kept.pk).contact_purged_at is None
        assert contact(Minister.objects.get(pk=serving.pk)) == KEPT
        assert BoardMember.objects.count() == 4 and Minister.objects.count() == 2  # the rows stay

        # the page says what happened instead of showing empty fields, and the row can be saved without them
        client.force_login(board_clerk)
        page = client.get(f"/eredienst-mandatenbeheer/{anna.uuid}/").content.decode()
        assert '<p class="notice" id="contact-purged">Gewist na de bewaartermijn, op 24 juli 2026.' in page
        assert "contact-purged" not in client.get(f"/eredienst-mandatenbeheer/{sitting.uuid}/").content.decode()
        page = client.get(f"/eredienst-bedienarenbeheer/{gone.uuid}/").content.decode()
        assert '<p class="notice" id="contact-purged">Gewist na de bewaartermijn, op 15 april 2026.' in page
        edit = {"mandate": anna.mandate.pk, "start": "2023-04-01", "end": "2025-05-31", **CLEARED}
        assert client.post(f"/eredienst-mandatenbeheer/{anna.uuid}/?periode=2023", edit).status_code == 302
        anna.refresh_from_db()
        assert (anna.end, anna.contact_purged_at) == (date(2025, 5, 31), START + timedelta(days=200))
        edit = {**edit, **CONTACT_POST}
        assert client.post(f"/eredienst-mandatenbeheer/{anna.uuid}/?periode=2023", edit).status_code == 302
        anna.refresh_from_db()
        assert (contact(anna), anna.contact_purged_at) == (KEPT, None)
        # a row whose contact data was never cleared still needs it
        edit = {"mandate": sitting.mandate.pk, "start": "2023-04-01", **CLEARED}
        response = client.post(f"/eredienst-mandatenbeheer/{sitting.uuid}/?periode=2023", edit)
        assert response.status_code == 400
        assert "Vul e-mail in: een contactgegeven is verplicht." in response.content.decode()


def test_zero_keeps_contact_data(client, periods, board_clerk, run_worker, settings):  # type: ignore[no-untyped-def]
    settings.LOKET_WORSHIP_CONTACT_RETENTION_DAYS = 0
    with at(0):
        client.force_login(board_clerk)
        ended = member(client, periods["board"], "Anna", BoardRole.TREASURER, 2020, end="2021-06-01")
        purge_expired_data.enqueue()
        run_worker()
    with at(3000):
        run_worker()
        assert contact(BoardMember.objects.get(pk=ended.pk)) == KEPT
        assert [details["count"] for details in purged()] == [0, 0]


def test_the_back_office_says_when_the_contact_data_was_cleared(  # type: ignore[no-untyped-def]
    client, periods, board_clerk, helpdesk, run_worker
):
    with at(0):
        client.force_login(board_clerk)
        ended = member(client, periods["board"], "Anna", BoardRole.TREASURER, 2020, end="2021-06-01")
        purge_expired_data.enqueue()
        run_worker()
        client.force_login(helpdesk)
        page = client.get(f"/helpdesk/worship/boardmember/{ended.pk}/change/").content.decode()
        assert "Contactgegevens gewist op" in page and "5 januari 2026" in page
