"""The supervisor's inbox: a fixed number of queries per page, keyset pagination that never skips or repeats a
row, and filters that keep selecting exactly what they did."""

import re
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from loket.supervision.governing_bodies import governing_bodies_of
from loket.supervision.models import Submission
from loket.supervision.selectors import InboxFilter, inbox_filtered, inbox_for, keyset_page
from tests.supervision.conftest import BESLUITENLIJST, BUDGET

INBOX = "/toezichthouder/inzendingen/"
MOMENT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
DETAIL = re.compile(r'href="/toezichthouder/inzendingen/([0-9a-f-]{36})/"')
NEXT = re.compile(r'href="\?(?:[^"]*&amp;)?na=([A-Za-z0-9_=-]+)"')  # the "next page" link


def delivered(organisation, document_type, *, count: int, sent_at=MOMENT, spread: bool = True) -> list[Submission]:  # type: ignore[no-untyped-def]
    """Sent and delivered submissions, written directly: these tests are about reading them."""
    body = governing_bodies_of(organisation)[0]
    rows = []
    for index in range(count):
        moment = sent_at - timedelta(minutes=index) if spread else sent_at
        rows.append(
            Submission(
                organisation=organisation,
                document_type=document_type,
                governing_body=body,
                session_date=date(2026, 2, 1) + timedelta(days=index % 20),
                status=Submission.Status.SENT,
                form_version="test",
                form_data_nt="<urn:a> <urn:b> <urn:c> .\n",
                content_hash=uuid.uuid4().hex * 2,
                created_at=moment,
                modified_at=moment,
                sent_at=moment,
                delivered_at=moment + timedelta(seconds=5),
            )
        )
    return Submission.objects.bulk_create(rows)


def _keys(html: str) -> list[str]:
    return DETAIL.findall(html)


def test_inbox_page_takes_seven_queries_for_3_or_40_rows(  # type: ignore[no-untyped-def]
    client, helpdesk, municipality, other_municipality, document_types, django_assert_num_queries
):
    client.force_login(helpdesk)
    client.get(INBOX)  # the first request stores the organisation in the session
    delivered(municipality, document_types[BESLUITENLIJST], count=3)
    # session, user, memberships with their roles; the page's keys, its rows with their relations; kinds, document
    # types
    with django_assert_num_queries(7):
        assert len(_keys(client.get(INBOX).content.decode())) == 3
    delivered(other_municipality, document_types[BUDGET], count=37)
    with django_assert_num_queries(7):
        assert len(_keys(client.get(INBOX).content.decode())) == 25
    with django_assert_num_queries(6):  # an empty page has no rows to fetch
        html = client.get(INBOX, {"provincie": "Oost-Vlaanderen", "type": BUDGET, "behandeld": "no"}).content
    assert _keys(html.decode()) == []


def test_keyset_pagination_neither_skips_nor_repeats_rows_when_sent_at_ties(  # type: ignore[no-untyped-def]
    helpdesk, agency, municipality, other_municipality, document_types
):
    tied = delivered(municipality, document_types[BESLUITENLIJST], count=17, spread=False)
    tied += delivered(other_municipality, document_types[BUDGET], count=6, spread=False)
    later = delivered(municipality, document_types[BUDGET], count=4, sent_at=MOMENT + timedelta(hours=1))
    earlier = delivered(other_municipality, document_types[BESLUITENLIJST], count=5, sent_at=MOMENT - timedelta(days=1))
    expected = [s.pk for s in sorted(later + tied + earlier, key=lambda s: (s.sent_at, s.pk), reverse=True)]
    for size in (1, 5, 7, 23, 32, 40):
        seen, cursor = [], None
        while True:
            page = keyset_page(inbox_for(agency), field="sent_at", cursor=cursor, size=size)
            seen += [s.pk for s in page.items]
            cursor = page.next_cursor
            if cursor is None:
                break
        assert seen == expected, size


def test_keyset_pages_over_http_cover_every_tied_row_once(client, helpdesk, municipality, document_types):  # type: ignore[no-untyped-def]
    rows = delivered(municipality, document_types[BESLUITENLIJST], count=60, spread=False)
    client.force_login(helpdesk)
    keys, cursor = [], None
    for _ in range(4):
        html = client.get(INBOX, {"na": cursor} if cursor else {}).content.decode()
        keys += _keys(html)
        found = NEXT.search(html)
        if not found:
            break
        cursor = found.group(1)
    assert keys == [str(s.uuid) for s in sorted(rows, key=lambda s: s.pk, reverse=True)]


def test_filters_on_type_kind_and_province_select_exactly_those_rows(  # type: ignore[no-untyped-def]
    agency, municipality, worship_board, document_types
):
    municipality.province = "Oost-Vlaanderen"
    municipality.save()
    budgets = delivered(municipality, document_types[BUDGET], count=3)
    lists = delivered(municipality, document_types[BESLUITENLIJST], count=2)
    worship = delivered(worship_board, document_types[BUDGET], count=2)

    def keys(**filters: str) -> set[int]:
        return set(inbox_filtered(inbox_for(agency), InboxFilter(**filters)).values_list("pk", flat=True))

    assert keys(document_type=BUDGET) == {s.pk for s in budgets + worship}
    assert keys(document_type="http://example.org/no-such-type") == set()
    assert keys(kind=worship_board.kind.uri) == {s.pk for s in worship}
    assert keys(province="Oost-Vlaanderen", document_type=BESLUITENLIJST) == {s.pk for s in lists}
    assert keys(province="Limburg") == set()


@pytest.mark.parametrize("handled", ["no", "yes"])
def test_handled_filter(agency, municipality, document_types, handled):  # type: ignore[no-untyped-def]
    first, second = delivered(municipality, document_types[BUDGET], count=2)
    Submission.objects.filter(pk=first.pk).update(handled_at=MOMENT)
    page = keyset_page(inbox_filtered(inbox_for(agency), InboxFilter(handled=handled)), field="sent_at", cursor=None)
    assert [s.pk for s in page.items] == [second.pk if handled == "no" else first.pk]


def test_sent_date_filters_take_whole_days_in_brussels_time(agency, municipality, document_types):  # type: ignore[no-untyped-def]
    """31 July 23:30 and 1 August 00:30 in Brussels (summer time, UTC+2) are 21:30 and 22:30 UTC on 31 July: the
    day filters compare the moment with the first moment of the day in Brussels (an index range), as a date in
    Brussels time would, not with a UTC date."""
    late, early = (
        delivered(municipality, document_types[BUDGET], count=1, sent_at=moment)[0]
        for moment in (datetime(2026, 7, 31, 21, 30, tzinfo=UTC), datetime(2026, 7, 31, 22, 30, tzinfo=UTC))
    )

    def sent(**filters: date) -> list[int]:
        queryset = inbox_filtered(inbox_for(agency), InboxFilter(**filters))  # type: ignore[arg-type]
        return [s.pk for s in keyset_page(queryset, field="sent_at", cursor=None).items]

    assert sent(sent_from=date(2026, 8, 1)) == [early.pk]
    assert sent(sent_until=date(2026, 7, 31)) == [late.pk]
    assert sent(sent_from=date(2026, 7, 31), sent_until=date(2026, 8, 1)) == [early.pk, late.pk]
    assert sent(sent_from=date(2026, 8, 2)) == [] and sent(sent_until=date(2026, 7, 30)) == []
    # The column itself is compared (no conversion of every row's time, which no index serves).
    sql = str(inbox_filtered(inbox_for(agency), InboxFilter(sent_from=date(2026, 8, 1))).query)
    assert "sent_at" in sql and "AT TIME ZONE" not in sql and "cast_date" not in sql


def test_the_clerks_changed_date_filters_take_whole_days_in_brussels_time(municipality, document_types):  # type: ignore[no-untyped-def]
    from loket.supervision.selectors import submissions_of_organisation

    late, early = (
        delivered(municipality, document_types[BUDGET], count=1, sent_at=moment)[0]
        for moment in (datetime(2026, 7, 31, 21, 30, tzinfo=UTC), datetime(2026, 7, 31, 22, 30, tzinfo=UTC))
    )
    assert list(submissions_of_organisation(municipality, since=date(2026, 8, 1))) == [early]
    assert list(submissions_of_organisation(municipality, until=date(2026, 7, 31))) == [late]


def _replacement_by_orm(submission):  # type: ignore[no-untyped-def]
    """What `replacement_of` answered with the ORM before it became one statement of its own."""
    from django.db.models import Case, F, Value, When

    sent_first = Case(When(status=Submission.Status.SENT, then=Value(0)), default=Value(1))
    return (
        Submission.objects.filter(replaces=submission)
        .select_related("document_type")
        .order_by(sent_first, F("sent_at").desc(nulls_last=True), "-created_at", "-pk")
        .first()
    )


def test_the_replacement_is_the_orms_newest_sent_correction_else_the_newest_concept(municipality, document_types):  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from loket.supervision.selectors import replacement_of

    (original,) = delivered(municipality, document_types[BESLUITENLIJST], count=1)
    assert replacement_of(original) is None

    def correction(status: str, created: datetime, sent: datetime | None, document_type: str) -> Submission:
        return Submission.objects.create(
            organisation=municipality,
            document_type=document_types[document_type],
            status=status,
            form_version="test",
            replaces=original,
            created_at=created,
            modified_at=created,
            sent_at=sent,
        )

    steps = [  # each correction made in turn, and which one replaces the original then (by index)
        ((Submission.Status.CONCEPT, MOMENT, None, BUDGET), 0),  # only a concept: that one
        ((Submission.Status.CONCEPT, MOMENT + timedelta(hours=1), None, BUDGET), 1),  # the newer concept
        ((Submission.Status.CONCEPT, MOMENT + timedelta(hours=1), None, BUDGET), 2),  # same moment: the higher key
        ((Submission.Status.SENT, MOMENT - timedelta(days=1), MOMENT, BUDGET), 3),  # sent beats every concept
        ((Submission.Status.SENT, MOMENT - timedelta(days=2), MOMENT + timedelta(minutes=5), BUDGET), 4),  # later
        ((Submission.Status.SENT, MOMENT, MOMENT - timedelta(days=3), BESLUITENLIJST), 4),  # sent earlier: not it
        ((Submission.Status.CONCEPT, MOMENT, MOMENT + timedelta(days=1), BUDGET), 4),  # a later time, not sent: no
    ]
    made: list[Submission] = []
    for arguments, expected in steps:
        made.append(correction(*arguments))
        with CaptureQueriesContext(connection) as queries:
            found = replacement_of(original)
        by_orm = _replacement_by_orm(original)
        assert len(queries) == 1
        assert found is not None and by_orm is not None
        assert found.pk == by_orm.pk == made[expected].pk
        assert {f.attname: getattr(found, f.attname) for f in Submission._meta.concrete_fields} == {
            f.attname: getattr(by_orm, f.attname) for f in Submission._meta.concrete_fields
        }
        with CaptureQueriesContext(connection) as queries:
            assert found.document_type.label == by_orm.document_type.label  # loaded with it
        assert len(queries) == 0


def _fields(instance):  # type: ignore[no-untyped-def]
    if instance is None:
        return None
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_the_clerks_rows_are_the_orms_and_never_another_organisations(  # type: ignore[no-untyped-def]
    municipality, other_municipality, document_types
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from loket.supervision.selectors import clerk_rows, submissions_of_organisation

    originals = delivered(municipality, document_types[BESLUITENLIJST], count=3)
    theirs = delivered(other_municipality, document_types[BUDGET], count=2)
    without_body = delivered(municipality, document_types[BUDGET], count=1)[0]
    Submission.objects.filter(pk=without_body.pk).update(governing_body=None)

    def correction(status: str, sent: datetime | None, replaces: Submission) -> Submission:
        return Submission.objects.create(
            organisation=municipality,
            document_type=document_types[BUDGET],
            status=status,
            form_version="test",
            replaces=replaces,
            reopen_reason="heropend" if sent is None else "",
            created_at=MOMENT,
            modified_at=MOMENT,
            sent_at=sent,
        )

    made = [
        correction(Submission.Status.SENT, MOMENT + timedelta(hours=1), originals[0]),
        correction(Submission.Status.SENT, MOMENT + timedelta(hours=2), originals[0]),  # the newest: replaced by
        correction(Submission.Status.SENT, MOMENT + timedelta(hours=2), originals[0]),  # same moment, higher key
        correction(Submission.Status.CONCEPT, None, originals[1]),  # a concept replaces nothing yet
    ]
    keys = [s.pk for s in [*originals, without_body, *made]]
    with CaptureQueriesContext(connection) as queries:
        found = clerk_rows(municipality, [*keys, *(s.pk for s in theirs)])
    assert len(queries) == 1
    by_orm = {s.pk: s for s in submissions_of_organisation(municipality).filter(pk__in=keys)}
    assert sorted(found) == sorted(by_orm) == sorted(keys)  # another organisation's rows never appear
    for pk, ours in found.items():
        orm = by_orm[pk]
        assert _fields(ours) == _fields(orm)
        assert ours.replaced_by_uuid == orm.replaced_by_uuid
        with CaptureQueriesContext(connection) as queries:  # loaded with the row
            assert _fields(ours.document_type) == _fields(orm.document_type)
            assert _fields(ours.governing_body) == _fields(orm.governing_body)
            assert _fields(ours.replaces) == _fields(orm.replaces)
            if ours.replaces is not None:
                assert _fields(ours.replaces.document_type) == _fields(orm.replaces.document_type)
        assert len(queries) == 0
    assert found[originals[0].pk].replaced_by_uuid == made[2].uuid
    assert found[originals[1].pk].replaced_by_uuid is None
    assert found[without_body.pk].governing_body is None
    assert clerk_rows(other_municipality, keys) == {}
    assert clerk_rows(municipality, []) == {}
